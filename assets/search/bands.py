"""Ranked keyset pages: the whole match set when it is small, recency bands when not."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from assets.clock import utcnow
from assets.errors import InvalidRequest
from assets.search.fts5 import sqlite_match, sqlite_rank
from assets.search.query import TextQuery, dialect
from assets.search.tsquery import SEARCH_DOCUMENT, pg_match, pg_rank, pg_tsquery
from assets.tables import Asset


@dataclass(frozen=True)
class RankedIds:
    ids: list[str]
    ranks: dict[str, int]
    next_cursor: str | None


# The listing's filters, as conditions on the columns of a table or subquery of assets.
Filters = Callable[[Any], list[ColumnElement[bool]]]


def ranked_ids(
    session: Session,
    query: TextQuery,
    filters: Filters,
    limit: int,
    cursor: str | None,
    now_ms: int | None = None,
) -> RankedIds:
    """Ids of the matching assets for one keyset page, best first.

    A search with at most FEW_MATCHES matches is ranked as a whole. A larger one is ranked
    within recency bands, newest band first, and a page stops at the band that fills it: it
    ranks a few hundred matches whatever the archive size.
    """
    postgresql = dialect(session) == "postgresql"
    if postgresql:
        # these statements run in milliseconds: compiling them (JIT) or starting workers would
        # take longer, and a plan without workers runs UNION ALL branches in order
        session.execute(sa.text("SET LOCAL jit = off"))
        session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    if cursor:
        position = _read_cursor(cursor)
        anchor, banded, band, after = (
            position.anchor_ms,
            position.banded,
            position.band,
            position.after,
        )
    else:
        anchor, band, after = now_ms or _now_ms(), 0, None
        banded = _has_many_matches(session, query, filters, postgresql)
    bands = BANDS_HOURS if banded else ()
    found: list[tuple[int, str, int]] = []  # (band, id, rank)
    in_one = (
        _pg_bands_in_one_statement(session, query, filters, bands, anchor, band, after, limit)
        if postgresql
        else None
    )
    if in_one is not None:
        found, band = in_one, len(bands) + 1
    while band <= len(bands) and len(found) <= limit:
        wanted = limit + 1 - len(found)
        window = _band_window(bands, anchor, band)
        if postgresql:
            words = _band_period_words(bands, anchor, band)
            ranked = _pg_band(query, words, window, filters)
        else:
            ranked = _sqlite_band(query, window, filters)
        rows = _keyset_page(session, ranked, after, wanted)
        found.extend((band, asset_id, value) for asset_id, value in rows)
        if len(rows) == wanted:
            break
        band, after = band + 1, None
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last_band, last_id, last_rank = page[-1]
        mode = "b" if banded else "a"
        next_cursor = f"{anchor:x}.{mode}{last_band}.{last_rank}.{last_id}"
    return RankedIds([i for _, i, _ in page], {i: r for _, i, r in page}, next_cursor)


def _pg_bands_in_one_statement(
    session: Session,
    query: TextQuery,
    filters: Filters,
    bands: tuple[int, ...],
    anchor: int,
    first_band: int,
    after: tuple[int, str] | None,
    limit: int,
) -> list[tuple[int, str, int]] | None:
    """Every remaining band as one UNION ALL under LIMIT: PostgreSQL runs the branches in
    order and stops as soon as the page is full, in one round trip instead of one per band.
    None if the rows did not come in band order (then the bands are asked one by one)."""
    branches = []
    for band in range(first_band, len(bands) + 1):
        ranked = _pg_band(
            query,
            _band_period_words(bands, anchor, band),
            _band_window(bands, anchor, band),
            filters,
        )
        branches.append(
            _keyset_select(ranked, after if band == first_band else None, limit + 1).add_columns(
                sa.literal(band, sa.Integer).label("band")
            )
        )
    union = sa.union_all(*branches).subquery("bands")
    rows = [
        (int(r.band), str(r.id), int(r.rank))
        for r in session.execute(sa.select(union.c.band, union.c.id, union.c.rank).limit(limit + 1))
    ]
    if any(earlier[0] > later[0] for earlier, later in itertools.pairwise(rows)):
        return None
    return rows


# Up to this many matches a search is ranked as a whole; counting stops there, so the probe
# costs at most this many rows.
FEW_MATCHES = 500


def _has_many_matches(
    session: Session, query: TextQuery, filters: Filters, postgresql: bool
) -> bool:
    """More than FEW_MATCHES matches? Counted up to FEW_MATCHES + 1, unless PostgreSQL's
    estimate is already far above (its errors on words that come together are
    underestimates, so a high estimate is safe to trust)."""
    match = pg_match(query, SEARCH_DOCUMENT) if postgresql else sqlite_match(query)
    if postgresql and _pg_estimated_rows(session, match, filters) > 4 * FEW_MATCHES:
        return True
    matching = _matching(match, [], postgresql)
    sample = (
        sa.select(sa.literal(1))
        .select_from(matching)
        .where(*filters(matching.c))
        .limit(FEW_MATCHES + 1)
        .subquery("sample")
    )
    count = session.execute(sa.select(sa.func.count()).select_from(sample)).scalar_one()
    return int(count) > FEW_MATCHES


def _pg_estimated_rows(session: Session, match: ColumnElement[bool], filters: Filters) -> float:
    statement = (
        sa.select(sa.literal(1))
        .select_from(_asset_table())
        .where(match, *filters(_asset_table().c))
    )
    compiled = statement.compile(dialect=session.get_bind().dialect)
    plan: Any = (
        session.connection()
        .exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
        .scalar()
    )
    try:
        return float(plan[0]["Plan"]["Plan Rows"])
    except (TypeError, LookupError, ValueError):
        return 0.0


def _matching(
    match: ColumnElement[bool], window: list[ColumnElement[bool]], postgresql: bool
) -> sa.Subquery:
    """Assets the text index returns, fenced (OFFSET 0) from the listing's filters.

    Filters apply to these rows after the text search: otherwise the planner may build a
    bitmap of every asset of an agency (a third of the catalogue) to AND with a few hundred
    text matches.
    """
    table = _asset_table()
    columns: list[Any] = [table]
    if postgresql:
        columns.append(SEARCH_DOCUMENT.label("search_document"))
    return sa.select(*columns).where(match, *window).offset(0).subquery("matching")


def _asset_table() -> sa.Table:
    table: sa.Table = Asset.__table__  # type: ignore[attr-defined]
    return table


# Recency bands, newest first: each ends this many hours before the search began (the last
# band holds everything older). Widths grow fourfold, so the band that completes a page holds
# about as many matches as everything newer than it.
BANDS_HOURS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536)
HOUR_MS = 3_600_000


def _band_window(bands: tuple[int, ...], anchor_ms: int, band: int) -> list[ColumnElement[bool]]:
    window: list[ColumnElement[bool]] = []
    if band > 0:  # the newest band is open-ended: pictures stored during the walk land there
        window.append(col(Asset.id) < _id_floor(anchor_ms - bands[band - 1] * HOUR_MS))
    if band < len(bands):
        window.append(col(Asset.id) >= _id_floor(anchor_ms - bands[band] * HOUR_MS))
    return window


def _keyset_page(
    session: Session, ranked: sa.Subquery, after: tuple[int, str] | None, wanted: int
) -> list[tuple[str, int]]:
    outer = _keyset_select(ranked, after, wanted)
    return [(str(r.id), int(r.rank)) for r in session.execute(outer)]


def _keyset_select(
    ranked: sa.Subquery, after: tuple[int, str] | None, wanted: int
) -> sa.Select[Any]:
    outer = sa.select(ranked.c.id, ranked.c.rank)
    if after is not None:
        last_rank, last_id = after
        outer = outer.where(
            sa.or_(
                ranked.c.rank < last_rank,
                sa.and_(ranked.c.rank == last_rank, ranked.c.id < last_id),
            )
        )
    return outer.order_by(ranked.c.rank.desc(), ranked.c.id.desc()).limit(wanted)


def _sqlite_band(
    query: TextQuery, window: list[ColumnElement[bool]], filters: Filters
) -> sa.Subquery:
    rows = _matching(sqlite_match(query), window, postgresql=False)
    return (
        sa.select(rows.c.id.label("id"), sqlite_rank(query, rows.c.id).label("rank"))
        .where(*filters(rows.c))
        .offset(0)  # keeps the rank computed once per row (no subquery pull-up)
        .subquery("ranked")
    )


def _pg_band(
    query: TextQuery, tokens: str | None, window: list[ColumnElement[bool]], filters: Filters
) -> sa.Subquery:
    """The band's matches: the GIN index intersects the query with the band's period words."""
    wanted = pg_tsquery(query)
    if tokens is not None:
        wanted = sa.func.tsquery_and(wanted, sa.cast(sa.literal(tokens), TSQUERY))
    rows = _matching(SEARCH_DOCUMENT.op("@@")(wanted), window, postgresql=True)
    return (
        sa.select(rows.c.id.label("id"), pg_rank(query, rows.c.search_document).label("rank"))
        .where(*filters(rows.c))
        .offset(0)  # keeps the rank computed once per row (no subquery pull-up)
        .subquery("ranked")
    )


# Every document also holds "period words" (migration 0002): "~" and the first 3, 4 and 5 hex
# digits of its id, i.e. the ~2.2-year, ~50-day and ~3.1-day period it was stored in. The
# parser never makes a word with "~", so no search can type one. Asking the GIN index for the
# query AND the periods covering a band keeps other periods' matches out of the bitmap: a
# band costs its own matches, not every match of a common word.
_PERIOD_LEVELS = ((3, 36), (4, 32), (5, 28))  # (hex digits kept, bits of milliseconds dropped)
_MAX_PERIOD_WORDS = 64


def period_words(first_ms: int, end_ms: int) -> str | None:
    """A tsquery OR-ing the period words that cover [first_ms, end_ms) (None if too many)."""
    finest = 1 << _PERIOD_LEVELS[-1][1]
    moment = max(first_ms, 0) // finest * finest
    end = -(-end_ms // finest) * finest
    words: list[str] = []
    while moment < end:
        for digits, bits in _PERIOD_LEVELS:
            size = 1 << bits
            if moment % size == 0 and moment + size <= end:
                words.append(f"'~{moment:012x}"[: digits + 2] + "'")
                moment += size
                break
        if len(words) > _MAX_PERIOD_WORDS:
            return None
    return " | ".join(words) if words else None


def _band_period_words(bands: tuple[int, ...], anchor_ms: int, band: int) -> str | None:
    if band >= len(bands):
        return None  # everything older: no narrowing needed
    first = anchor_ms - bands[band] * HOUR_MS
    # the newest band is open-ended: it reaches one finest period past the walk's start
    finest = 1 << _PERIOD_LEVELS[-1][1]
    end = anchor_ms - bands[band - 1] * HOUR_MS if band else anchor_ms + finest
    return period_words(first, end)


def _id_floor(moment_ms: int) -> str:
    """The smallest id made at `moment_ms` (ids start with their creation time, assets.ids)."""
    return f"{max(moment_ms, 0):012x}"


def _now_ms() -> int:
    return int(utcnow().timestamp() * 1000)


@dataclass(frozen=True)
class _Position:
    anchor_ms: int
    banded: bool
    band: int
    after: tuple[int, str]


_CURSOR = re.compile(r"^([0-9a-f]{1,12})\.([ab])(\d{1,2})\.(\d{1,15})\.([0-9a-f]{32})$")


def _read_cursor(cursor: str) -> _Position:
    """walk start (ms, hex) . a|b (ranked as a whole | in bands) band . rank . id"""
    found = _CURSOR.match(cursor)
    banded = found is not None and found.group(2) == "b"
    if found is None or int(found.group(3)) > (len(BANDS_HOURS) if banded else 0):
        raise InvalidRequest(
            "cursor is not one this search issued; pass next_cursor back with the same q"
        )
    return _Position(
        int(found.group(1), 16),
        banded,
        int(found.group(3)),
        (int(found.group(4)), found.group(5)),
    )
