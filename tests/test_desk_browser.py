"""The desk in a real browser (Debian's Chromium, headless, driven by Playwright) against a
real `rightsdesk serve`: what a picture editor does, step by step."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser import LAPTOP, PHONE, chromium, find_chromium, wait_until
from tests.images import jpeg_bytes
from tests.served import Served, serving
from tests.shared import shared_dir

pytestmark = pytest.mark.slow

# Two corpus files: one the agency restricted (NO SALES), one without restriction.
RESTRICTED = "agency041-xmp.jpg"
PLAIN = "agency000-iptc-utf8.jpg"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable, why = find_chromium()
    if executable is None:
        pytest.skip(f"the desk's browser tests need Chromium: {why}")
    with chromium(executable) as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    data = tmp_path_factory.mktemp("desk-data")
    env = {"RIGHTSDESK_DATA_DIR": str(data), "RIGHTSDESK_AUTH": "on", "DATABASE_URL": ""}
    with serving(env) as served:
        yield served, (data / "admin-key.txt").read_text().strip()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(restricted, plain, a word of the restricted one's caption) from the corpus, or built."""
    shared = shared_dir()
    corpus = shared / "corpus" / "agency" if shared else None
    if corpus and (corpus / "images" / RESTRICTED).exists():
        manifest = {
            row["file"]: row
            for row in map(json.loads, (corpus / "manifest.jsonl").read_text().splitlines())
        }
        word = max(re.findall(r"[A-Za-z]{6,}", manifest[RESTRICTED]["caption"]), key=len)
        return corpus / "images" / RESTRICTED, corpus / "images" / PLAIN, word
    folder = tmp_path_factory.mktemp("pictures")
    restricted, plain = folder / "restricted.jpg", folder / "plain.jpg"
    restricted.write_bytes(
        jpeg_bytes(
            1,
            (320, 200),
            caption="Crowds gather in Marseille. EPA/JANE DOE EDITORIAL USE ONLY/NO SALES",
        )
    )
    plain.write_bytes(jpeg_bytes(2, (320, 200), caption="A harbour at dawn. EPA-EFE/JOHN ROE"))
    return restricted, plain, "Marseille"


