"""Generate seeds/epa09674804.jpg: a small JPEG carrying the seed caption in its IPTC block.

The seed exercises the embedded-metadata path: `rightsdesk seed` uploads the image without a
caption, so the rights must come from IPTC 2:120 (caption), 2:40 (special instructions),
2:110 (credit) and 2:115 (source). Run: `python seeds/make_seed_image.py`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from iptcinfo3 import IPTCInfo
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
CAPTION_FILE = HERE / "epa09674804.txt"
IMAGE_FILE = HERE / "epa09674804.jpg"


def make_seed_image(target: Path = IMAGE_FILE) -> Path:
    caption = CAPTION_FILE.read_text(encoding="utf-8").strip()
    image = Image.new("RGB", (320, 200), (38, 52, 71))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, 300, 170), fill=(120, 128, 110))
    draw.text((24, 20), "epa09674804 (seed)", fill=(240, 240, 240))
    image.save(target, "JPEG", quality=85)

    logging.getLogger("iptcinfo").setLevel(logging.ERROR)
    info = IPTCInfo(str(target), force=True, inp_charset="utf_8", out_charset="utf_8")
    info["caption/abstract"] = caption
    info["special instructions"] = "HANDOUT EDITORIAL USE ONLY/NO SALES"
    info["credit"] = "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    info["source"] = "RUSSIAN DEFENCE MINISTRY PRESS SERVICE"
    info["city"] = "Ivanovo"
    info["country/primary location name"] = "Russia"
    info["original transmission reference"] = "epa09674804"
    info.save_as(str(target))
    backup = target.with_name(target.name + "~")
    if backup.exists():
        backup.unlink()
    return target


if __name__ == "__main__":
    print(make_seed_image())
