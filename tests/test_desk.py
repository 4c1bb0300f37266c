"""The picture desk, server side: sign-in and sessions, CSRF, roles, escaping, and each page's
content (badges for the chosen use, highlighted phrases, leases, kills, checks, uploads)."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.runtime import Runtime
from api.sessions import COOKIE, read_session, start_session
from assets.config import Settings
from assets.db import session_scope
from assets.inspect import embedded_blocks
from assets.keys import Role, create_key, revoke_key
from assets.migrations import upgrade
from assets.tables import ApiKey, Asset, Rendition
from tests.images import jpeg_bytes, png_bytes

HOSTILE = [
    "<script>alert('x')</script> EPA/SOMEONE EDITORIAL USE ONLY",
    '"><img src=x onerror=alert(1)> NO SALES',
    "</textarea><script>alert(2)</script>",
    "' onmouseover='alert(3)",
]


def sign_in(client: TestClient, key: str, next_path: str = "/") -> TestClient:
    form = client.get("/sign-in")
    nonce = _hidden(form.text, "nonce")
    answer = client.post(
        "/sign-in",
        data={"api_key": key, "nonce": nonce, "next": next_path},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


def csrf_of(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert found
    return found.group(1)


@pytest.fixture
def desk_for(
    runtime: Runtime, make_key: Callable[[Role], str]
) -> Iterator[Callable[..., TestClient]]:
    """A signed-in browser-like client for a key of the given role."""
    clients: list[TestClient] = []

    def make(role: Role = Role.ADMIN, key: str | None = None) -> TestClient:
        client = TestClient(create_app(runtime=runtime))
        client.__enter__()
        clients.append(client)
        return sign_in(client, key or make_key(role))

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def seeded(client: TestClient, seed_image: bytes, seed_caption: str) -> str:
    answer = client.post(
        "/v1/assets", files={"file": ("epa.jpg", seed_image)}, data={"caption": seed_caption}
    )
    assert answer.status_code == 201
    return str(answer.json()["id"])


def _badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge (allow|review|deny)', html)


# --- sign-in and sessions -------------------------------------------------------------------


def test_the_desk_sends_a_stranger_to_sign_in_and_back(runtime: Runtime, make_key) -> None:
    with TestClient(create_app(runtime=runtime)) as client:
        answer = client.get("/?agency=EPA", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/sign-in?next=/%3Fagency%3DEPA"
        form = client.get(answer.headers["location"])
        assert 'value="/?agency=EPA"' in form.text
        assert '<label for="api_key">API key</label>' in form.text
        nonce = _hidden(form.text, "nonce")
        done = client.post(
            "/sign-in",
            data={"api_key": make_key(Role.VIEWER), "nonce": nonce, "next": "/?agency=EPA"},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/?agency=EPA"
        cookie = done.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
        assert client.get("/").status_code == 200


def test_the_session_cookie_is_secure_over_tls(runtime: Runtime, make_key) -> None:
    with TestClient(create_app(runtime=runtime), base_url="https://desk.example") as client:
        nonce = _hidden(client.get("/sign-in").text, "nonce")
        done = client.post(
            "/sign-in",
            data={"api_key": make_key(Role.VIEWER), "nonce": nonce},
            follow_redirects=False,
        )
        assert "Secure" in done.headers["set-cookie"]


def test_a_wrong_key_is_refused_in_words_linked_to_the_field(runtime: Runtime) -> None:
    with TestClient(create_app(runtime=runtime)) as client:
        nonce = _hidden(client.get("/sign-in").text, "nonce")
        answer = client.post("/sign-in", data={"api_key": "rd_nope", "nonce": nonce})
        assert answer.status_code == 401
        assert '<a href="#api_key">That API key is unknown or has been revoked.</a>' in answer.text
        assert COOKIE not in answer.headers.get("set-cookie", "")


def test_sign_in_needs_the_forms_nonce(runtime: Runtime, make_key) -> None:
    """Another site cannot sign a browser in with its own key (login CSRF)."""
    with TestClient(create_app(runtime=runtime)) as client:
        answer = client.post("/sign-in", data={"api_key": make_key(Role.ADMIN), "nonce": "x"})
        assert answer.status_code == 400
        assert COOKIE not in answer.headers.get("set-cookie", "")


def test_only_local_paths_are_followed_after_sign_in(runtime: Runtime, make_key) -> None:
    with TestClient(create_app(runtime=runtime)) as client:
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            nonce = _hidden(client.get("/sign-in").text, "nonce")
            done = client.post(
                "/sign-in",
                data={"api_key": make_key(Role.VIEWER), "nonce": nonce, "next": target},
                follow_redirects=False,
            )
            assert done.headers["location"] == "/"


def test_revoking_the_key_ends_its_sessions(runtime: Runtime, make_key, desk_for) -> None:
    key = make_key(Role.EDITOR)
    desk = desk_for(key=key)
    assert desk.get("/").status_code == 200
    with session_scope(runtime.engine) as session:
        name = next(k.name for k in session.exec(select(ApiKey)) if k.role == "editor")
        revoke_key(session, name)
    assert desk.get("/", follow_redirects=False).status_code == 303
    assert desk.get("/v1/assets").status_code == 401


def test_a_session_expires_and_cannot_be_forged(runtime: Runtime, make_key) -> None:
    key = make_key(Role.ADMIN)
    with Session(runtime.engine) as session:
        cookie = start_session(session, key, "s", now=1_000_000)
        assert read_session(session, cookie, "s", now=1_000_001) is not None
        assert read_session(session, cookie, "s", now=time.time()) is None  # expired
        fresh = start_session(session, key, "s")
        key_id, expires, signature = fresh.split(".")
        assert read_session(session, fresh, "s") is not None
        assert read_session(session, fresh, "other secret") is None
        assert read_session(session, f"{key_id}.{int(expires) + 9999}.{signature}", "s") is None
        forged = signature[:-2] + ("BB" if signature.endswith("AA") else "AA")
        assert read_session(session, f"{key_id}.{expires}.{forged}", "s") is None
        assert read_session(session, "garbage", "s") is None


# --- the cookie on the JSON routes, CSRF ----------------------------------------------------


def test_the_cookie_reads_the_api_but_changes_need_the_csrf_token(desk_for, seeded) -> None:
    desk = desk_for(Role.EDITOR)
    assert desk.get(f"/v1/assets/{seeded}").status_code == 200
    refused = desk.put(f"/v1/assets/{seeded}/caption", json={"caption": "EPA/X NO SALES"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token = csrf_of(desk.get("/").text)
    wrong = desk.put(
        f"/v1/assets/{seeded}/caption",
        json={"caption": "EPA/X NO SALES"},
        headers={"X-CSRF-Token": token[:-1] + ("B" if token.endswith("A") else "A")},
    )
    assert wrong.status_code == 403
    done = desk.put(
        f"/v1/assets/{seeded}/caption",
        json={"caption": "EPA/X NO SALES"},
        headers={"X-CSRF-Token": token},
    )
    assert done.status_code == 200


def test_desk_forms_without_the_csrf_token_are_refused(desk_for, seeded, runtime) -> None:
    desk = desk_for(Role.ADMIN)
    answer = desk.post(f"/assets/{seeded}/kill", data={"reason": "forged", "confirm": "yes"})
    assert answer.status_code == 403
    assert "CSRF" in answer.text and "<html" in answer.text
    with Session(runtime.engine) as session:
        assert session.get(Asset, seeded).status == "active"


def test_a_viewer_is_offered_no_action_and_a_forged_post_is_refused(desk_for, seeded, runtime):
    viewer = desk_for(Role.VIEWER)
    page = viewer.get(f"/assets/{seeded}").text
    for offered in ("Kill this picture", "Add a lease", "Edit the caption", 'href="/upload"'):
        assert offered not in page
    assert 'href="/check"' not in page  # checks need the hook role, as in the API
    token = csrf_of(page)
    forged = viewer.post(
        f"/assets/{seeded}/kill", data={"reason": "r", "confirm": "yes", "csrf_token": token}
    )
    assert forged.status_code == 403
    assert "needs the rights_manager role" in forged.text
    lease = viewer.post(
        f"/assets/{seeded}/leases", data={"effect": "allow", "reason": "r", "csrf_token": token}
    )
    assert lease.status_code == 403
    upload = viewer.post(
        "/upload", data={"csrf_token": token}, files={"files": ("a.jpg", jpeg_bytes(3))}
    )
    assert upload.status_code == 403
    with Session(runtime.engine) as session:
        assert session.get(Asset, seeded).status == "active"
    editor_page = desk_for(Role.EDITOR).get(f"/assets/{seeded}").text
    assert "Edit the caption" in editor_page and "Kill this picture" not in editor_page
    manager_page = desk_for(Role.RIGHTS_MANAGER).get(f"/assets/{seeded}").text
    assert "Kill this picture" in manager_page and "Add a lease" in manager_page


def test_a_hook_key_may_check_but_not_browse(desk_for) -> None:
    hook = desk_for(Role.HOOK)
    assert hook.get("/").status_code == 403
    assert hook.get("/check").status_code == 200


def test_with_auth_off_the_desk_opens_without_sign_in(tmp_path, database_url, seed_image):
    runtime = Runtime.from_settings(
        Settings(data_dir=tmp_path / "open", database_url=database_url, auth="off")
    )
    upgrade(runtime.engine)
    with TestClient(create_app(runtime=runtime)) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "auth off" in page.text
        token = csrf_of(page.text)
        assert client.post("/upload", files={"files": ("a.jpg", seed_image)}).status_code == 403
        done = client.post(
            "/upload", data={"csrf_token": token}, files={"files": ("a.jpg", seed_image)}
        )
        assert done.status_code == 200 and "new" in done.text
    runtime.engine.dispose()


# --- escaping -------------------------------------------------------------------------------


class _MarkupAudit(HTMLParser):
    """Every element and attribute of a page, to find anything a stored value injected."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("src", "href", "action") and value and value.startswith("javascript"):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script" and dict(attrs).get("src") != "/desk-static/desk.js":
            self.problems.append("<script> not the desk's own")
        if tag == "img" and not (dict(attrs).get("src") or "").startswith("/v1/assets/"):
            self.problems.append(f"<img src={dict(attrs).get('src')}>")


