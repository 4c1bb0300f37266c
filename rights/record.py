"""Value objects of a rights record: restrictions with their evidence, and the record itself.

Pure data: `captions` and `assets.metadata` produce these, `rights.evaluate` consumes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import datetime

from rights.quick_init import quick_init
from rights.vocabulary import Code, Origin


@quick_init
@dataclass(frozen=True, slots=True)
class Evidence:
    """One place a restriction phrase was found: the exact text, its origin and offsets."""

    text: str
    origin: Origin = Origin.CAPTION
    start: int | None = None
    end: int | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Restriction:
    """A restriction with the phrase that states it.

    `text`/`start`/`end` are the first occurrence; `evidence` holds every occurrence (a caption
    that repeats "EDITORIAL USE ONLY" gives one restriction with two pieces of evidence).
    Territory restrictions list ISO 3166 alpha-2 codes: `countries_excluded` ("NO USE IN
    GERMANY" -> DE) or `countries_included` ("FOR USE IN UK ONLY" -> GB). EXPIRY carries
    `expires_at`, the moment from which the image may no longer be used (IPTC 2:37/2:38).
    MODEL_RELEASE (people pictured, no full model release) and SYNTHETIC_MEDIA (not a proven
    camera capture) are facts read from the file's licensing and provenance fields: `text` is
    the field and its value, so the reason cites where it was read.
    """

    code: Code
    text: str
    origin: Origin = Origin.CAPTION
    start: int | None = None
    end: int | None = None
    evidence: tuple[Evidence, ...] = ()
    embargo_until: datetime | None = None
    countries_excluded: tuple[str, ...] = ()
    countries_included: tuple[str, ...] = ()
    expires_at: datetime | None = None

    def all_evidence(self) -> tuple[Evidence, ...]:
        """Every occurrence, falling back to the restriction's own phrase."""
        if self.evidence:
            return self.evidence
        return (Evidence(self.text, self.origin, self.start, self.end),)


@dataclass(frozen=True, slots=True)
class UnreadableBlock:
    """A metadata block that carries or may carry rights and could not be read.

    `block` is the block's kind (IPTC, XMP, EXIF, a sidecar, or the file's structure when
    damage there hid what follows); `warning` says what went wrong. What the block said is
    unknown, so every use but editorial goes to review until a rights manager has looked.
    """

    block: Origin
    warning: str


@dataclass(frozen=True, slots=True)
class RightsRecord:
    """Everything the policy needs to know about one asset's rights.

    `date` is a date, or "YYYY-MM" when the caption gives only month and year (as
    `ParsedCaption.date` does). `unrecognised` holds restriction-like text nobody could classify:
    it sends every check to review, because nothing restriction-like is dropped silently.
    `archive_retention_days` is the agency profile's NO ARCHIVES window, put here by the caller
    (None means the default of 30 days). `territories` are the countries the caption names.
    `killed` is a confirmed kill (a rights manager's, or a feed's allowed to kill);
    `kill_requested` a kill asked for and not yet confirmed or rejected; `kill_notice` an
    agency's kill notice read from a caption ("MANDATORY KILL"), which is a kill request until
    someone allowed to kill confirms it. Each denies every use.
    `unreadable_blocks` are the blocks of the file that may state rights but could not be
    read: every use but editorial is reviewed.
    `agency_key` and `source_key` are `agency` and `source` as a lease target is compared with
    them, computed by the caller with the one key function (`captions.normalise.fold_for_match`);
    they are derived, not part of the record's wire form. `purged` is an image whose
    retention ended and whose files were deleted (assets.purge): every use is denied (PURGED).
    """

    agency: str | None = None
    agency_ref: str | None = None
    credit_line: str | None = None
    source: str | None = None
    byline: str | None = None
    copyright: str | None = None
    handout: bool = False
    pool: bool = False
    date: dt.date | str | None = None  # `dt.date`: the field's own name shadows `date` here
    place: str | None = None
    restrictions: tuple[Restriction, ...] = ()
    embargo_until: datetime | None = None
    parser_version: str | None = None
    killed: bool = False
    kill_reason: str | None = None
    ingested_at: datetime | None = None
    archive_retention_days: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    unrecognised: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    kill_notice: bool = False
    kill_requested: bool = False
    unreadable_blocks: tuple[UnreadableBlock, ...] = ()
    agency_key: str | None = None
    source_key: str | None = None
    purged: bool = False
