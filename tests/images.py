"""Build small real images for tests, optionally with an IPTC caption."""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

from iptcinfo3 import IPTCInfo
from PIL import Image


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (64, 48), **iptc: str) -> bytes:
    """A distinct JPEG per `seed`; keyword arguments become IPTC datasets (e.g. caption)."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    image.putpixel((0, 0), (seed % 256, (seed // 256) % 256, 7))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    if not iptc:
        return buffer.getvalue()
    names = {
        "caption": "caption/abstract",
        "special_instructions": "special instructions",
        "credit": "credit",
        "source": "source",
        "byline": "by-line",
        "job_id": "original transmission reference",
    }
    logging.getLogger("iptcinfo").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image.jpg"
        path.write_bytes(buffer.getvalue())
        info = IPTCInfo(str(path), force=True, inp_charset="utf_8", out_charset="utf_8")
        for key, value in iptc.items():
            info[names[key]] = value
        info.save_as(str(path))
        return path.read_bytes()


def png_bytes(seed: int = 0) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (seed % 256, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()
