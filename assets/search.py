"""Full-text search of the catalogue: the `q=` language, ranked keyset pages, highlighted matches.

The searched text of an asset is its caption, headline, keywords, place, byline, credit line
and source. The database keeps that text indexed itself (migration 0002), so every way a row
is written (ingest, caption edits, re-parses, bulk loads) is searchable without code hooks:

- SQLite: an FTS5 table `asset_fts` (unicode61, diacritics folded) filled by triggers on
  `asset`; `asset_search_key` gives each asset a stable integer rowid for it.
- PostgreSQL: a generated `tsvector` column `asset.search_document` with a GIN index, built
  with the `simple` configuration: agency captions come in many languages, so no stemming and
  no stop words of one language; names of people and places match as written.

Order: a search with at most FEW_MATCHES matches is ranked as a whole. Ranking every match
of a common word in a million captions costs a second, and news is searched for what is
recent, so a larger search comes in recency bands (the last hour, 4 hours, 16 hours, ~3 days,
~11 days, ~6 weeks, ~6 months, ~2 years, ~7 years, older; fixed when the walk starts, like
the choice between the two orders) and is ranked within each band. A page stops at the band
that fills it, so it ranks a few hundred matches at most whatever the archive size. On
PostgreSQL each document also carries "period words" for when it was stored, so the GIN index
itself returns only the band's matches (period_words).

Ranking is computed from one document and the query alone (PostgreSQL `ts_rank` over fields
weighted headline/keywords > caption/place > byline/credit/source; on SQLite the same three
weight classes summed per query term). It never depends on the rest of the corpus (unlike
bm25), so the order of existing rows cannot change when others are inserted, and a keyset
cursor over (band, rank, id) walks every result exactly once while ingest goes on.
"""

from __future__ import annotations

import html
import itertools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from assets.errors import InvalidRequest
from assets.tables import Asset

# Searched fields, in the order a match is reported (the caption gives the most context).
FIELDS = ("caption", "headline", "keywords", "place", "byline", "credit_line", "source")
# Weight classes (PostgreSQL setweight letters): what a match in that field is worth.
WEIGHT_CLASSES = {
    "A": ("headline", "keywords"),
    "B": ("caption", "place"),
    "C": ("byline", "credit_line", "source"),
}
_SQLITE_CLASS_POINTS = {"A": 10, "B": 4, "C": 2}
_PG_RANK_SCALE = 1_000_000  # ts_rank as an integer, so cursors compare exactly

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
TEXT_CONFIG = "simple"

_WORD = re.compile(r"[^\W_]")  # a term needs at least one letter or digit
_ITEM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")
_OPEN, _CLOSE = "\ue000", "\ue001"  # highlight sentinels, turned into <mark> after escaping
_ELLIPSIS = "…"
_NO_SENTINELS = str.maketrans({_OPEN: "\ufffd", _CLOSE: "\ufffd"})
"""A caption holding the sentinels themselves must not place highlights of its own."""
# PostgreSQL's parser reads "EPA/NAME" as one path token and skips "<...>" as markup; the index
# reads / < > as spaces (migration 0002), queries too, and highlights use look-alikes.
_PG_SPACES = str.maketrans("/<>", "   ")
_PG_LOOKALIKES = str.maketrans("/<>", "\u2215\uff1c\uff1e")
_PG_ORIGINALS = str.maketrans("\u2215\uff1c\uff1e", "/<>")
_PG_HEADLINE_OPTIONS = (
    f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=20, MinWords=8, ShortWord=2, MaxFragments=1"
)


@dataclass(frozen=True)
class TextQuery:
    """What `q` asks for: every group must match (any one term of it); no excluded term may.

    A term is a word or a "quoted phrase", kept as typed; each database splits it into words
    with the same tokenizer it used for the documents.
    """

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(term for group in self.groups for term in group)


@dataclass(frozen=True)
class Match:
    """Where a result matched: the field and a short HTML-escaped excerpt with <mark> tags."""

    field: str
    snippet: str


@dataclass(frozen=True)
class RankedIds:
    ids: list[str]
    ranks: dict[str, int]
    next_cursor: str | None


