"""Territories: countries as the policy compares them, and the TERRITORY rule.

A territory is an ISO 3166-1 alpha-2 code the standard has assigned (data in territories.toml),
or one of the documented aliases desks write ("UK" for GB). Anything else names no country: the
API refuses it, and where one reaches the policy anyway (a stored restriction, a wire record)
it never leaves a use free — the rule sends it to review.

A country named in an exclusion also reaches what territories.toml says it covers (its
dependencies, overseas departments and the microstates its market takes in): "NO USE IN
FRANCE" denies a use in Réunion or Monaco. An inclusion is read narrowly: "FOR USE IN FRANCE
ONLY" leaves a use in Réunion to a person.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar, Final

from rights.decision import Reason
from rights.errors import UnknownTerritory
from rights.record import Restriction
from rights.rules import quoted
from rights.vocabulary import Outcome

_TERRITORIES_KEPT = 300  # about every ISO 3166 country; bounds memory if callers send noise

_DATA: Final[dict[str, Any]] = tomllib.loads(
    (resources.files("rights") / "territories.toml").read_text("utf-8")
)
ASSIGNED: Final[frozenset[str]] = frozenset(_DATA["assigned"])
"""Every ISO 3166-1 alpha-2 code assigned to a country or territory."""
ALIASES: Final[dict[str, str]] = dict(_DATA["aliases"])
"""Codes desks write for a country that are not its ISO code ("UK" -> "GB")."""
COVERS: Final[dict[str, frozenset[str]]] = {
    country: frozenset(covered) for country, covered in _DATA["covers"].items()
}
"""What a country named in an exclusion also reaches: dependencies, departments, enclaves."""
_PARENTS: Final[dict[str, frozenset[str]]] = {
    covered: frozenset(c for c, reach in COVERS.items() if covered in reach)
    for reach in COVERS.values()
    for covered in reach
}


def territory_code(territory: str) -> str | None:
    """The ISO code a territory is compared as (upper case, alias read), None if no country.

    Picture desks write "UK" far more often than ISO's "GB"; treating them alike keeps a
    territory lease or restriction from silently failing to match.
    """
    code = territory.strip().upper()
    code = ALIASES.get(code, code)
    return code if code in ASSIGNED else None


def read_territory(territory: str) -> str:
    """`territory_code`, or UnknownTerritory saying why: for values entering through the API."""
    code = territory_code(territory)
    if code is not None:
        return code
    aliases = ", ".join(f"{alias} for {code}" for alias, code in sorted(ALIASES.items()))
    raise UnknownTerritory(
        f"{territory.strip()!r} is not an ISO 3166-1 country code: send an assigned alpha-2"
        f" code such as FR, GB or US ({aliases} are also read); groupings (EU), reserved and"
        " user-assigned codes (XX, ZZ, AA, QM-QZ, XA-XZ) name no country"
    )


@lru_cache(maxsize=4096)
def territory_codes(territories: tuple[str, ...]) -> frozenset[str]:
    """The countries a list of territories names, each read by `territory_code`."""
    return frozenset(c for c in map(territory_code, territories) if c is not None)


@lru_cache(maxsize=4096)
def unresolved(territories: tuple[str, ...]) -> tuple[str, ...]:
    """The entries of a list that name no country (kept as written, blanks dropped)."""
    return tuple(t for t in territories if t.strip() and territory_code(t) is None)


@lru_cache(maxsize=4096)
def with_covered(codes: frozenset[str]) -> frozenset[str]:
    """`codes` and everything an exclusion of them reaches (`COVERS`)."""
    reached = set(codes)
    for code in codes:
        reached |= COVERS.get(code, frozenset())
    return frozenset(reached)


def covering(code: str) -> frozenset[str]:
    """The countries whose exclusion reaches `code` ("RE" -> {"FR"}); empty for most."""
    return _PARENTS.get(code, frozenset())


def territory_rule(restriction: Restriction) -> TerritoryRule:
    """The TERRITORY rule for a restriction, its country lists read and exclusions widened."""
    included = tuple(restriction.countries_included)
    excluded = tuple(restriction.countries_excluded)
    return TerritoryRule(
        restriction,
        included=territory_codes(included),
        excluded=with_covered(territory_codes(excluded)),
        named_excluded=territory_codes(excluded),
        unresolved_included=unresolved(included),
        unresolved_excluded=unresolved(excluded),
    )


@dataclass(frozen=True, slots=True)
class TerritoryRule:
    """TERRITORY: only inside `included` (when given), never inside `excluded`.

    `excluded` already holds what the named countries (`named_excluded`) cover. Entries of the
    restriction that name no country are `unresolved_*`: a use they might reach is reviewed.
    The reason for each territory asked about is remembered: there are only so many countries.
    """

    restriction: Restriction
    included: frozenset[str]
    excluded: frozenset[str]
    named_excluded: frozenset[str] = frozenset()
    unresolved_included: tuple[str, ...] = ()
    unresolved_excluded: tuple[str, ...] = ()
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
        unread = self.unresolved_included + self.unresolved_excluded
        if not self.included and not self.excluded and not unread:
            return self._reason(
                f"{phrase} limits where the image may be used, but no country could be read "
                "from it; a person must decide.",
                Outcome.REVIEW,
            )
        if territory is None:
            return self._reason(
                f"{phrase} limits where the image may be used, and the check named no "
                "country of use it could read; send the territory of use as an ISO 3166-1 code.",
                Outcome.REVIEW,
            )
        if territory in self.excluded:
            if territory in self.named_excluded:
                return self._reason(f"{phrase}: not licensed in {territory}.", Outcome.DENY)
            by = _listed(covering(territory) & self.named_excluded)
            return self._reason(
                f"{phrase}: not licensed in {territory}, which the exclusion of {by} reaches.",
                Outcome.DENY,
            )
        if self.unresolved_excluded:
            return self._unresolved(phrase, self.unresolved_excluded, territory)
        if self.included or self.unresolved_included:
            if territory in self.included:
                return self._reason(f"{phrase}: {territory} is licensed.", Outcome.ALLOW)
            within = covering(territory) & self.included
            if within:
                return self._reason(
                    f"{phrase}: licensed in {_listed(within)}; whether that takes in "
                    f"{territory} a person must decide.",
                    Outcome.REVIEW,
                )
            if self.unresolved_included:
                return self._unresolved(phrase, self.unresolved_included, territory)
            return self._reason(
                f"{phrase}: licensed only in {_listed(self.included)}; {territory} is outside.",
                Outcome.DENY,
            )
        return self._reason(f"{phrase}: {territory} is licensed.", Outcome.ALLOW)

    def _unresolved(self, phrase: str, names: tuple[str, ...], territory: str) -> Reason:
        return self._reason(
            f"{phrase} names {_listed(names)}, which is no country the policy can read; "
            f"whether it reaches {territory} a person must decide.",
            Outcome.REVIEW,
        )

    def _reason(self, message: str, outcome: Outcome) -> Reason:
        return Reason(self.restriction.code, message, outcome, self.restriction.all_evidence())


def _listed(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))
