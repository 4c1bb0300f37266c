"""The vocabulary an ODRL/RightsML policy is written in, shared by export and import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rights.record import Restriction
from rights.vocabulary import Purpose

ODRL = "http://www.w3.org/ns/odrl/2/"
ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
RIGHTSML_PROFILE = "https://iptc.org/std/RightsML/odrl-profile/"
RDSK = "https://rightsdesk.org/ns/odrl/"
"""Our own terms: purposes, channels, and the reason a review duty stands for."""
ISO_COUNTRY = "http://cvx.iptc.org/iso3166-1a2/"
CONTEXT: list[Any] = [
    ODRL_CONTEXT,
    {
        "dct": "http://purl.org/dc/terms/",
        "vcard": "http://www.w3.org/2006/vcard/ns#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "rdsk": RDSK,
    },
]
PURPOSE_IRI = RDSK + "purpose/"
CHANNEL_IRI = RDSK + "channel/"

USE_ACTIONS = frozenset({"use", "display", "present", "print", "reproduce", "play"})
EVERY_PURPOSE = frozenset(str(p) for p in Purpose)
RELEASE_PURPOSES = (Purpose.COMMERCIAL, Purpose.MARKETING, Purpose.ADVERTISING)


@dataclass(frozen=True, slots=True)
class PolicyReading:
    """What an imported policy says, as the rights record takes it.

    `restrictions` all have origin POLICY. `credit_line` is the attribution the policy demands,
    `assigner` the supplier's name, `archive_retention_days` the delete duty's window (NO
    ARCHIVES). `notes` say what was read as OTHER or left aside, for the desk and the audit.
    """

    restrictions: tuple[Restriction, ...] = ()
    credit_line: str | None = None
    assigner: str | None = None
    archive_retention_days: int | None = None
    notes: tuple[str, ...] = ()