def injected(html: str) -> list[str]:
    audit = _MarkupAudit()
    audit.feed(html)
    return audit.problems


@pytest.mark.parametrize("caption", HOSTILE)
def test_no_caption_or_filename_injects_markup(client, desk_for, caption: str) -> None:
    answer = client.post(
        "/v1/assets",
        files={"file": (f"{caption[:40]}.jpg", jpeg_bytes(sum(map(ord, caption)) % 1000))},
        data={"caption": caption},
    )
    asset_id = answer.json()["id"]
    desk = desk_for(Role.ADMIN)
    pages = ["/", f"/assets/{asset_id}", "/?q=alert", "/?q=script", f"/?agency={caption}"]
    for path in pages:
        html = desk.get(path).text
        assert injected(html) == [], path
    token = csrf_of(desk.get("/check").text)
    checked = desk.post("/check", data={"csrf_token": token, "keys": caption})
    assert injected(checked.text) == []
    preview = desk.post(
        f"/assets/{asset_id}/caption",
        data={"csrf_token": token, "caption": caption, "action": "preview"},
    )
    assert injected(preview.text) == []


# --- the grid -------------------------------------------------------------------------------


def test_the_grid_badges_answer_for_the_chosen_use(desk_for, seeded) -> None:
    desk = desk_for(Role.VIEWER)
    page = desk.get("/").text
    assert _badges(page) == ["allow"]
    assert "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT" in page  # credit line
    assert 'alt="' in page and 'alt=""' not in page
    desk.get("/use?purpose=sale&channel=&territory=&next=/", follow_redirects=False)
    page = desk.get("/").text
    assert _badges(page) == ["deny"]
    assert "NO_SALES" in page or "NO SALES" in page  # the reason, on hover
    assert "badges for <strong>sale, any channel, any territory</strong>" in page
    # an invalid choice keeps the previous one
    desk.get("/use?purpose=bribery", follow_redirects=False)
    assert _badges(desk.get("/").text) == ["deny"]


