"""Searching the catalogue: `GET /v1/assets?q=` ranked, filtered, highlighted, paged."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from api.runtime import Runtime
from assets.catalogue import AssetFilter, list_assets, replace_restriction_index
from assets.db import make_engine, session_scope
from assets.errors import InvalidRequest
from assets.ids import new_id
from assets.migrations import alembic_config, upgrade
from assets.search import TextQuery, fts5_expression, parse_query, period_words
from assets.search import bands as search_bands
from assets.storable import unstorable
from assets.tables import Asset

EPA_HANDOUT = (
    "epa09674804 A handout still image taken from a video shows a launch near Ivanovo,"
    " Russia, 09 January 2022. EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    " HANDOUT EDITORIAL USE ONLY/NO SALES"
)


def add_asset(
    runtime: Runtime,
    caption: str | None = None,
    *,
    headline: str | None = None,
    keywords: list[str] | None = None,
    place: str | None = None,
    byline: str | None = None,
    credit_line: str | None = None,
    source: str | None = None,
    agency: str | None = None,
    handout: bool = False,
    status: str = "active",
    restrictions: tuple[str, ...] = (),
    created_at: datetime | None = None,
    age: timedelta | None = None,
) -> str:
    """A catalogue row written the way ingest writes it (asset + restriction index).

    `age` makes a picture stored that long ago: its id and created_at say so.
    """
    rights: dict[str, Any] = {
        "agency": agency,
        "credit_line": credit_line,
        "source": source,
        "byline": byline,
        "place": place,
        "handout": handout,
        "restrictions": [
            {"code": code, "text": code.replace("_", " "), "origin": "caption"}
            for code in restrictions
        ],
    }
    embedded: dict[str, Any] = {}
    if headline:
        embedded["headline"] = headline
    if keywords:
        embedded["keywords"] = keywords
    asset = Asset(
        sha256=secrets.token_hex(32),
        media_type="image/jpeg",
        bytes=1000,
        caption=caption,
        agency=agency,
        source=source,
        handout=handout,
        status=status,
        rights=rights,
        embedded=embedded,
    )
    if age is not None:
        created_at = datetime.now(UTC) - age
        asset.id = f"{int(created_at.timestamp() * 1000):012x}{secrets.token_hex(10)}"
    if created_at is not None:
        asset.created_at = created_at
    with session_scope(runtime.engine) as session:
        session.add(asset)
        session.flush()
        replace_restriction_index(session, asset)
    return asset.id


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/assets", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


# --- what is searched, and how results are ranked and highlighted ---------------------------


@pytest.mark.parametrize(
    "field", ["caption", "headline", "keywords", "place", "byline", "credit_line", "source"]
)
def test_a_word_is_found_in_each_searched_field(client, runtime, field):
    word = "Zaporizhzhia"
    values: dict[str, Any] = {
        "caption": f"Smoke over the plant at {word}",
        "headline": f"Fighting near {word}",
        "keywords": ["war", word, "energy"],
        "place": f"{word}, Ukraine",
        "byline": f"{word} Correspondent",
        "credit_line": f"EPA/{word} REGIONAL ADMINISTRATION",
        "source": f"{word} REGIONAL ADMINISTRATION",
    }
    other = add_asset(runtime, "Nothing to see in Kyiv", byline="Someone Else")
    wanted = add_asset(
        runtime,
        **({field: values[field]} if field != "caption" else {}),
        caption=values["caption"] if field == "caption" else "A plain caption",
    )
    body = search(client, q=word.lower())
    assert ids(body) == [wanted]
    assert other not in ids(body)
    match = body["items"][0]["match"]
    assert match["field"] == field
    assert f"<mark>{word}</mark>" in match["snippet"]


def test_headline_match_ranks_above_caption_and_caption_above_credit_line(client, runtime):
    credit = add_asset(runtime, "A rally in Berlin", credit_line="EPA/IVANOVO PRESS OFFICE")
    caption = add_asset(runtime, "Workers at a textile mill in Ivanovo, Russia")
    headline = add_asset(runtime, "A textile mill", headline="Ivanovo mill reopens")
    body = search(client, q="Ivanovo")
    assert ids(body) == [headline, caption, credit]
    ranks = [item["rank"] for item in body["items"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[1] > ranks[2]


def test_an_asset_matching_more_terms_of_an_or_search_ranks_first(client, runtime):
    one = add_asset(runtime, "Flooding in Valencia")
    both = add_asset(runtime, "Flooding in Valencia", headline="Valencia floods", keywords=["dana"])
    body = search(client, q="Valencia OR dana")
    assert ids(body) == [both, one]


def test_without_q_listing_stays_newest_first_without_match(client, runtime):
    first = add_asset(runtime, "Ivanovo one")
    second = add_asset(runtime, "Ivanovo two")
    body = search(client)
    assert ids(body) == [second, first]
    assert all(item["match"] is None and item["rank"] is None for item in body["items"])


def test_snippet_marks_the_match_and_escapes_the_caption_html(client, runtime):
    add_asset(
        runtime,
        "<script>alert(1)</script> A still image shows the launch near Ivanovo & Kineshma,"
        " Russia, 09 January 2022, with a long tail of words that the excerpt leaves out"
        " because nobody needs to read all of it in a list of results anyway",
    )
    match = search(client, q="ivanovo")["items"][0]["match"]
    assert match["field"] == "caption"
    assert "<mark>Ivanovo</mark>" in match["snippet"]
    assert "<script>" not in match["snippet"]
    assert "&amp;" in match["snippet"] or "&lt;" in match["snippet"]
    assert match["snippet"].endswith("…")
    assert match["snippet"].count("<mark>") == match["snippet"].count("</mark>") == 1


def test_every_term_of_a_search_is_required_and_highlighted(client, runtime):
    both = add_asset(runtime, EPA_HANDOUT)
    add_asset(runtime, "A launch near Plesetsk, Russia")
    body = search(client, q="launch Ivanovo")
    assert ids(body) == [both]
    snippet = body["items"][0]["match"]["snippet"]
    assert "<mark>launch</mark>" in snippet and "<mark>Ivanovo</mark>" in snippet


def test_quoted_phrase_needs_the_words_together(client, runtime):
    together = add_asset(runtime, "Press service of the defence ministry")
    apart = add_asset(runtime, "The ministry said the defence line held")
    assert ids(search(client, q='"defence ministry"')) == [together]
    assert set(ids(search(client, q="defence ministry"))) == {together, apart}


def test_minus_excludes_and_or_widens(client, runtime):
    kyiv = add_asset(runtime, "Air raid shelter in Kyiv")
    lviv = add_asset(runtime, "Air raid shelter in Lviv")
    assert ids(search(client, q="shelter -Lviv")) == [kyiv]
    assert set(ids(search(client, q="Kyiv OR Lviv"))) == {kyiv, lviv}


def test_search_is_case_insensitive_and_handles_unicode_words(client, runtime):
    zurich = add_asset(runtime, "Demonstration in Zürich, Switzerland")
    tokyo = add_asset(runtime, "東京 の 夜景", place="東京")
    moscow = add_asset(runtime, "Парад на Красной площади в Москве")
    assert ids(search(client, q="ZÜRICH")) == [zurich]
    assert ids(search(client, q="東京")) == [tokyo]
    assert ids(search(client, q="москве")) == [moscow]


def test_numbers_addresses_and_phrases_are_matched_as_written(client, runtime):
    version = add_asset(runtime, "Firmware 3.5 shown at the fair in Hanover")
    mail = add_asset(runtime, "Questions to press@ministry.example please")
    phrase = add_asset(runtime, "Workers at a protest against pension reform in Paris")
    apart = add_asset(runtime, "Reform of the pension system: a protest against it")
    assert ids(search(client, q="3.5")) == [version]
    assert ids(search(client, q="press@ministry.example")) == [mail]
    assert ids(search(client, q='"protest against pension reform"')) == [phrase]
    assert set(ids(search(client, q="protest against pension reform"))) == {phrase, apart}


def test_word_statistics_do_not_change_what_is_found(client, runtime):
    common = [add_asset(runtime, f"Protest number {i} against pension reform") for i in range(30)]
    rare = add_asset(runtime, "A quiet protest in Ivanovo")
    if runtime.engine.dialect.name == "postgresql":
        with runtime.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE asset")
    assert ids(search(client, q="protest Ivanovo")) == [rare]
    assert set(ids(search(client, q='"pension reform" protest', limit=100))) == set(common)
    assert set(ids(search(client, q="Ivanovo OR pension", limit=100))) == {*common, rare}


def test_search_follows_caption_changes_and_deletions(client, runtime):
    asset_id = add_asset(runtime, "Protest in Tbilisi")
    with session_scope(runtime.engine) as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        asset.caption = "Protest in Yerevan"
        session.add(asset)
    assert ids(search(client, q="Tbilisi")) == []
    assert ids(search(client, q="Yerevan")) == [asset_id]
    with session_scope(runtime.engine) as session:
        session.delete(session.exec(select(Asset).where(Asset.id == asset_id)).one())
    assert ids(search(client, q="Yerevan")) == []


def test_an_uploaded_agency_picture_is_found_by_place_source_and_byline(client, seed_image):
    uploaded = client.post("/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")})
    assert uploaded.status_code == 201, uploaded.text
    asset_id = uploaded.json()["id"]
    for q in ("Ivanovo", '"defence ministry"', "epa09674804", "handout"):
        body = search(client, q=q)
        assert ids(body) == [asset_id], q
        assert "<mark>" in body["items"][0]["match"]["snippet"]
    assert search(client, q="Ivanovo")["items"][0]["match"]["field"] == "caption"
    assert ids(
        search(client, q="Ivanovo", agency="EPA", handout="true", restriction="NO_SALES")
    ) == [asset_id]
    assert ids(search(client, q="Ivanovo", agency="REUTERS")) == []


def test_a_new_caption_is_searchable_at_once(client, seed_image):
    asset_id = client.post(
        "/v1/assets", files={"file": ("seed.jpg", seed_image, "image/jpeg")}
    ).json()["id"]
    response = client.put(
        f"/v1/assets/{asset_id}/caption",
        json={"caption": "Firefighters at work in Kharkiv, Ukraine. EPA-EFE/SERGEY KOZLOV"},
    )
    assert response.status_code == 200, response.text
    assert ids(search(client, q="Kharkiv")) == [asset_id]
    assert ids(search(client, q="Kozlov")) == [asset_id]
    assert ids(search(client, q="Ivanovo launch")) == []


def test_pictures_stored_before_search_existed_are_searchable_after_the_upgrade(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as connection:  # the columns of revision 0001 only
            connection.execute(
                sa.text(
                    "INSERT INTO asset (id, sha256, media_type, bytes, status, caption,"
                    " created_at, updated_at, handout)"
                    " VALUES (:id, :sha, 'image/jpeg', 1, 'active', :caption, :now, :now, false)"
                ),
                {
                    "id": new_id(),
                    "sha": "a" * 64,
                    "caption": "Old picture from Ivanovo",
                    "now": datetime.now(UTC),
                },
            )
        upgrade(engine)

        def found() -> list[str]:
            with Session(engine) as session:
                page = list_assets(session, AssetFilter(q="Ivanovo"), 10, None)
                return [a.caption or "" for a in page.items]

        assert found() == ["Old picture from Ivanovo"]
        command.downgrade(alembic_config(engine), "0001")
        upgrade(engine)
        assert found() == ["Old picture from Ivanovo"]
    finally:
        engine.dispose()


# --- filters, alone and with q --------------------------------------------------------------


def test_each_filter_narrows_a_search(client, runtime):
    now = datetime.now(UTC)
    epa = add_asset(
        runtime,
        "Ivanovo one",
        agency="EPA",
        source="MOD",
        handout=True,
        restrictions=("EDITORIAL_USE_ONLY", "NO_SALES"),
        created_at=now - timedelta(days=10),
    )
    reuters = add_asset(
        runtime,
        "Ivanovo two",
        agency="REUTERS",
        source="REUTERS",
        restrictions=("EDITORIAL_USE_ONLY",),
        created_at=now - timedelta(days=5),
    )
    killed = add_asset(
        runtime, "Ivanovo three", agency="AFP", status="killed", created_at=now - timedelta(days=1)
    )
    unrelated = add_asset(runtime, "Minsk", agency="EPA", handout=True, restrictions=("NO_SALES",))

    def found(**params: Any) -> set[str]:
        return set(ids(search(client, q="Ivanovo", **params)))

    assert found() == {epa, reuters, killed}
    assert found(agency="EPA") == {epa}
    assert found(source="REUTERS") == {reuters}
    assert found(restriction="no_sales") == {epa}
    assert found(restriction="EDITORIAL_USE_ONLY") == {epa, reuters}
    assert found(status="killed") == {killed}
    assert found(status="active") == {epa, reuters}
    assert found(handout="true") == {epa}
    assert found(handout="false") == {reuters, killed}
    since = (now - timedelta(days=7)).isoformat()
    until = (now - timedelta(days=2)).isoformat()
    assert found(since=since) == {reuters, killed}
    assert found(until=until) == {epa, reuters}
    assert found(since=since, until=until) == {reuters}
    assert found(agency="EPA", handout="true", restriction="NO_SALES") == {epa}
    # the same filters without q
    assert set(ids(search(client, handout="true"))) == {epa, unrelated}
    assert set(ids(search(client, since=since, until=until))) == {reuters}


def test_naive_and_offset_times_mean_the_same_instant(client, runtime):
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    asset_id = add_asset(runtime, "Ivanovo", created_at=moment)
    assert ids(search(client, q="Ivanovo", since="2026-03-01T12:00:00")) == [asset_id]
    assert ids(search(client, q="Ivanovo", since="2026-03-01T13:30:00+01:00")) == []
    assert ids(search(client, q="Ivanovo", until="2026-03-01T13:00:01+01:00")) == [asset_id]


# --- keyset pages ---------------------------------------------------------------------------


def _walk(
    client: TestClient,
    runtime: Runtime,
    params: dict[str, Any],
    insert_between_pages: list[dict[str, Any]],
) -> list[str]:
    seen: list[str] = []
    cursor = None
    pending = list(insert_between_pages)
    while True:
        body = search(client, **params, limit=3, **({"cursor": cursor} if cursor else {}))
        seen.extend(ids(body))
        cursor = body["next_cursor"]
        if pending:
            add_asset(runtime, **pending.pop(0))
        if cursor is None:
            return seen


FIELD_MIX: list[dict[str, Any]] = [
    {"caption": "Ivanovo at night"},
    {"caption": "A mill", "headline": "Ivanovo"},
    {"caption": "Ivanovo region", "keywords": ["Ivanovo"]},
    {"caption": "A rally", "credit_line": "EPA/IVANOVO CITY HALL"},
    {"caption": "Ivanovo square", "place": "Ivanovo, Russia"},
]


def test_search_pages_walk_every_result_once_while_assets_are_ingested(client, runtime):
    existing = {add_asset(runtime, **FIELD_MIX[i % len(FIELD_MIX)]) for i in range(17)}
    inserted = [dict(FIELD_MIX[i % len(FIELD_MIX)]) for i in range(8)]
    seen = _walk(client, runtime, {"q": "ivanovo"}, inserted)
    assert len(seen) == len(set(seen)), "an asset was returned twice"
    assert existing <= set(seen), "an asset that existed before the walk was skipped"
    ranks_ok = search(client, q="ivanovo", limit=500)["items"]
    assert [i["rank"] for i in ranks_ok] == sorted((i["rank"] for i in ranks_ok), reverse=True)


AGES = [timedelta(hours=h) for h in (0, 2, 6, 30, 100, 500, 2000, 9000, 30000, 100000)]


def _old_and_new(runtime: Runtime) -> tuple[str, str, str, str]:
    old_headline = add_asset(runtime, "Ivanovo", headline="Ivanovo", age=timedelta(days=30))
    old_caption = add_asset(runtime, "Ivanovo", age=timedelta(days=31))
    new_credit = add_asset(runtime, "A rally", credit_line="EPA/IVANOVO CITY HALL")
    new_headline = add_asset(runtime, "Ivanovo", headline="Ivanovo", age=timedelta(minutes=5))
    return old_headline, old_caption, new_credit, new_headline


def test_a_search_with_few_matches_is_ranked_as_a_whole(client, runtime):
    old_headline, old_caption, new_credit, new_headline = _old_and_new(runtime)
    body = search(client, q="Ivanovo")
    assert ids(body) == [new_headline, old_headline, old_caption, new_credit]


def test_a_search_with_many_matches_ranks_recent_periods_first(client, runtime, monkeypatch):
    monkeypatch.setattr(search_bands, "FEW_MATCHES", 3)
    old_headline, old_caption, new_credit, new_headline = _old_and_new(runtime)
    body = search(client, q="Ivanovo")
    assert ids(body) == [new_headline, new_credit, old_headline, old_caption]


@pytest.mark.parametrize("few_matches", [1000, 0], ids=["ranked-whole", "in-periods"])
def test_search_pages_across_periods_walk_every_result_once(
    client, runtime, monkeypatch, few_matches
):
    monkeypatch.setattr(search_bands, "FEW_MATCHES", few_matches)
    existing = {
        add_asset(runtime, **FIELD_MIX[i % len(FIELD_MIX)], age=AGES[i % len(AGES)])
        for i in range(23)
    }
    inserted = [
        dict(FIELD_MIX[i % len(FIELD_MIX)], age=AGES[(i * 3) % len(AGES)]) for i in range(8)
    ]
    seen = _walk(client, runtime, {"q": "ivanovo"}, inserted)
    assert len(seen) == len(set(seen)), "an asset was returned twice"
    assert existing <= set(seen), "an asset that existed before the walk was skipped"


def test_newest_first_pages_walk_every_asset_once_while_assets_are_ingested(client, runtime):
    existing = {add_asset(runtime, f"Picture {i}", handout=True) for i in range(10)}
    seen = _walk(
        client,
        runtime,
        {"handout": "true"},
        [{"caption": "new", "handout": True} for _ in range(4)],
    )
    assert len(seen) == len(set(seen))
    assert existing <= set(seen)


@pytest.mark.parametrize("cursor", ["nonsense", "12.xyz", "0123456789abcdef0123456789abcdef"])
def test_a_cursor_this_search_did_not_issue_is_a_400_problem(client, runtime, cursor):
    add_asset(runtime, "Ivanovo")
    response = client.get("/v1/assets", params={"q": "Ivanovo", "cursor": cursor})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "next_cursor" in response.json()["detail"]


# --- hostile input --------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    '"""',
    "'",
    "*",
    "**",
    "a*",
    "*a",
    "NEAR",
    "NEAR(a b)",
    "NEAR(a b, 2)",
    "a NEAR b",
    "AND",
    "OR",
    "NOT",
    "a AND",
    "OR a",
    "a OR",
    "a OR OR b",
    "NOT a",
    "a NOT",
    "-",
    "--",
    "- -",
    "-a",
    "a -",
    '-"a b"',
    "(",
    ")",
    "(a",
    "a)",
    "((a))",
    "^a",
    "a^",
    "+a",
    "caption:a",
    "{caption}: a",
    "{caption headline}:a",
    "-{caption}: a",
    "rowid:1",
    "asset_fts:a",
    ":",
    ":*",
    "a:*",
    "a & b",
    "a | b",
    "!a",
    "!!a",
    "<->",
    "a <-> b",
    "a <2> b",
    "'a' & 'b'",
    "\\",
    '\\"',
    "%",
    "_",
    "%_%",
    "'; DROP TABLE asset; --",
    '" OR 1=1 --',
    "\x00",
    "a\x00b",
    "\x1f",
    "\ue000",
    "🔥",
    "🔥 Ivanovo",
    "東京",
    "ß",
    "İstanbul",
    "e\u0301",
    "\u200b",
    "\ufeff",
    "a" * 400,
    "Ivanovo " * 20,
    "x" * 501,
    "é" * 250,
    '"unterminated phrase',
    'a"b"c',
    "--Ivanovo",
    "Ivanovo -Ivanovo",
    "OR OR OR",
    "- OR -",
    "e-mail",
    "it's",
    "3.5",
    "C++",
    "#tag",
    "@user",
    "https://example.com/a?b=c",
    "epa09674804",
    "(12345678a)",
]


