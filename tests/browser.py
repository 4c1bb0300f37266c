"""Debian's Chromium, driven by Playwright, for the desk's browser tests and screenshots.

Playwright cannot download its own browsers here, so it drives /usr/bin/chromium, which is
installed with apt-get when missing (as the Makefile's `tools` target does)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("RIGHTSDESK_CHROMIUM", "/usr/bin/chromium"))
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}


def find_chromium() -> tuple[Path | None, str]:
    """The browser, installing it with apt-get when missing; else None and why."""
    if CHROMIUM.exists():
        return CHROMIUM, ""
    if shutil.which("apt-get") is None:
        return None, "Chromium is not installed and this machine has no apt-get"
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    error = ""
    for steps in ([["install"]], [["update", "-q"], ["install"]]):
        for step in steps:
            args = [*step, "-y", "-q", "chromium"] if step == ["install"] else step
            done = subprocess.run(
                [*sudo, "apt-get", *args], capture_output=True, text=True, timeout=900
            )
            error = done.stderr.strip()[-300:]
        if CHROMIUM.exists():
            return CHROMIUM, ""
    return None, f"`apt-get install chromium` failed: {error}"


@contextmanager
def chromium(executable: Path) -> Iterator[Any]:
    """A headless Chromium (a Playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield browser
        finally:
            browser.close()


def renditions_from_originals(page: Any, base_url: str) -> None:
    """Where the server has no renditions route yet (404), make the thumbnail from the
    original with Pillow, so screenshots show pictures; real renditions pass through."""
    from PIL import Image, ImageOps

    pattern = re.compile(r"/v1/assets/([0-9a-f]{32})/renditions/(thumb|preview)")

    def handle(route: Any) -> None:
        response = route.fetch()
        if response.status != 404:
            route.fulfill(response=response)
            return
        found = pattern.search(route.request.url)
        assert found
        original = route.fetch(url=f"{base_url}/v1/assets/{found.group(1)}/file")
        try:
            image = ImageOps.exif_transpose(Image.open(io.BytesIO(original.body())))
            image.thumbnail((256, 256) if found.group(2) == "thumb" else (1200, 1200))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82)
            route.fulfill(status=200, body=out.getvalue(), content_type="image/jpeg")
        except Exception:
            route.fulfill(response=response)

    page.route("**/v1/assets/*/renditions/*", handle)


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression until it is true. (`page.wait_for_function` compiles it
    with `new Function`, which the desk's Content-Security-Policy rightly forbids.)"""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
