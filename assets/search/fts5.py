"""SQLite: the FTS5 index (migration 0002) asked with quoted terms, and ranked by weight class."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from assets.search.query import WEIGHT_CLASSES, TextQuery
from assets.tables import Asset

_SQLITE_CLASS_POINTS = {"A": 10, "B": 4, "C": 2}


def is_search_index_table(name: str) -> bool:
    """Tables migration 0002 derives from `asset` (SQLite): rebuilt by triggers, never copied."""
    return name == "asset_search_key" or name == "asset_fts" or name.startswith("asset_fts_")


# SQLite: FTS5 query strings. Every term is a double-quoted FTS5 string (quotes doubled), which
# the tokenizer splits into a phrase: NEAR, AND, *, ^, : and parentheses typed by a user are
# just characters inside it.


def _fts_term(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_group(group: Sequence[str]) -> str:
    return "(" + " OR ".join(_fts_term(t) for t in group) + ")"


def fts5_expression(query: TextQuery) -> str:
    """The FTS5 MATCH expression for a query (every user term quoted)."""
    expression = " AND ".join(_fts_group(g) for g in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT {_fts_group(query.excluded)}"
    return expression


_fts_key = sa.table("asset_search_key", sa.column("rowid"), sa.column("asset_id"))


def _fts_rowids(expression: str) -> sa.Select[Any]:
    return (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.table("asset_fts"))
        .where(sa.literal_column("asset_fts").op("MATCH")(sa.literal(expression)))
    )


def _sqlite_key_rowid(asset_id: ColumnElement[Any]) -> ColumnElement[Any]:
    return sa.select(_fts_key.c.rowid).where(_fts_key.c.asset_id == asset_id).scalar_subquery()


def sqlite_match(query: TextQuery) -> ColumnElement[bool]:
    """Driven by the FTS index: the assets whose search rowid the MATCH returns."""
    keys = sa.select(_fts_key.c.asset_id).where(
        _fts_key.c.rowid.in_(_fts_rowids(fts5_expression(query)))
    )
    return col(Asset.id).in_(keys)


def sqlite_rank(query: TextQuery, asset_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """Points per query term for the best weight class of field it occurs in."""
    key = _sqlite_key_rowid(asset_id)
    total: ColumnElement[Any] = sa.literal(0)
    for group in query.groups:
        points = sa.case(
            *(
                (
                    key.in_(_fts_rowids("{" + " ".join(fields) + "} : " + _fts_group(group))),
                    _SQLITE_CLASS_POINTS[weight],
                )
                for weight, fields in WEIGHT_CLASSES.items()
            ),
            else_=0,
        )
        total = total + points
    return total