def parse_query(text: str) -> TextQuery:
    """Read the `q` language: words (all required), "phrases", `OR` between terms, `-word`.

    Nothing the user types is passed to a query parser as syntax: words and phrases become
    quoted strings (FTS5) or bound parameters (PostgreSQL), so no input can fail as syntax.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidRequest(f"q is longer than {MAX_QUERY_CHARS} characters; shorten the search")
    text = _CONTROL.sub(" ", text)
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for match in _ITEM.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and not negated and word.upper() == "OR":
            pending_or = bool(groups)
            continue
        term = " ".join((phrase if phrase is not None else word).split())
        if not _WORD.search(term):
            continue
        if negated:
            if term not in excluded:
                excluded.append(term)
        elif pending_or:
            if term not in groups[-1]:
                groups[-1].append(term)
        elif [term] not in groups:
            groups.append([term])
        pending_or = False
    if not groups:
        raise InvalidRequest(
            "q has no word to look for; search for words, names or an agency reference,"
            ' e.g. q=Ivanovo handout or q="defence ministry"'
        )
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise InvalidRequest(f"q has more than {MAX_TERMS} terms; search with fewer words")
    return TextQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def is_search_index_table(name: str) -> bool:
    """Tables migration 0002 derives from `asset` (SQLite): rebuilt by triggers, never copied."""
    return name == "asset_search_key" or name == "asset_fts" or name.startswith("asset_fts_")


# --- ranked ids -----------------------------------------------------------------------------


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
    postgresql = _dialect(session) == "postgresql"
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
    match = _pg_match(query, _search_document) if postgresql else _sqlite_match(query)
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
        columns.append(_search_document.label("search_document"))
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
    rows = _matching(_sqlite_match(query), window, postgresql=False)
    return (
        sa.select(rows.c.id.label("id"), _sqlite_rank(query, rows.c.id).label("rank"))
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
    rows = _matching(_search_document.op("@@")(wanted), window, postgresql=True)
    return (
        sa.select(rows.c.id.label("id"), _pg_rank(query, rows.c.search_document).label("rank"))
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
    return int(time.time() * 1000)


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


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


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


def _sqlite_match(query: TextQuery) -> ColumnElement[bool]:
    """Driven by the FTS index: the assets whose search rowid the MATCH returns."""
    keys = sa.select(_fts_key.c.asset_id).where(
        _fts_key.c.rowid.in_(_fts_rowids(fts5_expression(query)))
    )
    return col(Asset.id).in_(keys)


def _sqlite_rank(query: TextQuery, asset_id: ColumnElement[Any]) -> ColumnElement[Any]:
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


# PostgreSQL: each term goes through phraseto_tsquery as a bound parameter, combined with the
# tsquery functions (&&, ||, !! as tsquery_and / tsquery_or / tsquery_not).

_search_document: ColumnElement[Any] = sa.literal_column("asset.search_document")


def _pg_term(term: str) -> ColumnElement[Any]:
    config: ColumnElement[Any] = sa.literal_column(f"'{TEXT_CONFIG}'::regconfig")
    return sa.func.phraseto_tsquery(config, term.translate(_PG_SPACES))


def _pg_any(terms: Sequence[str]) -> ColumnElement[Any]:
    combined = _pg_term(terms[0])
    for term in terms[1:]:
        combined = sa.func.tsquery_or(combined, _pg_term(term))
    return combined


def pg_tsquery(query: TextQuery) -> ColumnElement[Any]:
    combined = _pg_any(query.groups[0])
    for group in query.groups[1:]:
        combined = sa.func.tsquery_and(combined, _pg_any(group))
    if query.excluded:
        combined = sa.func.tsquery_and(combined, sa.func.tsquery_not(_pg_any(query.excluded)))
    return combined


def _pg_match(query: TextQuery, document: ColumnElement[Any]) -> ColumnElement[bool]:
    return document.op("@@")(pg_tsquery(query))


def _pg_rank(query: TextQuery, document: ColumnElement[Any]) -> ColumnElement[Any]:
    rank = sa.func.ts_rank(document, pg_tsquery(query), sa.literal_column("1"))
    return sa.cast(sa.cast(rank, sa.Float) * _PG_RANK_SCALE, sa.BigInteger)


# --- highlighted matches --------------------------------------------------------------------


def field_texts(asset: Asset) -> dict[str, str]:
    """The searched text of each field, as the database indexes it."""
    rights = asset.rights or {}
    embedded = asset.embedded or {}
    keywords = embedded.get("keywords")
    texts = {
        "caption": asset.caption,
        "headline": embedded.get("headline"),
        "keywords": ", ".join(map(str, keywords)) if isinstance(keywords, list) else keywords,
        "place": rights.get("place"),
        "byline": rights.get("byline"),
        "credit_line": rights.get("credit_line"),
        "source": asset.source,
    }
    return {name: str(text) for name, text in texts.items() if text}


def find_matches(session: Session, query: TextQuery, assets: Sequence[Asset]) -> dict[str, Match]:
    """For each asset, the first field (in FIELDS order) where a query term occurs, highlighted."""
    if not assets:
        return {}
    if _dialect(session) == "postgresql":
        return _pg_matches(session, query, assets)
    return _sqlite_matches(session, query, assets)


def _sqlite_matches(
    session: Session, query: TextQuery, assets: Sequence[Asset]
) -> dict[str, Match]:
    snippets = ", ".join(
        f"snippet(asset_fts, {index}, :open, :close, :ellipsis, 16)" for index in range(len(FIELDS))
    )
    statement = sa.text(
        f"SELECT k.asset_id, {snippets} FROM asset_fts"  # fixed column list, values bound
        " JOIN asset_search_key AS k ON k.rowid = asset_fts.rowid"
        " WHERE asset_fts MATCH :expression AND k.asset_id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    rows = session.execute(
        statement,
        {
            "open": _OPEN,
            "close": _CLOSE,
            "ellipsis": _ELLIPSIS,
            "expression": fts5_expression(query),
            "ids": [a.id for a in assets],
        },
    )
    texts = {asset.id: field_texts(asset) for asset in assets}
    found: dict[str, Match] = {}
    for asset_id, *fragments in rows:
        for name, fragment in zip(FIELDS, fragments, strict=True):
            if fragment and _OPEN in fragment:
                if _has_sentinels(texts.get(asset_id, {}).get(name, "")):
                    # the stored text itself holds the highlight characters: which are ours
                    # cannot be told, so this excerpt is shown without highlight
                    fragment = fragment.translate(_NO_SENTINELS)
                found[asset_id] = Match(name, _to_html(fragment))
                break
    return found


def _pg_matches(session: Session, query: TextQuery, assets: Sequence[Asset]) -> dict[str, Match]:
    """ts_headline on the fields that contain any positive term, in one round trip."""
    keys: list[tuple[str, str, str]] = []
    for asset in assets:
        texts = field_texts(asset)
        keys.extend((asset.id, name, texts[name]) for name in FIELDS if name in texts)
    keys = [(asset_id, name, text.translate(_NO_SENTINELS)) for asset_id, name, text in keys]
    inputs = [k[2].translate(_PG_LOOKALIKES) for k in keys]
    if not keys:
        return {}
    config: ColumnElement[Any] = sa.literal_column(f"'{TEXT_CONFIG}'::regconfig")
    any_term = _pg_any(query.terms)
    texts_param = sa.bindparam("texts", inputs, type_=sa.ARRAY(sa.Text))
    numbered = (
        sa.func.unnest(texts_param)
        .table_valued("text", with_ordinality="number")
        .render_derived("t", with_types=False)
    )
    statement = sa.select(
        numbered.c.number,
        sa.func.ts_headline(config, numbered.c.text, any_term, _PG_HEADLINE_OPTIONS),
    ).where(sa.func.to_tsvector(config, numbered.c.text).op("@@")(any_term))
    found: dict[str, Match] = {}
    for number, fragment in sorted(session.execute(statement), key=lambda row: int(row[0])):
        asset_id, name, text = keys[int(number) - 1]
        if asset_id not in found and _OPEN in fragment:
            fragment = fragment.translate(_PG_ORIGINALS)
            found[asset_id] = Match(name, _to_html(_with_ellipses(fragment, text)))
    return found


def _with_ellipses(fragment: str, text: str) -> str:
    plain = fragment.replace(_OPEN, "").replace(_CLOSE, "").strip()
    whole = text.strip()
    if not whole.startswith(plain):
        fragment = _ELLIPSIS + " " + fragment.lstrip()
    if not whole.endswith(plain):
        fragment = fragment.rstrip() + " " + _ELLIPSIS
    return fragment


def _has_sentinels(text: str) -> bool:
    return _OPEN in text or _CLOSE in text


def _to_html(fragment: str) -> str:
    """Escape the stored text; only the highlight becomes markup."""
    return html.escape(fragment, quote=False).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
