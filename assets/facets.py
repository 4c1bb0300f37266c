"""Counts per filter value for a listing: how many pictures each agency, source, restriction,
status and handout choice would leave. Each facet is counted with the other filters applied
and its own left out, so a person sees the alternatives to what they picked.

Two queries whatever the number of facets: one groups the assets by every column facet at
once (the groups are few: agencies x sources x statuses) and the facets are summed from the
groups here; the other counts restriction codes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from assets.catalogue import AssetFilter, filter_conditions
from assets.tables import Asset, AssetRestriction

MAX_VALUES = 12
"""Values shown per facet, most pictures first; the rest are reached by typing the value."""

COLUMN_FACETS = ("agency", "source", "status", "handout")


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


def facet_counts(session: Session, filters: AssetFilter) -> dict[str, list[FacetValue]]:
    """agency, source, restriction, status and handout counts (the text query is not applied:
    a search is ranked in bands and counting every match would cost what ranking saves)."""
    chosen = {
        "agency": filters.agency,
        "source": filters.source,
        "status": filters.status,
        "handout": filters.handout,
    }
    base = dataclasses.replace(filters, q=None, agency=None, source=None, status=None, handout=None)
    columns = [col(Asset.agency), col(Asset.source), col(Asset.status), col(Asset.handout)]
    groups = session.connection().execute(
        sa.select(*columns, sa.func.count()).where(*filter_conditions(base)).group_by(*columns)
    )
    counters: dict[str, Counter[str]] = {name: Counter() for name in COLUMN_FACETS}
    for *values, count in groups:
        row = dict(zip(COLUMN_FACETS, values, strict=True))
        row["handout"] = bool(row["handout"])  # SQLite hands booleans back as 0 and 1
        for name in COLUMN_FACETS:
            others_match = all(
                chosen[other] in (None, "") or row[other] == chosen[other]
                for other in COLUMN_FACETS
                if other != name
            )
            if others_match and row[name] is not None:
                counters[name][_word(row[name])] += count
    result = {name: _top(counter) for name, counter in counters.items()}
    result["restriction"] = _restrictions(session, filters)
    return result


def _restrictions(session: Session, filters: AssetFilter) -> list[FacetValue]:
    code = col(AssetRestriction.code)
    count = sa.func.count().label("n")
    query = (
        sa.select(code, count)
        .join(Asset, col(Asset.id) == col(AssetRestriction.asset_id))
        .where(*filter_conditions(dataclasses.replace(filters, q=None, restriction=None)))
        .group_by(code)
        .order_by(count.desc(), code)
        .limit(MAX_VALUES)
    )
    return [FacetValue(str(value), n) for value, n in session.connection().execute(query)]


def _top(counter: Counter[str]) -> list[FacetValue]:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in ordered[:MAX_VALUES]]


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
