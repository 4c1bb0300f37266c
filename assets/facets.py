"""Counts per filter value for a listing: how many pictures each agency, source, restriction,
status and handout choice would leave. Each facet is counted with the other filters applied
and its own left out, so a person sees the alternatives to what they picked."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from assets.catalogue import AssetFilter, filter_conditions
from assets.tables import Asset, AssetRestriction

MAX_VALUES = 12
"""Values shown per facet, most pictures first; the rest are reached by typing the value."""


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


def facet_counts(session: Session, filters: AssetFilter) -> dict[str, list[FacetValue]]:
    """agency, source, restriction, status and handout counts (the text query is not applied:
    a search is ranked in bands and counting every match would cost what ranking saves)."""
    return {
        "agency": _grouped(session, filters, "agency", col(Asset.agency)),
        "source": _grouped(session, filters, "source", col(Asset.source)),
        "status": _grouped(session, filters, "status", col(Asset.status)),
        "handout": _grouped(session, filters, "handout", col(Asset.handout)),
        "restriction": _restrictions(session, filters),
    }


def _without(filters: AssetFilter, name: str) -> AssetFilter:
    return dataclasses.replace(filters, q=None, **{name: None})


def _grouped(session: Session, filters: AssetFilter, name: str, column: Any) -> list[FacetValue]:
    count = sa.func.count().label("n")
    query = (
        sa.select(column, count)
        .where(*filter_conditions(_without(filters, name)), column.is_not(None))
        .group_by(column)
        .order_by(count.desc(), column)
        .limit(MAX_VALUES)
    )
    return [FacetValue(_word(value, name), n) for value, n in session.connection().execute(query)]


def _restrictions(session: Session, filters: AssetFilter) -> list[FacetValue]:
    code = col(AssetRestriction.code)
    count = sa.func.count().label("n")
    query = (
        sa.select(code, count)
        .join(Asset, col(Asset.id) == col(AssetRestriction.asset_id))
        .where(*filter_conditions(_without(filters, "restriction")))
        .group_by(code)
        .order_by(count.desc(), code)
        .limit(MAX_VALUES)
    )
    return [FacetValue(str(value), n) for value, n in session.connection().execute(query)]


def _word(value: object, name: str) -> str:
    if name == "handout":  # SQLite hands booleans back as 0 and 1
        return "yes" if value else "no"
    return str(value)