def test_hostile_q_is_answered_never_an_internal_error(client, runtime):
    add_asset(runtime, EPA_HANDOUT, headline="Ivanovo", keywords=["a", "b"])
    answers = {}
    for q in HOSTILE:
        response = client.get("/v1/assets", params={"q": q})
        answers[q] = response.status_code
        if response.status_code == 400:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["detail"]
    # 422: text no catalogue may hold (NUL, other C0 controls) is refused before any search
    assert {q: s for q, s in answers.items() if s != (422 if unstorable(q) else s)} == {}
    assert {q: s for q, s in answers.items() if s not in (200, 400, 422)} == {}
    assert answers["x" * 501] == 400 and answers["**"] == 400 and answers["--Ivanovo"] == 400
    found = ids(search(client, q="Ivanovo"))
    assert len(found) == 1
    assert ids(search(client, q="🔥 Ivanovo")) == found
    assert ids(search(client, q='"EPA/RUSSIAN DEFENCE" (NOT) zzz*')) == []
    assert ids(search(client, q='"EPA/RUSSIAN DEFENCE" epa09674804')) == found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(min_size=1, max_size=40))
def test_any_text_as_q_gives_a_page_or_a_400(client, q):
    response = client.get("/v1/assets", params={"q": q})
    if unstorable(q):  # NUL, another C0 control, U+FFFE/U+FFFF
        assert response.status_code == 422, (q, response.text)
    else:
        assert response.status_code in (200, 400), (q, response.text)