def test_the_grid_filters_with_counts_and_keeps_them_in_the_url(desk_for, client, seeded):
    for seed in range(3):
        client.post("/v1/assets", files={"file": (f"{seed}.jpg", jpeg_bytes(seed + 10))})
    desk = desk_for(Role.VIEWER)
    page = desk.get("/").text
    assert re.search(r'href="/\?agency=EPA">EPA</a> <span class="count">1</span>', page)
    assert re.search(r'>NO SALES</a> <span class="count">1</span>', page)
    filtered = desk.get("/?agency=EPA").text
    assert len(_badges(filtered)) == 1
    # a facet is counted without its own choice (the alternatives stay), with the others
    client.post(
        "/v1/assets",
        files={"file": ("r.jpg", jpeg_bytes(30))},
        data={"caption": "Rescuers in Hatay, Turkey. REUTERS/Umit Bektas"},
    )
    both = desk.get("/?agency=EPA").text
    assert re.search(r'>Reuters</a> <span class="count">1</span>', both)
    assert re.search(r'>EPA</a> <span class="count">1</span>', both)
    handouts = desk.get("/?handout=yes").text
    assert not re.search(r'>Reuters</a> <span class="count">', handouts)
    assert re.search(r'>no</a> <span class="count">4</span>', handouts)
    assert 'href="/"' in filtered and "agency: EPA" in filtered
    assert len(_badges(desk.get("/?restriction=NO_SALES").text)) == 1
    assert len(_badges(desk.get("/?handout=yes").text)) == 1
    assert len(_badges(desk.get("/").text)) == 5
    searched = desk.get("/?q=Ivanovo").text
    assert len(_badges(searched)) == 1 and "<mark>Ivanovo</mark>" in searched
    bad = desk.get("/?since=yesterday")
    assert bad.status_code == 400 and "is not a date" in bad.text


