"""Screenshots of every desk page at laptop and phone width, from a real server and Chromium.

    .venv/bin/python docs/screenshots.py            # writes docs/screenshots/<page>-<width>.png

The catalogue is a fresh one in a temporary folder: photographs (the corpus beside the repo
when present, else drawn ones) carrying agency captions in their IPTC block, uploaded through
the API, then a lease, a recorded usage and a kill, so that every kind of badge shows.
"""

from __future__ import annotations

import io
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
from iptcinfo3 import IPTCInfo
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import (  # noqa: E402
    LAPTOP,
    PHONE,
    chromium,
    find_chromium,
    renditions_from_originals,
    wait_until,
)
from tests.conftest import shared_dir  # noqa: E402
from tests.served import serving  # noqa: E402

OUT = REPO / "docs" / "screenshots"

CAPTIONS = [
    "epa11902211 Supporters of the opposition wave flags during a rally on the Place de la"
    " Republique in Paris, France, 12 March 2026. EPA/MOHAMMED BADRA",
    "A firefighter works to contain a wildfire near Valparaiso, Chile, February 4, 2026. Chilean"
    " Air Force/Handout via REUTERS ATTENTION EDITORS - THIS IMAGE HAS BEEN SUPPLIED BY A THIRD"
    " PARTY. NO RESALES. NO ARCHIVES.",
    "Members of the national team celebrate after winning the final at Wembley Stadium in London,"
    " Britain, 14 July 2026. EPA/NEIL HALL EDITORIAL USE ONLY",
    "The crew of the Artemis mission pose for a portrait at the Kennedy Space Center in Florida,"
    " U.S., in this handout picture released on 2 April 2026. NASA/Handout via REUTERS THIS IMAGE"
    " HAS BEEN SUPPLIED BY A THIRD PARTY. MANDATORY CREDIT",
    "A view of the old town of Dubrovnik, Croatia, 21 June 2026. EPA/ANTONIO BAT EMBARGOED UNTIL"
    " 20 DECEMBER 2099 00:01 GMT",
    "The president addresses the nation from the Oval Office in Washington, DC, USA, 03 May 2026."
    " EPA/POOL NO USE IN FRANCE, GERMANY",
    "Wind turbines stand at sunrise near Nauen, Germany, 9 September 2026. (Photo by Sean"
    " Gallup/Getty Images)",
    "A handout photo made available by the Ministry of Defence shows troops during an exercise"
    " near Tapa, Estonia, 11 October 2026. EPA/MINISTRY OF DEFENCE HANDOUT HANDOUT EDITORIAL USE"
    " ONLY/NO SALES",
    "Climate activists block a road in central Rome, Italy, 5 November 2026. ANSA/ANGELO CARCONI",
    "epa11902298 A tram passes the Charles Bridge in Prague, Czech Republic, 2 December 2026."
    " EPA/MARTIN DIVISEK",
    "Rescue workers search the rubble after an earthquake in Hatay, Turkey, 8 February 2026."
    " REUTERS/Umit Bektas NO RESALES. NO ARCHIVES.",
    "A skier competes during the downhill race in Kitzbuehel, Austria, 24 January 2026."
    " EPA/EXPA/JOHANN GRODER EDITORIAL USE ONLY",
]


def photographs(count: int) -> list[Image.Image]:
    """Real photographs from the corpus when it is here, else drawn stand-ins."""
    found: list[Image.Image] = []
    shared = shared_dir()
    folder = shared / "corpus" / "images" if shared else None
    if folder and folder.is_dir():
        for path in sorted(folder.glob("*.jp*g")):
            try:
                image = Image.open(path)
                image.load()
            except Exception:
                continue
            if min(image.size) >= 600 and image.mode == "RGB":
                found.append(image)
    while len(found) < count:
        found.append(_drawn(len(found)))
    return found[:count]


