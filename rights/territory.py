"""Territories: countries as the policy compares them, and the TERRITORY rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from rights.decision import Reason
from rights.record import Restriction
from rights.rules import quoted
from rights.vocabulary import Outcome

_TERRITORIES_KEPT = 300  # about every ISO 3166 country; bounds memory if callers send noise


def territory_code(territory: str) -> str:
    """An ISO 3166 alpha-2 code as the policy compares it: upper case, "UK" read as "GB".

    Picture desks write "UK" far more often than ISO's "GB"; treating them alike keeps a
    territory lease or restriction from silently failing to match.
    """
    code = territory.strip().upper()
    return "GB" if code == "UK" else code


def territory_codes(territories: tuple[str, ...]) -> frozenset[str]:
    """A set of territories, each read by `territory_code`."""
    return frozenset(territory_code(t) for t in territories if t.strip())


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
            if len(self._by_territory) < _TERRITORIES_KEPT:
                self._by_territory[territory] = reason
        return reason

    def _judge(self, territory: str | None) -> Reason:
        phrase = quoted(self.restriction)
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