def test_nul_in_a_filter_of_a_search_is_refused_or_ignored_never_an_internal_error(client):
    for params in (
        {"q": "Ivanovo", "agency": "EPA\x00"},
        {"q": "Ivanovo", "source": "\x00"},
        {"q": "Ivanovo\x00", "restriction": "NO_SALES\x00"},
    ):
        response = client.get("/v1/assets", params=params)
        assert response.status_code == 422, response.text


# --- the query language, without a database -------------------------------------------------


def test_query_words_are_quoted_so_fts5_operators_are_plain_text():
    query = parse_query('NEAR(a b) "x y" OR z* -"col:w"')
    assert query == TextQuery(groups=(("NEAR(a",), ("b)",), ("x y", "z*")), excluded=("col:w",))
    assert fts5_expression(query) == ('(("NEAR(a") AND ("b)") AND ("x y" OR "z*")) NOT ("col:w")')


def test_a_query_without_a_word_to_look_for_is_rejected():
    for q in ("", "   ", "***", "-Ivanovo", "OR", '""', "🔥"):
        with pytest.raises(InvalidRequest):
            parse_query(q)


@settings(max_examples=200, deadline=None)
@given(
    first=st.integers(min_value=0, max_value=2**44),
    length=st.integers(min_value=1, max_value=2**38),
    offset=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_period_words_cover_every_moment_of_a_band(first, length, offset):
    words = period_words(first, first + length)
    assert words is not None
    moment = first + int(length * offset)
    stored_in = {f"'~{moment:012x}"[: digits + 2] + "'" for digits in (3, 4, 5)}
    assert stored_in & set(words.split(" | "))