def _new_page(browser: Any, **options: Any) -> Any:
    context = browser.new_context(
        viewport=options.pop("viewport", LAPTOP), timezone_id="Europe/Berlin", **options
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in(page: Any, url: str, key: str) -> None:
    page.goto(url + "/")
    _settled(page)
    assert "/sign-in" in page.url
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def _settled(page: Any) -> None:
    """The sign-in page tries once more from itself (its cookie is SameSite=Strict)."""
    wait_until(page, "sessionStorage.getItem('rightsdesk-same-site-retry') === null")
    page.wait_for_load_state()


def _badges(page: Any) -> list[str]:
    return ["".join(text.split()) for text in page.locator(".grid .badge").all_inner_texts()]


def test_a_picture_editors_day_at_the_desk(browser, server, pictures) -> None:
    served, key = server
    restricted, plain, word = pictures
    page = _new_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # sign in with the API key
    _sign_in(page, served.url, key)
    assert page.get_by_role("link", name="Upload").is_visible()

    # upload two corpus files: each gets a result row linking to its picture
    page.get_by_role("link", name="Upload").click()
    page.set_input_files("#files", [str(restricted), str(plain)])
    wait_until(page, "document.querySelectorAll('.upload-result.new').length === 2")
    assert page.locator(".upload-result.new a", has_text="open the picture").count() == 2
    expect(page.locator(".upload-result .badge")).to_have_count(2)

    # the grid shows both with a badge (text and icon) for the chosen use
    page.get_by_role("link", name="Pictures").click()
    expect(page.locator(".grid .card")).to_have_count(2)
    assert _badges(page) == ["✓ALLOW", "✓ALLOW"]  # editorial on the web: both may run
    page.select_option("#use-purpose", "sale")
    page.get_by_role("button", name="Apply use").click()
    expect(page.locator(".grid .badge.deny")).to_have_count(1)
    expect(page.locator(".grid .badge.allow")).to_have_count(1)
    assert page.locator(".badge.deny").first.get_attribute("title")  # the reason, on hover

    # search with the API's query language
    page.get_by_label("Search captions, headlines, bylines, credits").fill(word)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    expect(page.locator(".grid .card")).to_have_count(1)
    assert page.locator(".grid mark").first.inner_text().lower() == word.lower()

    # the detail: highlighted phrases, with their code on focus
    page.locator(".grid .thumb").first.click()
    page.wait_for_url(re.compile(r"/assets/[0-9a-f]{32}$"))
    detail_url = page.url
    phrase = page.locator("mark.phrase").first
    assert phrase.count() == 1
    phrase.focus()
    note = phrase.locator(".note")
    assert note.is_visible() and "forbids" in note.inner_text()
    assert page.locator(".decision-box .badge").inner_text().endswith("DENY")
    # dates in the viewer's zone, UTC on hover
    stored = page.locator("time").first
    assert "UTC" in (stored.get_attribute("title") or "")
    assert "UTC" not in stored.inner_text()

    # a lease that allows the sale turns the badge
    page.get_by_text("Add a lease").click()
    page.get_by_label("sale", exact=True).check()
    page.get_by_label("Reason for the lease").fill("Licence 2026-114 for the picture sale")
    page.get_by_role("button", name="Add lease").click()
    page.wait_for_url(re.compile("#leases"))
    expect(page.locator(".decision-box .badge")).to_contain_text("ALLOW")
    expect(
        page.get_by_role("cell", name="Licence 2026-114 for the picture sale", exact=True)
    ).to_be_visible()

    # the copy button copies the credit line
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    assert (
        page.evaluate("navigator.clipboard.readText()") == page.locator("#credit-line").inner_text()
    )

    # the caption edit previews the new reading live, before saving
    page.get_by_text("Edit the caption").click()
    page.fill("#caption", "Harbour at dawn. EPA/JANE DOE NO ARCHIVES")
    page.wait_for_selector("[data-caption-preview] .tag.restriction")
    assert "NO ARCHIVES" in page.locator("[data-caption-preview]").inner_text()

    # a usage published by the CMS, then a kill: the usages to take down are shown
    asset_id = detail_url.rsplit("/", 1)[1]
    httpx.post(
        f"{served.url}/v1/rights/check",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "assets": [asset_id],
            "use": {
                "purpose": "editorial",
                "publication": "The Morning Post",
                "url": "https://post.example/harbour",
            },
            "record": True,
        },
    ).raise_for_status()
    page.goto(detail_url)
    page.get_by_text("Kill this picture").click()
    page.locator("#kill-reason").fill("Agency kill notice: wrong caption")
    page.get_by_role("button", name="Kill picture").click()
    expect(page.locator(".error-summary")).to_be_visible()  # not confirmed yet: no kill
    expect(page.locator("#kill-reason")).to_be_visible()  # the form stays open, filled in
    page.locator("#kill-reason").fill("Agency kill notice: wrong caption")
    page.get_by_label("I confirm this picture must be killed").check()
    page.get_by_role("button", name="Kill picture").click()
    expect(page.get_by_role("heading", name="Take these usages down (1)")).to_be_visible()
    assert page.get_by_text("https://post.example/harbour").is_visible()

    # check a use: one line per picture, a table of decisions
    page.get_by_role("link", name="Check a use").click()
    page.fill("#keys", f"{asset_id}\nno-such-reference")
    page.select_option("#check-purpose", "editorial")
    page.get_by_role("button", name="Check").click()
    rows = page.locator("table.decisions tbody tr")
    expect(rows).to_have_count(2)
    assert "KILLED" in rows.nth(0).inner_text() and "DENY" in rows.nth(0).inner_text()
    assert "UNKNOWN_ASSET" in rows.nth(1).inner_text()

    # back on the grid the killed picture is marked at a glance
    page.goto(served.url + "/")
    expect(page.locator(".card.is-killed .flag.killed")).to_have_count(1)
    # every picture has alt text; the thumbnails load when the server makes renditions
    alts = page.locator(".grid img").evaluate_all("els => els.map(e => e.alt)")
    assert alts and all(alt.strip() for alt in alts)
    thumb = httpx.get(
        f"{served.url}/v1/assets/{asset_id}/renditions/thumb",
        headers={"Authorization": f"Bearer {key}"},
    )
    if thumb.status_code == 200:
        wait_until(
            page,
            "[...document.querySelectorAll('.grid img')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
        )
    assert dialogs == []


def test_keyboard_focus_is_visible_and_the_phone_layout_fits(browser, server, pictures) -> None:
    served, key = server
    page = _new_page(browser)
    _sign_in(page, served.url, key)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(3):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")
    phone = _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    _sign_in(phone, served.url, key)
    phone.goto(served.url + "/")
    expect(phone.locator(".filters details")).not_to_have_attribute("open", "")
    phone.locator(".grid .thumb").first.click()
    detail = phone.url.removeprefix(served.url)
    for path in ("/", "/upload", "/check", detail):
        phone.goto(served.url + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"


def test_a_link_from_another_site_opens_the_page_for_a_signed_in_person(browser, server) -> None:
    """SameSite=Strict keeps the cookie off a cross-site click; the desk recovers by itself."""
    served, key = server
    page = _new_page(browser)
    _sign_in(page, served.url, key)
    elsewhere = page.context.new_page()  # about:blank: another origin than the desk's
    elsewhere.set_content(f'<a href="{served.url}/check">the picture desk</a>')
    elsewhere.click("a")
    elsewhere.wait_for_url(served.url + "/check")
    expect(elsewhere.get_by_role("heading", name="Check a use")).to_be_visible()


def test_a_hostile_caption_runs_no_script(browser, server) -> None:
    served, key = server
    caption = '"><img src=x onerror="window.hacked=1"><script>window.hacked=2</script> NO SALES'
    answer = httpx.post(
        f"{served.url}/v1/assets",
        headers={"Authorization": f"Bearer {key}"},
        files={"file": ("<b>bold</b>.jpg", jpeg_bytes(77, (120, 80)))},
        data={"caption": caption},
    )
    asset_id = answer.json()["id"]
    page = _new_page(browser)
    _sign_in(page, served.url, key)
    for path in ("/", "/?q=hacked", f"/assets/{asset_id}"):
        page.goto(served.url + path)
        assert page.evaluate("window.hacked === undefined")
    assert "onerror" in page.locator(".caption").first.inner_text()  # shown as text
