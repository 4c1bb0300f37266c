"""Rules: what one restriction (or one fact about a record) says about a given use.

Every rule judges a use and returns the reason it contributes: allow, review or deny, with the
restriction's phrase as evidence. A rule whose answer depends only on the purpose is `static`,
so `prepare` can judge it once per purpose and a check only runs the rules that depend on time
or territory. Rules never raise and never guess: whatever they cannot tell becomes a review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Protocol

from rights.decision import Reason
from rights.record import Evidence, Restriction
from rights.vocabulary import Code, Outcome, Purpose

# Purposes each restriction bars, beyond the words of its name where the implication is plain:
# a sale ban covers syndication (supplying other publishers is selling the image), a marketing
# ban covers advertising (advertising is marketing), a commercial-use ban covers advertising,
# marketing and sale. EDITORIAL_USE_ONLY is not here: it bars everything except editorial,
# including purposes this table has never heard of.
BARRED_PURPOSES: Mapping[Code, frozenset[Purpose]] = {
    Code.NO_SALES: frozenset({Purpose.SALE, Purpose.SYNDICATION}),
    Code.NO_RESALES: frozenset({Purpose.SYNDICATION}),
    Code.NO_SYNDICATION: frozenset({Purpose.SYNDICATION}),
    Code.NO_MARKETING: frozenset({Purpose.MARKETING, Purpose.ADVERTISING}),
    Code.NO_ADVERTISING: frozenset({Purpose.ADVERTISING}),
    Code.NO_COMMERCIAL_USE: frozenset(
        {Purpose.COMMERCIAL, Purpose.ADVERTISING, Purpose.MARKETING, Purpose.SALE}
    ),
}

# Why a restriction bars a purpose, in a picture editor's words.
_WHY_BARRED: Mapping[tuple[Code, Purpose], str] = {
    (Code.NO_SALES, Purpose.SALE): "the image may not be sold",
    (Code.NO_SALES, Purpose.SYNDICATION): (
        "syndication supplies the image to other publishers, which is selling it"
    ),
    (Code.NO_RESALES, Purpose.SYNDICATION): "syndication resells the image to other publishers",
    (Code.NO_SYNDICATION, Purpose.SYNDICATION): "the image may not be syndicated",
    (Code.NO_MARKETING, Purpose.MARKETING): "the image may not be used in marketing",
    (Code.NO_MARKETING, Purpose.ADVERTISING): "advertising is a form of marketing",
    (Code.NO_ADVERTISING, Purpose.ADVERTISING): "the image may not be used in advertising",
    (Code.NO_COMMERCIAL_USE, Purpose.COMMERCIAL): "the image may not be used commercially",
    (Code.NO_COMMERCIAL_USE, Purpose.ADVERTISING): "advertising is commercial use",
    (Code.NO_COMMERCIAL_USE, Purpose.MARKETING): "marketing is commercial use",
    (Code.NO_COMMERCIAL_USE, Purpose.SALE): "selling the image is commercial use",
}


# A purpose as a picture editor would say it in a sentence.
_USE_WORDS: Mapping[str, str] = {
    Purpose.EDITORIAL: "editorial use",
    Purpose.COMMERCIAL: "commercial use",
    Purpose.ADVERTISING: "advertising",
    Purpose.MARKETING: "marketing",
    Purpose.SALE: "selling the image",
    Purpose.SYNDICATION: "syndication",
    Purpose.ARCHIVE: "archiving",
}


def use_words(purpose: str) -> str:
    """`purpose` in words ("selling the image"), quoted when the policy does not know it."""
    return _USE_WORDS.get(purpose, f'"{purpose}" use')


class Rule(Protocol):
    """One rule of a record's policy. `static` rules look at the purpose only."""

    static: ClassVar[bool]

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        """The reason this rule contributes to a use (territory already normalised)."""
        ...


def _quoted(restriction: Restriction) -> str:
    return f'"{restriction.text}"'


@dataclass(frozen=True, slots=True)
class EditorialOnlyRule:
    """EDITORIAL USE ONLY: every purpose other than editorial is denied."""

    restriction: Restriction
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        evidence = self.restriction.all_evidence()
        if purpose == Purpose.EDITORIAL:
            return Reason(
                self.restriction.code,
                f"{_quoted(self.restriction)}: editorial use is permitted.",
                Outcome.ALLOW,
                evidence,
            )
        return Reason(
            self.restriction.code,
            f"{_quoted(self.restriction)}: the image is for editorial use only, "
            f"and {use_words(purpose)} is not editorial use.",
            Outcome.DENY,
            evidence,
        )


@dataclass(frozen=True, slots=True)
class PurposeRule:
    """A restriction that bars a fixed set of purposes (NO SALES, NO MARKETING, ...)."""

    restriction: Restriction
    barred: frozenset[Purpose]
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        evidence = self.restriction.all_evidence()
        if purpose in self.barred:
            why = _WHY_BARRED.get((self.restriction.code, Purpose(purpose)))
            return Reason(
                self.restriction.code,
                f"{_quoted(self.restriction)}: {why}."
                if why
                else f"{_quoted(self.restriction)} bars {use_words(purpose)}.",
                Outcome.DENY,
                evidence,
            )
        return Reason(
            self.restriction.code,
            f"{_quoted(self.restriction)} does not bar {use_words(purpose)}.",
            Outcome.ALLOW,
            evidence,
        )


@dataclass(frozen=True, slots=True)
class ReviewRule:
    """Something a person must read: OTHER restrictions, unrecognised text, missing rights."""

    code: str
    message: str
    evidence: tuple[Evidence, ...] = ()
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        return Reason(self.code, self.message, Outcome.REVIEW, self.evidence)


