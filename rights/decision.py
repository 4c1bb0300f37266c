"""What a check answers: a use asked about, overrides granted, and the decision with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rights.record import Evidence
from rights.vocabulary import Channel, Outcome, Purpose


@dataclass(frozen=True, slots=True)
class Use:
    """How the publisher wants to use an image. `territory` is ISO 3166 alpha-2."""

    purpose: Purpose
    channel: Channel | None = None
    territory: str | None = None
    at: datetime | None = None
    publication: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Override:
    """A rights manager's lease: allow or deny within a scope and a time window.

    Empty `purposes`/`channels`/`territories` mean "any". `starts`/`ends` None means open.
    """

    effect: Outcome
    reason: str
    purposes: tuple[Purpose, ...] = ()
    channels: tuple[Channel, ...] = ()
    territories: tuple[str, ...] = ()
    starts: datetime | None = None
    ends: datetime | None = None
    id: str | None = None
    scope: str = "asset"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a decision came out as it did: a code, a sentence for people, the evidence."""

    code: str
    message: str
    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    decision: Outcome
    reasons: tuple[Reason, ...]
    credit_line: str | None
    obligations: tuple[str, ...] = ()
