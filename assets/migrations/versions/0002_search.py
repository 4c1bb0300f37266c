"""Search: full-text index of captions and rights text, and the indexes listings filter on.

SQLite: FTS5 table `asset_fts` (one column per searched field) kept in sync with `asset` by
triggers; `asset_search_key` gives every asset a stable integer rowid (an implicit rowid may
change on VACUUM). PostgreSQL: generated tsvector column `asset.search_document`, GIN indexed,
fields weighted A (headline, keywords), B (caption, place), C (byline, credit line, source).

Plain (search_path-relative) names everywhere: a deployment may live in its own schema.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Filters that listings combine with newest-first order: each index serves `filter ORDER BY id`.
LISTING_INDEXES = {
    "ix_asset_status_id": ["status", "id"],
    "ix_asset_handout_id": ["handout", "id"],
    "ix_asset_created_at": ["created_at"],
}

# PostgreSQL's parser reads "EPA/JOHN SMITH" as one file-path token (agency credit lines are
# written that way) and "<...>" as markup it skips, so / < > are read as spaces
# (assets.search does the same to queries and highlights). The last line adds "period words":
# "~" and the first 3, 4, 5 hex digits of the id (its ~2.2-year, ~50-day and ~3.1-day period
# of storage), which let the GIN index answer "this query, stored in this period" alone.
PG_DOCUMENT = """
    setweight(to_tsvector('simple'::regconfig,
              translate(coalesce(embedded ->> 'headline', ''), '/<>', '   ')), 'A')
    || setweight(jsonb_to_tsvector('simple'::regconfig,
                 coalesce(embedded -> 'keywords', '[]'::jsonb), '["string"]'), 'A')
    || setweight(to_tsvector('simple'::regconfig,
                 translate(coalesce(caption, ''), '/<>', '   ')), 'B')
    || setweight(to_tsvector('simple'::regconfig,
                 translate(coalesce(rights ->> 'place', ''), '/<>', '   ')), 'B')
    || setweight(to_tsvector('simple'::regconfig,
                 translate(coalesce(rights ->> 'byline', ''), '/<>', '   ')), 'C')
    || setweight(to_tsvector('simple'::regconfig,
                 translate(coalesce(rights ->> 'credit_line', ''), '/<>', '   ')), 'C')
    || setweight(to_tsvector('simple'::regconfig,
                 translate(coalesce(source, ''), '/<>', '   ')), 'C')
    || array_to_tsvector(ARRAY['~' || left(id, 3), '~' || left(id, 4), '~' || left(id, 5)])
"""

# The searched text of a row `r` of asset, in asset_fts column order.
SQLITE_FIELDS = """
    r.caption,
    json_extract(r.embedded, '$.headline'),
    (SELECT group_concat(value, ', ') FROM json_each(r.embedded, '$.keywords')),
    json_extract(r.rights, '$.place'),
    json_extract(r.rights, '$.byline'),
    json_extract(r.rights, '$.credit_line'),
    r.source
"""
FTS_COLUMNS = "caption, headline, keywords, place, byline, credit_line, source"


def _fields(row: str) -> str:
    return SQLITE_FIELDS.replace("r.", f"{row}.")


def upgrade() -> None:
    for name, columns in LISTING_INDEXES.items():
        op.create_index(name, "asset", columns)
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def _upgrade_postgresql() -> None:
    op.execute(
        f"ALTER TABLE asset ADD COLUMN search_document tsvector"
        f" GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED"
    )
    op.execute("CREATE INDEX ix_asset_search_document ON asset USING gin (search_document)")


def _upgrade_sqlite() -> None:
    op.execute(
        "CREATE TABLE asset_search_key ("
        " rowid INTEGER PRIMARY KEY,"
        " asset_id VARCHAR(32) NOT NULL UNIQUE)"
    )
    op.execute(
        f"CREATE VIRTUAL TABLE asset_fts USING fts5({FTS_COLUMNS},"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    key_of = "(SELECT rowid FROM asset_search_key WHERE asset_id = {row}.id)"
    op.execute(
        "CREATE TRIGGER asset_search_insert AFTER INSERT ON asset BEGIN"
        " INSERT INTO asset_search_key (asset_id) VALUES (new.id);"
        f" INSERT INTO asset_fts (rowid, {FTS_COLUMNS})"
        f" VALUES ({key_of.format(row='new')}, {_fields('new')});"
        " END"
    )
    op.execute(
        "CREATE TRIGGER asset_search_update"
        " AFTER UPDATE OF caption, source, rights, embedded ON asset BEGIN"
        f" DELETE FROM asset_fts WHERE rowid = {key_of.format(row='old')};"
        f" INSERT INTO asset_fts (rowid, {FTS_COLUMNS})"
        f" VALUES ({key_of.format(row='new')}, {_fields('new')});"
        " END"
    )
    op.execute(
        "CREATE TRIGGER asset_search_delete AFTER DELETE ON asset BEGIN"
        f" DELETE FROM asset_fts WHERE rowid = {key_of.format(row='old')};"
        " DELETE FROM asset_search_key WHERE asset_id = old.id;"
        " END"
    )
    op.execute("INSERT INTO asset_search_key (asset_id) SELECT id FROM asset ORDER BY id")
    op.execute(
        f"INSERT INTO asset_fts (rowid, {FTS_COLUMNS})"
        f" SELECT k.rowid, {_fields('a')} FROM asset AS a"
        " JOIN asset_search_key AS k ON k.asset_id = a.id"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_asset_search_document")
        op.execute("ALTER TABLE asset DROP COLUMN IF EXISTS search_document")
    else:
        for trigger in ("asset_search_insert", "asset_search_update", "asset_search_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS asset_fts")
        op.execute("DROP TABLE IF EXISTS asset_search_key")
    for name in LISTING_INDEXES:
        op.drop_index(name, "asset")
