"""Highlighted matches: the first field where a query term occurs, as escaped HTML with <mark>."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from assets.search.fts5 import fts5_expression
from assets.search.query import FIELDS, TEXT_CONFIG, TextQuery, dialect
from assets.search.tsquery import pg_any
from assets.tables import Asset

_OPEN, _CLOSE = "\ue000", "\ue001"  # highlight sentinels, turned into <mark> after escaping
_ELLIPSIS = "…"
_NO_SENTINELS = str.maketrans({_OPEN: "\ufffd", _CLOSE: "\ufffd"})
"""A caption holding the sentinels themselves must not place highlights of its own."""
_PG_LOOKALIKES = str.maketrans("/<>", "\u2215\uff1c\uff1e")
_PG_ORIGINALS = str.maketrans("\u2215\uff1c\uff1e", "/<>")
_PG_HEADLINE_OPTIONS = (
    f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=20, MinWords=8, ShortWord=2, MaxFragments=1"
)


@dataclass(frozen=True)
class Match:
    """Where a result matched: the field and a short HTML-escaped excerpt with <mark> tags."""

    field: str
    snippet: str


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
    if dialect(session) == "postgresql":
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
    any_term = pg_any(query.terms)
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