def test_the_grid_pages_with_more(desk_for, client, monkeypatch) -> None:
    monkeypatch.setattr("api.desk.browse.PAGE_SIZE", 2)
    for seed in range(5):
        client.post("/v1/assets", files={"file": (f"{seed}.jpg", jpeg_bytes(seed + 20))})
    desk = desk_for(Role.VIEWER)
    seen: list[str] = []
    url: str | None = "/?handout=no"
    while url:
        page = desk.get(url.replace("&amp;", "&")).text
        seen += re.findall(r'<a class="thumb" href="/assets/([0-9a-f]{32})"', page)
        more = re.search(r'href="([^"]+)" data-more', page)
        url = more.group(1) if more else None
        if url:
            assert "handout=no" in url
    assert len(seen) == 5 == len(set(seen))


def test_killed_and_embargoed_pictures_are_marked(desk_for, client) -> None:
    embargoed = client.post(
        "/v1/assets",
        files={"file": ("e.jpg", jpeg_bytes(40))},
        data={"caption": "EPA/SOMEONE EMBARGOED UNTIL 1 JANUARY 2099 00:01 GMT"},
    ).json()["id"]
    killed = client.post("/v1/assets", files={"file": ("k.jpg", jpeg_bytes(41))}).json()["id"]
    client.post(f"/v1/assets/{killed}/kill", json={"reason": "agency kill"})
    page = desk_for(Role.VIEWER).get("/").text
    assert "KILLED</span>" in page
    if "EMBARGO" in str(client.get(f"/v1/assets/{embargoed}").json()["rights"]):
        assert "EMBARGO <time" in page


