"""What a check answers: a use asked about, overrides granted, and the decision with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rights.record import Evidence
from rights.vocabulary import Channel, LeaseScope, Outcome, Purpose


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

    Empty `purposes`/`channels`/`territories` mean "any". `starts`/`ends` None means open; the
    window is [starts, ends). `scope` is ASSET (the caller passes the asset's own leases),
    AGENCY or SOURCE (the lease covers every asset whose record names `target` as its agency or
    source, so the caller may pass all of them and let the policy pick; with no `target` the
    caller has already picked the lease for this asset). Names are compared by their keys, which
    the caller computes (`captions.normalise.fold_for_match`): `target_key` is the target's, and
    the record carries its agency's and source's (`rights.leases.reaches`). A lease naming a
    target without its key cannot be compared: it may apply, so it never lifts and a deny or
    review lease sends the check to review.
    """

    effect: Outcome
    reason: str
    purposes: tuple[Purpose, ...] = ()
    channels: tuple[Channel, ...] = ()
    territories: tuple[str, ...] = ()
    starts: datetime | None = None
    ends: datetime | None = None
    id: str | None = None
    scope: LeaseScope = LeaseScope.ASSET
    target: str | None = None
    target_key: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a decision came out as it did: a code, a sentence for people, the evidence.

    `outcome` is what this reason contributes; the decision is the most severe of them.
    A restriction lifted by an allow lease is kept (so the editor sees what was lifted) with
    outcome allow and `lifted_by` naming the lease.
    """

    code: str
    message: str
    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()
    lifted_by: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to a check.

    `reasons` come most severe first. `obligations` are what a publisher must do when using the
    image; a credit obligation is the exact credit line to print. `purge` says a NO ARCHIVES
    retention window has passed, so the asset layer should purge the image. `cost` and `price`
    are what the use costs under the governing agreement (None without one; rights.agreements).
    """

    decision: Outcome
    reasons: tuple[Reason, ...]
    credit_line: str | None
    obligations: tuple[str, ...] = ()
    purge: bool = False
    cost: str | None = None
    price: str | None = None
