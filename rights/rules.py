"""Rules: what one restriction (or one fact about a record) says about a given use.

Every rule judges a use and returns the reason it contributes: allow, review or deny, with the
restriction's phrase as evidence. A rule whose answer depends only on the purpose is `static`,
so `prepare` can judge it once per purpose and a check only runs the rules that depend on time
(`rights.timing`) or territory (`rights.territory`). Rules never raise and never guess:
whatever they cannot tell becomes a review. This module holds the purpose-only rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from rights.decision import Reason
from rights.record import Evidence, Restriction
from rights.vocabulary import Code, Outcome, Purpose, ReasonCode

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


def quoted(restriction: Restriction) -> str:
    """The restriction's phrase in quotes, as messages cite it."""
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
                f"{quoted(self.restriction)}: editorial use is permitted.",
                Outcome.ALLOW,
                evidence,
            )
        return Reason(
            self.restriction.code,
            f"{quoted(self.restriction)}: the image is for editorial use only, "
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
                f"{quoted(self.restriction)}: {why}."
                if why
                else f"{quoted(self.restriction)} bars {use_words(purpose)}.",
                Outcome.DENY,
                evidence,
            )
        return Reason(
            self.restriction.code,
            f"{quoted(self.restriction)} does not bar {use_words(purpose)}.",
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
class UnreadableMetadataRule:
    """Blocks of the file that may state rights could not be read: what they said is unknown.

    Editorial use stays allowed (nearly every restriction allows it, and the desk must still
    be able to run news pictures); every other use goes to a person, with the warnings as
    evidence, until a rights manager has looked (an allow lease lifts this reason).
    """

    evidence: tuple[Evidence, ...]
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        blocks = ", ".join(dict.fromkeys(str(e.origin).upper() for e in self.evidence))
        if purpose == Purpose.EDITORIAL:
            return Reason(
                ReasonCode.UNREADABLE_METADATA,
                f"The file's metadata ({blocks}) could not be read in full; editorial use is "
                "permitted, any other use needs a person to check the file first.",
                Outcome.ALLOW,
                self.evidence,
            )
        return Reason(
            ReasonCode.UNREADABLE_METADATA,
            f"The file's metadata ({blocks}) could not be read in full and may state "
            f"restrictions; a person must check the file before {use_words(purpose)}.",
            Outcome.REVIEW,
            self.evidence,
        )


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
