"""Rules that depend on the moment of use: embargoes and the NO ARCHIVES retention window.

Their reasons do not depend on the moment itself, only on which side of a boundary it falls,
so each rule works its few possible reasons out once; a prepared record can then recognise an
answer it has given before. Without a moment they review: the policy holds no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from rights.decision import Reason
from rights.record import Evidence, Restriction
from rights.rules import quoted
from rights.vocabulary import Code, Outcome, Purpose


@dataclass(frozen=True, slots=True)
class _Answers:
    """A rule's three answers around one moment (an embargo's end, an expiry), worked out
    once: before it, from it on, and when the check gave no time or the moment was unread."""

    before: Reason
    after: Reason
    no_time: Reason

    def at(self, boundary: datetime | None, moment: datetime | None) -> Reason:
        if boundary is None or moment is None:
            return self.no_time
        return self.before if moment < boundary else self.after


@dataclass(frozen=True, slots=True)
class EmbargoRule:
    """EMBARGO: no use before `until`. Without a time, or without a readable end, review.

    The reasons do not depend on the moment asked about, so they are worked out once.
    """

    phrase: str
    until: datetime | None
    evidence: tuple[Evidence, ...] = ()
    static: ClassVar[bool] = False
    _answers: _Answers = field(init=False, repr=False, compare=False)

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
        object.__setattr__(self, "_answers", _Answers(before, after, no_time))

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        return self._answers.at(self.until, moment)

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
        phrase = quoted(self.restriction)
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
class ExpiryRule:
    """EXPIRY: no use from `restriction.expires_at` on (IPTC 2:37/2:38, PLUS LicenseEndDate).

    Without a time, or without a readable end, review: the policy holds no clock.
    """

    restriction: Restriction
    static: ClassVar[bool] = False
    _answers: _Answers = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        phrase = quoted(self.restriction)
        ends = self.restriction.expires_at
        if ends is None:
            unreadable = self._reason(
                f"{phrase} states an expiry that could not be read; a person must decide.",
                Outcome.REVIEW,
            )
            before = after = no_time = unreadable
        else:
            until = ends.isoformat()
            before = self._reason(f"{phrase}: usable until {until}.", Outcome.ALLOW)
            after = self._reason(
                f"{phrase}: the right to use the image expired at {until}.", Outcome.DENY
            )
            no_time = self._reason(
                f"{phrase}: usable until {until}, and the check gave no time; "
                "send the time of use.",
                Outcome.REVIEW,
            )
        object.__setattr__(self, "_answers", _Answers(before, after, no_time))

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        return self._answers.at(self.restriction.expires_at, moment)

    def _reason(self, message: str, outcome: Outcome) -> Reason:
        return Reason(Code.EXPIRY, message, outcome, self.restriction.all_evidence())
