"""PostgreSQL: the generated tsvector (migration 0002) asked with bound tsquery terms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from assets.search.query import TEXT_CONFIG, TextQuery

_PG_RANK_SCALE = 1_000_000  # ts_rank as an integer, so cursors compare exactly
# PostgreSQL's parser reads "EPA/NAME" as one path token and skips "<...>" as markup; the index
# reads / < > as spaces (migration 0002), queries too, and highlights use look-alikes.
_PG_SPACES = str.maketrans("/<>", "   ")


# PostgreSQL: each term goes through phraseto_tsquery as a bound parameter, combined with the
# tsquery functions (&&, ||, !! as tsquery_and / tsquery_or / tsquery_not).

SEARCH_DOCUMENT: ColumnElement[Any] = sa.literal_column("asset.search_document")


def _pg_term(term: str) -> ColumnElement[Any]:
    config: ColumnElement[Any] = sa.literal_column(f"'{TEXT_CONFIG}'::regconfig")
    return sa.func.phraseto_tsquery(config, term.translate(_PG_SPACES))


def pg_any(terms: Sequence[str]) -> ColumnElement[Any]:
    combined = _pg_term(terms[0])
    for term in terms[1:]:
        combined = sa.func.tsquery_or(combined, _pg_term(term))
    return combined


def pg_tsquery(query: TextQuery) -> ColumnElement[Any]:
    combined = pg_any(query.groups[0])
    for group in query.groups[1:]:
        combined = sa.func.tsquery_and(combined, pg_any(group))
    if query.excluded:
        combined = sa.func.tsquery_and(combined, sa.func.tsquery_not(pg_any(query.excluded)))
    return combined


def pg_match(query: TextQuery, document: ColumnElement[Any]) -> ColumnElement[bool]:
    return document.op("@@")(pg_tsquery(query))


def pg_rank(query: TextQuery, document: ColumnElement[Any]) -> ColumnElement[Any]:
    rank = sa.func.ts_rank(document, pg_tsquery(query), sa.literal_column("1"))
    return sa.cast(sa.cast(rank, sa.Float) * _PG_RANK_SCALE, sa.BigInteger)