def _drawn(seed: int) -> Image.Image:
    image = Image.new("RGB", (1200, 800), (40 + seed * 17 % 150, 70, 110 + seed * 29 % 120))
    draw = ImageDraw.Draw(image)
    for band in range(0, 800, 40):
        draw.rectangle((0, band, 1200, band + 20), fill=(60 + band // 8, 90 + seed * 9 % 100, 120))
    return image


def with_caption(image: Image.Image, caption: str, folder: Path, name: str) -> Path:
    """The photograph as an agency JPEG: resized, metadata dropped, caption in IPTC 2:120."""
    picture = image.copy()
    picture.thumbnail((1600, 1600))
    path = folder / name
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    logging.getLogger("iptcinfo").setLevel(logging.ERROR)
    info = IPTCInfo(str(path), force=True, inp_charset="utf_8", out_charset="utf_8")
    info["caption/abstract"] = caption
    info.save_as(str(path))
    return path


def main() -> None:
    executable, why = find_chromium()
    if executable is None:
        raise SystemExit(f"screenshots need Chromium: {why}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        data = folder / "data"
        env = {"RIGHTSDESK_DATA_DIR": str(data), "RIGHTSDESK_AUTH": "on", "DATABASE_URL": ""}
        with serving(env) as served:
            key = (data / "admin-key.txt").read_text().strip()
            ids = load_catalogue(served.url, key, folder)
            (folder / "notes.txt").write_text("not a picture")
            fresh = with_caption(
                _drawn(3), "A lighthouse at dusk, 1 May 2026. EPA/JANE DOE", folder, "new.jpg"
            )
            uploads = [fresh, folder / "picture00.jpg", folder / "notes.txt"]
            shoot(executable, served.url, key, ids, uploads)
    print(f"screenshots written to {OUT.relative_to(REPO)}/")


def load_catalogue(url: str, key: str, folder: Path) -> list[str]:
    api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    ids = []
    for number, (photo, caption) in enumerate(
        zip(photographs(len(CAPTIONS)), CAPTIONS, strict=True)
    ):
        path = with_caption(photo, caption, folder, f"picture{number:02}.jpg")
        with path.open("rb") as handle:
            answer = api.post("/v1/assets", files={"file": (path.name, handle, "image/jpeg")})
        answer.raise_for_status()
        ids.append(answer.json()["id"])
    api.post(
        "/v1/rights/check",
        json={
            "assets": [ids[0]],
            "use": {
                "purpose": "editorial",
                "channel": "web",
                "publication": "The Morning Post",
                "url": "https://post.example/2026/03/12/paris-rally",
            },
            "record": True,
        },
    ).raise_for_status()
    api.post(
        f"/v1/assets/{ids[7]}/overrides",
        json={"effect": "allow", "purposes": ["sale"], "reason": "Ministry licence 2026-114"},
    ).raise_for_status()
    api.post(
        f"/v1/assets/{ids[9]}/kill", json={"reason": "EPA kill notice: wrong identification"}
    ).raise_for_status()
    return ids


def shoot(executable: Path, url: str, key: str, ids: list[str], uploads: list[Path]) -> None:
    with chromium(executable) as browser:
        for width_name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            context = browser.new_context(
                viewport=viewport,
                device_scale_factor=1,
                timezone_id="Europe/London",
                is_mobile=width_name == "phone",
            )
            shoot_pages(context.new_page(), url, key, ids, uploads, width_name)
            context.close()


def shoot_pages(
    page: Any, url: str, key: str, ids: list[str], uploads: list[Path], width_name: str
) -> None:
    renditions_from_originals(page, url)

    def snap(name: str, full: bool = False) -> None:
        page.wait_for_load_state("networkidle")
        small(page.screenshot(full_page=full), OUT / f"{name}-{width_name}.png")

    page.goto(url + "/")
    wait_until(page, "sessionStorage.getItem('rightsdesk-same-site-retry') === null")
    snap("sign-in")
    page.fill("#api_key", key)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(url + "/")
    snap("grid")
    page.goto(url + "/use?purpose=sale&channel=web&next=/")
    snap("grid-sale")
    page.goto(url + "/use?purpose=editorial&channel=web&territory=FR&next=/")
    page.goto(url + "/?q=EDITORIAL")
    snap("search")
    page.goto(url + f"/assets/{ids[7]}")
    page.locator("mark.phrase").first.focus()
    snap("detail")
    page.goto(url + f"/assets/{ids[1]}")
    page.get_by_text("IPTC, XMP and EXIF, block by block").click()
    page.wait_for_selector("[data-lazy-target] table")
    snap("detail-full", full=True)
    page.goto(url + "/upload")
    page.set_input_files("#files", [str(path) for path in uploads])
    wait_until(page, "!document.querySelector('.upload-results progress')")
    wait_until(page, "document.querySelectorAll('.upload-result').length === 3")
    snap("upload")
    page.goto(url + "/check")
    page.fill("#keys", "\n".join([ids[0], ids[2], ids[5], ids[9], "epa00000000"]))
    page.select_option("#check-purpose", "editorial")
    page.click("button:has-text('Check')")
    snap("check", full=True)


def small(png: bytes, path: Path) -> None:
    """256 colours: a fraction of the bytes, and the same to the eye for a page of text."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


if __name__ == "__main__":
    main()