# --- the detail page ------------------------------------------------------------------------


def test_the_detail_highlights_each_restriction_phrase(desk_for, seeded) -> None:
    page = desk_for(Role.VIEWER).get(f"/assets/{seeded}").text
    marks = re.findall(r'<mark class="phrase" tabindex="0" data-codes="([^"]+)"[^>]*>([^<]+)', page)
    codes = {code for found, _ in marks for code in found.split()}
    assert {"EDITORIAL_USE_ONLY", "NO_SALES"} <= codes
    texts = {text.strip() for _, text in marks}
    assert any("EDITORIAL USE ONLY" in t for t in texts)
    assert "forbids selling the picture" in page
    assert 'data-copy="credit-line"' in page
    assert f'href="/v1/assets/{seeded}/file?embed=rights"' in page
    assert f'src="/v1/assets/{seeded}/renditions/preview?v=' in page
    assert "<time datetime=" in page and 'title="20' in page  # UTC on hover


def test_the_embedded_blocks_are_read_from_the_file(desk_for, seeded) -> None:
    desk = desk_for(Role.VIEWER)
    detail = desk.get(f"/assets/{seeded}").text
    assert f'data-lazy="/assets/{seeded}/metadata"' in detail
    page = desk.get(f"/assets/{seeded}/metadata").text
    assert "<h3>IPTC" in page and "Caption-Abstract" in page and "epa09674804" in page
    partial = desk.get(f"/assets/{seeded}/metadata", headers={"X-Desk-Partial": "1"}).text
    assert "<html" not in partial and "Caption-Abstract" in partial


def test_an_unknown_picture_is_a_page_in_words(desk_for) -> None:
    answer = desk_for(Role.VIEWER).get("/assets/" + "0" * 32)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "no asset with id" in answer.text and "Traceback" not in answer.text


