"""Countries as the policy compares them."""

from __future__ import annotations


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
