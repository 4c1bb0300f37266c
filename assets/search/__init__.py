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

One module per job: `query` (the `q` language), `fts5` (SQLite), `tsquery` (PostgreSQL),
`bands` (ranked keyset pages and recency bands), `snippets` (highlighted matches).
"""

from assets.search.bands import (
    BANDS_HOURS,
    FEW_MATCHES,
    Filters,
    RankedIds,
    period_words,
    ranked_ids,
)
from assets.search.fts5 import fts5_expression, is_search_index_table
from assets.search.query import FIELDS, MAX_QUERY_CHARS, MAX_TERMS, TextQuery, parse_query
from assets.search.snippets import Match, field_texts, find_matches
from assets.search.tsquery import pg_tsquery

__all__ = [
    "BANDS_HOURS",
    "FEW_MATCHES",
    "FIELDS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "Filters",
    "Match",
    "RankedIds",
    "TextQuery",
    "field_texts",
    "find_matches",
    "fts5_expression",
    "is_search_index_table",
    "parse_query",
    "period_words",
    "pg_tsquery",
    "ranked_ids",
]