def test_a_lease_changes_the_badge_and_can_be_removed(desk_for, seeded) -> None:
    desk = desk_for(Role.RIGHTS_MANAGER)
    desk.get("/use?purpose=sale", follow_redirects=False)
    page = desk.get(f"/assets/{seeded}").text
    assert _badges(page)[0] == "deny"
    token = csrf_of(page)
    refused = desk.post(
        f"/assets/{seeded}/leases",
        data={"csrf_token": token, "effect": "allow", "purposes": ["sale"], "reason": ""},
    )
    assert refused.status_code == 400 and 'href="#lease-reason"' in refused.text
    done = desk.post(
        f"/assets/{seeded}/leases",
        data={
            "csrf_token": token,
            "effect": "allow",
            "purposes": ["sale"],
            "territories": "gb ie",
            "reason": "EPA licence 2026-114",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = desk.get(f"/assets/{seeded}").text
    assert "EPA licence 2026-114" in page
    desk.get("/use?purpose=sale&territory=GB", follow_redirects=False)
    assert _badges(desk.get(f"/assets/{seeded}").text)[0] == "allow"
    assert _badges(desk.get("/").text) == ["allow"]
    lease_id = re.search(rf"/assets/{seeded}/leases/([0-9a-f]+)/remove", page)
    assert lease_id
    desk.post(f"/assets/{seeded}/leases/{lease_id.group(1)}/remove", data={"csrf_token": token})
    assert _badges(desk.get(f"/assets/{seeded}").text)[0] == "deny"


def test_a_lease_may_reach_every_picture_of_the_agency(desk_for, client, seeded) -> None:
    other = client.post(
        "/v1/assets",
        files={"file": ("o.jpg", jpeg_bytes(50))},
        data={"caption": "Flags in Paris. EPA/JANE DOE EDITORIAL USE ONLY"},
    ).json()["id"]
    desk = desk_for(Role.RIGHTS_MANAGER)
    desk.get("/use?purpose=commercial", follow_redirects=False)
    page = desk.get(f"/assets/{seeded}").text
    assert "every EPA picture" in page
    desk.post(
        f"/assets/{seeded}/leases",
        data={"csrf_token": csrf_of(page), "scope": "agency", "reason": "EPA agreement 7"},
    )
    page = desk.get(f"/assets/{other}").text
    assert _badges(page)[0] == "allow" and "EPA agreement 7" in page
    lease_id = re.search(rf"/assets/{other}/leases/([0-9a-f]+)/remove", page)
    assert lease_id
    # a lease that does not reach the picture cannot be removed through it
    stranger = client.post("/v1/assets", files={"file": ("s.jpg", jpeg_bytes(51))}).json()["id"]
    refused = desk.post(
        f"/assets/{stranger}/leases/{lease_id.group(1)}/remove",
        data={"csrf_token": csrf_of(page)},
    )
    assert refused.status_code == 404
    desk.post(
        f"/assets/{other}/leases/{lease_id.group(1)}/remove", data={"csrf_token": csrf_of(page)}
    )
    assert _badges(desk.get(f"/assets/{seeded}").text)[0] == "deny"


def test_a_kill_needs_a_reason_and_a_confirmation_then_lists_usages(desk_for, client, seeded):
    recorded = client.post(
        "/v1/rights/check",
        json={
            "assets": [seeded],
            "use": {
                "purpose": "editorial",
                "channel": "web",
                "publication": "The Daily",
                "url": "https://daily.example/story",
            },
            "record": True,
        },
    )
    assert recorded.json()["results"][0]["usage_id"]
    desk = desk_for(Role.RIGHTS_MANAGER)
    token = csrf_of(desk.get(f"/assets/{seeded}").text)
    unconfirmed = desk.post(
        f"/assets/{seeded}/kill", data={"csrf_token": token, "reason": "EPA kill"}
    )
    assert unconfirmed.status_code == 400 and 'href="#kill-confirm"' in unconfirmed.text
    killed = desk.post(
        f"/assets/{seeded}/kill", data={"csrf_token": token, "reason": "EPA kill", "confirm": "yes"}
    )
    assert killed.status_code == 200
    assert "Take these usages down (1)" in killed.text
    assert "https://daily.example/story" in killed.text
    assert _badges(desk.get(f"/assets/{seeded}").text)[0] == "deny"


def test_the_caption_preview_reads_without_saving_and_save_rereads(desk_for, seeded, runtime):
    desk = desk_for(Role.EDITOR)
    token = csrf_of(desk.get(f"/assets/{seeded}").text)
    preview = desk.post(
        f"/assets/{seeded}/caption",
        data={"csrf_token": token, "caption": "Reuters/ANN NO ARCHIVES", "action": "preview"},
        headers={"X-Desk-Partial": "1"},
    )
    assert preview.status_code == 200
    assert "<html" not in preview.text and "NO ARCHIVES" in preview.text
    with Session(runtime.engine) as session:
        assert "EDITORIAL USE ONLY" in (session.get(Asset, seeded).caption or "")
    saved = desk.post(
        f"/assets/{seeded}/caption",
        data={"csrf_token": token, "caption": "EPA/ANN NO ARCHIVES", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = desk.get(f"/assets/{seeded}").text
    assert 'data-codes="NO_ARCHIVES"' in page
    assert "asset.caption" in page  # the history


# --- upload and check -----------------------------------------------------------------------


def test_upload_reports_each_file_new_duplicate_or_rejected(desk_for, seed_image, runtime) -> None:
    desk = desk_for(Role.EDITOR)
    token = csrf_of(desk.get("/upload").text)
    answer = desk.post(
        "/upload",
        data={"csrf_token": token},
        files=[
            ("files", ("seed.jpg", seed_image)),
            ("files", ("again.jpg", seed_image)),
            ("files", ("notes.txt", b"not a picture at all")),
            ("files", ("small.png", png_bytes(5))),
        ],
    )
    assert answer.status_code == 200
    outcomes = re.findall(r'<li class="upload-result (new|duplicate|rejected)">', answer.text)
    assert outcomes == ["new", "duplicate", "rejected", "new"]
    # each stored picture with its badge for the chosen use (a bare PNG states no rights)
    assert _badges(answer.text) == ["allow", "allow", "review"]
    assert "open the picture already stored" in answer.text
    # their thumbnails are drawn after the answer, off the request, before the grid asks
    assert runtime.drawer is not None and runtime.drawer.drain(30)
    with Session(runtime.engine) as session:
        drawn = set(session.exec(select(Rendition.source_sha256)).all())
    assert drawn == {
        hashlib.sha256(seed_image).hexdigest(),
        hashlib.sha256(png_bytes(5)).hexdigest(),
    }
    partial = desk.post(
        "/upload",
        data={"csrf_token": token},
        files={"files": ("x.jpg", seed_image)},
        headers={"X-Desk-Partial": "1"},
    )
    assert partial.text.lstrip().startswith("<li") and "duplicate" in partial.text


def test_check_a_use_answers_each_line_like_the_hook(desk_for, seeded) -> None:
    desk = desk_for(Role.EDITOR)
    token = csrf_of(desk.get("/check").text)
    answer = desk.post(
        "/check",
        data={"csrf_token": token, "keys": "epa09674804\n\n  nosuchref \n", "purpose": "sale"},
    )
    assert answer.status_code == 200
    assert _badges(answer.text) == ["deny", "deny"]
    assert "UNKNOWN_ASSET" in answer.text and "NO_SALES" in answer.text
    assert "(not found)" in answer.text
    editorial = desk.post(
        "/check",
        data={"csrf_token": token, "keys": seeded, "purpose": "editorial", "channel": "web"},
    )
    assert _badges(editorial.text) == ["allow"]
    assert "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT" in editorial.text
    empty = desk.post("/check", data={"csrf_token": token, "keys": " "})
    assert empty.status_code == 400 and 'href="#keys"' in empty.text
    bad = desk.post("/check", data={"csrf_token": token, "keys": "a", "territory": "Narnia"})
    assert bad.status_code == 400 and 'href="#territory"' in bad.text


def test_the_markup_audit_finds_injected_markup() -> None:
    assert injected('<p><img src=x onerror="alert(1)"></p>') == [
        "<img onerror=...>",
        "<img src=x>",
    ]
    assert injected("<script>alert(1)</script>") == ["<script> not the desk's own"]
    assert injected("<p>&lt;script&gt;</p>") == []


def test_embedded_blocks_are_read_from_a_store_without_files(tmp_path, seed_image) -> None:
    """S3 and the like: the blob is copied to a temporary file, read, and the copy removed."""

    class Remote:
        def stream(self, sha256: str, chunk: int = 1 << 20) -> Iterator[bytes]:
            yield seed_image[:1000]
            yield seed_image[1000:]

    read = embedded_blocks(Remote(), "0" * 64, tmp_path)  # type: ignore[arg-type]
    assert read.raw["iptc"]["Caption-Abstract"].startswith("epa09674804")
    assert list(tmp_path.iterdir()) == []


def test_a_key_with_the_kill_permission_may_kill_from_the_desk(desk_for, runtime, seeded):
    """As in the API: an editor's key given the kill permission kills outright."""
    with session_scope(runtime.engine) as session:
        _row, key = create_key(session, "feed-desk", Role.EDITOR, can_kill=True)
    desk = desk_for(key=key)
    page = desk.get(f"/assets/{seeded}").text
    assert "Kill this picture" in page and "Add a lease" not in page
    killed = desk.post(
        f"/assets/{seeded}/kill",
        data={"csrf_token": csrf_of(page), "reason": "agency kill", "confirm": "yes"},
    )
    assert killed.status_code == 200 and "Take these usages down (0)" in killed.text
