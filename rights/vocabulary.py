"""The restriction vocabulary and the words of a use: the codes every layer agrees on."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """A restriction code of the HTTP contract. `OTHER` is kept verbatim and always means review."""

    EDITORIAL_USE_ONLY = "EDITORIAL_USE_ONLY"
    NO_SALES = "NO_SALES"
    NO_RESALES = "NO_RESALES"
    NO_ARCHIVES = "NO_ARCHIVES"
    NO_MARKETING = "NO_MARKETING"
    NO_ADVERTISING = "NO_ADVERTISING"
    NO_COMMERCIAL_USE = "NO_COMMERCIAL_USE"
    NO_SYNDICATION = "NO_SYNDICATION"
    MANDATORY_CREDIT = "MANDATORY_CREDIT"
    EMBARGO = "EMBARGO"
    TERRITORY = "TERRITORY"
    EXPIRY = "EXPIRY"
    MODEL_RELEASE = "MODEL_RELEASE"
    SYNTHETIC_MEDIA = "SYNTHETIC_MEDIA"
    OTHER = "OTHER"


class Origin(StrEnum):
    """Where a restriction was read: the caption, an embedded block, or a rights manager.

    FILE is the file's own structure (damage there hides whatever blocks follow it),
    SIDECAR a metadata file delivered beside the image, and POLICY an ODRL/RightsML policy
    delivered with the image or put on the asset (it only ever adds restrictions).
    """

    CAPTION = "caption"
    IPTC = "iptc"
    XMP = "xmp"
    EXIF = "exif"
    OVERRIDE = "override"
    AGREEMENT = "agreement"
    FILE = "file"
    SIDECAR = "sidecar"
    POLICY = "policy"


class Purpose(StrEnum):
    EDITORIAL = "editorial"
    COMMERCIAL = "commercial"
    ADVERTISING = "advertising"
    MARKETING = "marketing"
    SALE = "sale"
    SYNDICATION = "syndication"
    ARCHIVE = "archive"


class Channel(StrEnum):
    PRINT = "print"
    WEB = "web"
    APP = "app"
    SOCIAL = "social"
    BROADCAST = "broadcast"
    NEWSLETTER = "newsletter"


class Outcome(StrEnum):
    """The answer to a check. Deny beats review beats allow."""

    ALLOW = "allow"
    REVIEW = "review"
    DENY = "deny"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Outcome.ALLOW: 0, Outcome.REVIEW: 1, Outcome.DENY: 2}


class ReasonCode(StrEnum):
    """Reason codes that are not restriction codes: facts about the asset, the check or a lease.

    A reason about a restriction carries the restriction's own `Code`; these name everything
    else a decision can rest on, so the publishing system can branch on them.
    """

    UNKNOWN_ASSET = "UNKNOWN_ASSET"
    KILLED = "KILLED"
    KILL_REQUESTED = "KILL_REQUESTED"
    NO_RIGHTS_STATED = "NO_RIGHTS_STATED"
    UNRECOGNISED_RESTRICTION = "UNRECOGNISED_RESTRICTION"
    UNREADABLE_METADATA = "UNREADABLE_METADATA"
    UNKNOWN_PURPOSE = "UNKNOWN_PURPOSE"
    CREDIT = "CREDIT"
    LEASE_ALLOW = "LEASE_ALLOW"
    LEASE_DENY = "LEASE_DENY"
    LEASE_REVIEW = "LEASE_REVIEW"
    LEASE_MAY_APPLY = "LEASE_MAY_APPLY"
    LEASE_NOT_APPLIED = "LEASE_NOT_APPLIED"
    PURGED = "PURGED"
    AGREEMENT = "AGREEMENT"
    NOT_COVERED_BY_AGREEMENT = "NOT_COVERED_BY_AGREEMENT"
    NO_AGREEMENT = "NO_AGREEMENT"
    LEASE_REQUIRED = "LEASE_REQUIRED"
    AGREEMENT_QUOTA = "AGREEMENT_QUOTA"


class LeaseScope(StrEnum):
    """What a lease covers: one asset, or every asset of an agency or of a source."""

    ASSET = "asset"
    AGENCY = "agency"
    SOURCE = "source"