@dataclass(frozen=True, slots=True)
class CreditRule:
    """The credit line to print: an obligation, so it allows and explains."""

    code: str
    credit_line: str
    source: str
    evidence: tuple[Evidence, ...] = ()
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        return Reason(
            self.code,
            f'Print the credit line "{self.credit_line}" ({self.source}).',
            Outcome.ALLOW,
            self.evidence,
        )


@dataclass(frozen=True, slots=True)
class EmbargoRule:
    """EMBARGO: no use before `until`. Without a time, or without a readable end, review.

    The reasons do not depend on the moment asked about, so they are worked out once.
    """

    phrase: str
    until: datetime | None
    evidence: tuple[Evidence, ...] = ()
    static: ClassVar[bool] = False
    _before: Reason = field(init=False, repr=False, compare=False)
    _after: Reason = field(init=False, repr=False, compare=False)
    _no_time: Reason = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.until is None:
            unreadable = self._reason(
                f"{self.phrase} states an embargo whose end could not be read; "
                "a person must decide.",
                Outcome.REVIEW,
            )
            before = after = no_time = unreadable
        else:
            until = self.until.isoformat()
            before = self._reason(
                f"{self.phrase}: embargoed until {until}; not to be used before then.",
                Outcome.DENY,
            )
            after = self._reason(f"{self.phrase}: the embargo ended at {until}.", Outcome.ALLOW)
            no_time = self._reason(
                f"{self.phrase}: embargoed until {until}, and the check gave no time; "
                "send the time of use.",
                Outcome.REVIEW,
            )
        object.__setattr__(self, "_before", before)
        object.__setattr__(self, "_after", after)
        object.__setattr__(self, "_no_time", no_time)

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        if self.until is None or moment is None:
            return self._no_time
        return self._before if moment < self.until else self._after

    def _reason(self, message: str, outcome: Outcome) -> Reason:
        return Reason(Code.EMBARGO, message, outcome, self.evidence)


@dataclass(frozen=True, slots=True)
class ArchiveRule:
    """NO ARCHIVES: never for the archive; any use only until the retention window ends.

    `ends` is ingest time plus the retention days, None when the ingest time is unknown. The
    reasons do not depend on the moment asked about, so they are worked out once.
    """

    restriction: Restriction
    days: int
    ends: datetime | None
    static: ClassVar[bool] = False
    _archiving: Reason = field(init=False, repr=False, compare=False)
    _inside: Reason = field(init=False, repr=False, compare=False)
    _expired: Reason = field(init=False, repr=False, compare=False)
    _no_time: Reason = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        phrase = _quoted(self.restriction)
        archiving = self._reason(f"{phrase}: the image may not be archived.", Outcome.DENY)
        if self.ends is None:
            unknown = self._reason(
                f"{phrase} allows use for {self.days} days from ingest, and the ingest time "
                "is unknown; a person must decide.",
                Outcome.REVIEW,
            )
            inside = expired = no_time = unknown
        else:
            ends = self.ends.isoformat()
            inside = self._reason(
                f"{phrase}: usable until {ends} ({self.days} days from ingest).", Outcome.ALLOW
            )
            expired = self._reason(
                f"{phrase}: the {self.days}-day retention window ended at {ends}; "
                "the image must be purged.",
                Outcome.DENY,
            )
            no_time = self._reason(
                f"{phrase} allows use until {ends}, and the check gave no time; "
                "send the time of use.",
                Outcome.REVIEW,
            )
        object.__setattr__(self, "_archiving", archiving)
        object.__setattr__(self, "_inside", inside)
        object.__setattr__(self, "_expired", expired)
        object.__setattr__(self, "_no_time", no_time)

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        if purpose == Purpose.ARCHIVE:
            return self._archiving
        if self.ends is None or moment is None:
            return self._no_time
        return self._expired if moment >= self.ends else self._inside

    def _reason(self, message: str, outcome: Outcome) -> Reason:
        return Reason(self.restriction.code, message, outcome, self.restriction.all_evidence())


@dataclass(frozen=True, slots=True)
class TerritoryRule:
    """TERRITORY: only inside `included` (when given), never inside `excluded`.

    The reason for each territory asked about is remembered: there are only so many countries.
    """

    restriction: Restriction
    included: frozenset[str]
    excluded: frozenset[str]
    static: ClassVar[bool] = False
    _by_territory: dict[str | None, Reason] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        reason = self._by_territory.get(territory)
        if reason is None:
            reason = self._judge(territory)
            self._by_territory[territory] = reason
        return reason

    def _judge(self, territory: str | None) -> Reason:
        phrase = _quoted(self.restriction)
        if not self.included and not self.excluded:
            return self._reason(
                f"{phrase} limits where the image may be used, but no country could be read "
                "from it; a person must decide.",
                Outcome.REVIEW,
            )
        if territory is None:
            return self._reason(
                f"{phrase} limits where the image may be used, and the check named no "
                "territory; send the territory of use.",
                Outcome.REVIEW,
            )
        if self.included and territory not in self.included:
            return self._reason(
                f"{phrase}: licensed only in {', '.join(sorted(self.included))}; "
                f"{territory} is outside.",
                Outcome.DENY,
            )
        if territory in self.excluded:
            return self._reason(f"{phrase}: not licensed in {territory}.", Outcome.DENY)
        return self._reason(f"{phrase}: {territory} is licensed.", Outcome.ALLOW)

    def _reason(self, message: str, outcome: Outcome) -> Reason:
        return Reason(self.restriction.code, message, outcome, self.restriction.all_evidence())
