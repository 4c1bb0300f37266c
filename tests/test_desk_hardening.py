"""The desk against an outsider: where a link may send a person after sign-in, forged
requests with authentication off, odd cookies and filters, and the same role rules as the
API for every key (a hook's included)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from api.runtime import Runtime
from api.sessions import COOKIE, anonymous_csrf, read_session
from assets.config import Settings
from assets.keys import Role
from assets.migrations import upgrade
from assets.tables import Asset
from tests.images import jpeg_bytes
from tests.test_desk import csrf_of, desk_for, seeded  # noqa: F401  (fixtures)

# Browsers drop tabs and line breaks from a URL and read "\" as "/": each of these would
# leave the site if followed as it stands.
OFFSITE = [
    "/\t/evil.example/x",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "//evil.example",
    "https://evil.example/",
    " /\t/evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "javascript:alert(1)",
]

KILL_NOTICE = (
    "KILL KILL KILL. EPA has withdrawn this picture. Please remove it from all systems."
    " MANDATORY KILL"
)


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


@pytest.mark.parametrize("target", OFFSITE)
def test_sign_in_never_sends_a_person_off_the_site(runtime: Runtime, make_key, target) -> None:
    """Neither the form (whose script follows `next` when the cookie was held back) nor the
    redirect after signing in carries a target that could leave the site."""
    with TestClient(create_app(runtime=runtime)) as client:
        form = client.get("/sign-in", params={"next": target})
        if form.status_code == 422:  # a NUL is refused before the form, in words
            assert "NUL" in form.text and "evil.example" not in form.text
            form = client.get("/sign-in")
        assert _hidden(form.text, "next") == "/"
        done = client.post(
            "/sign-in",
            data={"api_key": make_key(Role.VIEWER), "nonce": _hidden(form.text, "nonce")}
            | {"next": target},
            follow_redirects=False,
        )
        assert done.status_code in (303, 422)
        assert done.headers.get("location", "/") == "/"
        chosen = client.get("/use", params={"next": target}, follow_redirects=False)
        assert chosen.headers.get("location", "/") == "/"


def test_a_local_target_survives_sign_in(runtime: Runtime, make_key) -> None:
    with TestClient(create_app(runtime=runtime)) as client:
        form = client.get("/sign-in", params={"next": "/?q=Zürich&agency=EPA"})
        assert _hidden(form.text, "next") == "/?q=Zürich&amp;agency=EPA"


@pytest.fixture
def open_desk(tmp_path: Path, database_url: str) -> Runtime:
    runtime = Runtime.from_settings(
        Settings(data_dir=tmp_path / "open", database_url=database_url, auth="off")
    )
    upgrade(runtime.engine)
    yield runtime
    runtime.engine.dispose()


def test_with_auth_off_no_other_site_can_know_the_csrf_token(open_desk: Runtime) -> None:
    """Without sessions the token is bound to a random value in this browser's own cookie:
    one computed from the (possibly empty) server secret alone is refused, and two browsers
    get different tokens."""
    with TestClient(create_app(runtime=open_desk)) as first:
        page = first.get("/")
        token = csrf_of(page.text)
        assert "rightsdesk_browser" in page.headers["set-cookie"]
        assert "HttpOnly" in page.headers["set-cookie"]
        assert "samesite=strict" in page.headers["set-cookie"].lower()
        for guessed in (anonymous_csrf("", "x"), anonymous_csrf("", ""), ""):
            refused = first.post("/check", data={"csrf_token": guessed, "keys": "a"})
            assert refused.status_code == 403
        assert first.post("/check", data={"csrf_token": token, "keys": "a"}).status_code == 200
    with TestClient(create_app(runtime=open_desk)) as other_site:
        # a forged form: the right token, but no cookie of that browser
        forged = other_site.post("/check", data={"csrf_token": token, "keys": "a"})
        assert forged.status_code == 403
        assert csrf_of(other_site.get("/").text) != token


@pytest.mark.parametrize(
    "cookie",
    [
        "k." + "9" * 5000 + ".sig",
        "k.1" + "0" * 40 + ".sig",
        "k.١٢٣٤٥٦٧٨٩٠١٢.sig",
        "k.-5.sig",
        "k.1e9.sig",
        "..",
        "k.1.",
    ],
)
def test_a_malformed_session_cookie_is_a_stranger_never_an_error(
    runtime: Runtime, cookie: str
) -> None:
    with Session(runtime.engine) as session:
        assert read_session(session, cookie, "") is None
    header = {"Cookie": f"{COOKIE}={cookie}".encode()}
    with TestClient(create_app(runtime=runtime)) as client:
        assert client.get("/", headers=header, follow_redirects=False).status_code == 303
        assert client.get("/v1/assets", headers=header).status_code == 401


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("until=9999-12-31", 200),
        ("since=9999-12-31", 200),
        ("since=0001-01-01&until=0001-01-01", 200),
        ("until=10000-01-01", 400),
        ("since=2026-02-30", 400),
        ("cursor=%00%FF", 422),
        ("cursor=%FF%FE", 400),
        ("status=alive", 422),
        ("q=" + "x" * 20_000, 400),
    ],
)
def test_odd_filters_are_answered_in_words(desk_for, query: str, status: int) -> None:  # noqa: F811
    answer = desk_for(Role.VIEWER).get(f"/?{query}")
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text and "Something went wrong" not in answer.text


def test_a_hook_key_signs_in_to_check_and_signs_out(runtime: Runtime, make_key, seeded) -> None:  # noqa: F811
    """A publishing hook's key may only check: it lands on "Check a use", is offered no page
    it may not open (no picture links or thumbnails it cannot load), and may sign out."""
    with TestClient(create_app(runtime=runtime)) as client:
        form = client.get("/sign-in")
        done = client.post(
            "/sign-in",
            data={"api_key": make_key(Role.HOOK), "nonce": _hidden(form.text, "nonce")},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/check"
        page = client.get("/check")
        assert page.status_code == 200 and 'href="/"' not in page.text.split("<main")[1]
        assert ">Pictures</a>" not in page.text
        token = csrf_of(page.text)
        answer = client.post("/check", data={"csrf_token": token, "keys": seeded})
        assert answer.status_code == 200
        assert f"/assets/{seeded}" not in answer.text and "/renditions/" not in answer.text
        assert client.post("/sign-out", follow_redirects=False).status_code == 403  # no token
        out = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303 and COOKIE in out.headers["set-cookie"]
        assert client.get("/check", follow_redirects=False).status_code == 303


def test_signing_out_with_a_dead_session_just_drops_the_cookie(runtime: Runtime) -> None:
    with TestClient(create_app(runtime=runtime)) as client:
        client.cookies.set(COOKIE, f"{secrets.token_hex(8)}.99999999999.forged")
        out = client.post("/sign-out", follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/sign-in"


@pytest.mark.parametrize(("role", "kills"), [(Role.EDITOR, False), (Role.RIGHTS_MANAGER, True)])
def test_a_kill_notice_saved_as_caption_kills_as_the_api_would(
    desk_for,  # noqa: F811
    runtime: Runtime,
    seeded,  # noqa: F811
    role: Role,
    kills: bool,
) -> None:
    """From the desk as from the API: a rights manager's kill-notice caption kills, an
    editor's asks for a kill; the preview says which before saving."""
    desk = desk_for(role)
    token = csrf_of(desk.get(f"/assets/{seeded}").text)
    preview = desk.post(
        f"/assets/{seeded}/caption",
        data={"csrf_token": token, "caption": KILL_NOTICE, "action": "preview"},
        headers={"X-Desk-Partial": "1"},
    )
    assert preview.status_code == 200
    assert ("saving kills the picture" in preview.text) is kills
    assert ("saving asks a rights manager" in preview.text) is not kills
    saved = desk.post(
        f"/assets/{seeded}/caption",
        data={"csrf_token": token, "caption": KILL_NOTICE, "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with Session(runtime.engine) as session:
        asset = session.get(Asset, seeded)
        assert asset is not None
        assert asset.status == ("killed" if kills else "kill_requested")


def test_a_nul_character_anywhere_is_refused_in_words(desk_for, seeded) -> None:  # noqa: F811
    """PostgreSQL cannot hold or search a NUL: every filter and form says so in a page."""
    desk = desk_for(Role.ADMIN)
    for name in ("agency", "source", "restriction", "q", "cursor"):
        answer = desk.get("/", params={name: "a\x00b"})
        assert answer.status_code in (200, 400, 422), name
        assert "Something went wrong" not in answer.text
    token = csrf_of(desk.get(f"/assets/{seeded}").text)
    forms = [
        ("/check", {"keys": "a\x00b"}),
        (f"/assets/{seeded}/leases", {"reason": "a\x00b"}),
        (f"/assets/{seeded}/caption", {"caption": "a\x00b EPA/JANE DOE"}),
        (f"/assets/{seeded}/kill", {"reason": "a\x00b", "confirm": "yes"}),
    ]
    for path, data in forms:
        answer = desk.post(path, data={"csrf_token": token, **data}, follow_redirects=False)
        assert answer.status_code in (200, 303, 400, 422), path
        assert "Something went wrong" not in answer.text, path


def test_every_desk_page_runs_only_its_own_script_and_refuses_frames(
    desk_for,  # noqa: F811
    runtime: Runtime,
    open_desk: Runtime,
    seeded,  # noqa: F811
) -> None:
    """Defence behind escaping: a page runs only the desk's own script, and no other site
    may frame one (with authentication off a framed desk is signed in, a click away from
    Kill)."""
    desk = desk_for(Role.ADMIN)
    pages = ["/", f"/assets/{seeded}", f"/assets/{seeded}/metadata", "/upload", "/check"]
    pages += ["/assets/unknown", "/?until=nonsense"]
    with TestClient(create_app(runtime=runtime)) as stranger:
        answers = [desk.get(path) for path in pages] + [stranger.get("/sign-in")]
    with TestClient(create_app(runtime=open_desk)) as open_client:
        answers.append(open_client.get("/"))
    for answer in answers:
        policy = answer.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, answer.url
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy, answer.url


def test_an_address_the_desk_does_not_have_is_a_page_in_words(desk_for) -> None:  # noqa: F811
    desk = desk_for(Role.VIEWER)
    for path in ("/nowhere", "/assets/x/nowhere", "/nowhere/deeper"):
        answer = desk.get(path, headers={"Accept": "text/html,application/xhtml+xml"})
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "no page at this address" in answer.text
    # the API keeps answering problem+json
    api = desk.get("/v1/nowhere", headers={"Accept": "text/html"})
    assert api.headers["content-type"] == "application/problem+json"


def test_a_killed_picture_is_not_offered_for_download(desk_for, seeded) -> None:  # noqa: F811
    desk = desk_for(Role.ADMIN)
    assert f"/v1/assets/{seeded}/file" in desk.get(f"/assets/{seeded}").text
    token = csrf_of(desk.get(f"/assets/{seeded}").text)
    desk.post(
        f"/assets/{seeded}/kill",
        data={"csrf_token": token, "reason": "agency kill", "confirm": "yes"},
    )
    page = desk.get(f"/assets/{seeded}").text
    assert f"/v1/assets/{seeded}/file" not in page
    assert "not offered for download" in page


def test_a_caption_cannot_place_search_highlights_of_its_own(client, desk_for) -> None:  # noqa: F811
    """The search excerpt marks matches with private characters turned into <mark> after
    escaping; a caption holding those characters must not mark words of its choosing."""
    caption = "\ue000planted\ue001 words \ue001\ue000 in a harbour at dawn. EPA/JANE DOE"
    answer = client.post(
        "/v1/assets",
        files={"file": ("p.jpg", jpeg_bytes(41))},
        data={"caption": caption},
    )
    assert answer.status_code == 201
    page = desk_for(Role.VIEWER).get("/?q=harbour").text
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', page)
    assert snippets
    for snippet in snippets:
        assert snippet.count("<mark>") == snippet.count("</mark>")
        assert all(m.lower() == "harbour" for m in re.findall(r"<mark>(.*?)</mark>", snippet))
    listed = client.get("/v1/assets", params={"q": "harbour"}).json()["items"]
    for item in listed:
        snippet = item["match"]["snippet"]
        assert all(m.lower() == "harbour" for m in re.findall(r"<mark>(.*?)</mark>", snippet))


@pytest.mark.parametrize(
    ("filename", "saved_as"),
    [
        ("page.html", "page.html.jpg"),
        ("page.svg", "page.svg.jpg"),
        ("photo.JPEG", "photo.JPEG"),
        ("photo.tif", "photo.tif.jpg"),
        ("noextension", "noextension.jpg"),
    ],
)
def test_a_download_is_named_for_its_real_type(client, filename: str, saved_as: str) -> None:
    """A JPEG that also reads as HTML, uploaded as "page.html": the desk's download links
    save it under the name the server gives, which must not make it a page."""
    polyglot = jpeg_bytes(len(filename)) + b"<html><script>alert(1)</script></html>"
    stored = client.post("/v1/assets", files={"file": (filename, polyglot)}).json()
    for query in ("", "?embed=rights"):
        download = client.get(f"/v1/assets/{stored['id']}/file{query}")
        assert download.headers["content-type"] == "image/jpeg"
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.headers["content-disposition"] == f'inline; filename="{saved_as}"'
