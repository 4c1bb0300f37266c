"""Files carrying every licensing and provenance field, written by ExifTool on the spot.

Every PLUS, xmpRights, IIM release/expiration and DigitalSourceType field, in JPEG, TIFF, PNG
and WebP, with non-Latin names, lists, dates with and without time and zone; plus the real
C2PA sample (tests/data/c2pa/SOURCE.md) and its manifest moved into a PNG. Used by the
fidelity test and by `python benches/licensing_fidelity.py`.
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image

from assets.metadata.c2pa import jpeg_store
from assets.metadata.jpeg import read_jpeg_blocks

C2PA_SAMPLE = Path(__file__).parent / "data" / "c2pa" / "C.jpg"

NAMES = ["Jane Doe", "Zoë Ağaoğlu", "李雷", "Ана Петрова", "O'Brien & Sons", "EPA"]
STATUSES = {
    "ModelReleaseStatus": [
        "None",
        "Not Applicable",
        "Unlimited Model Releases",
        "Limited or Incomplete Model Releases",
    ],
    "PropertyReleaseStatus": [
        "None",
        "Not Applicable",
        "Unlimited Property Releases",
        "Limited or Incomplete Property Releases",
    ],
}
SOURCE_TYPES = [
    "digitalCapture",
    "trainedAlgorithmicMedia",
    "compositeSynthetic",
    "algorithmicallyEnhanced",
    "compositeWithTrainedAlgorithmicMedia",
    "negativeFilm",
]
ZONES = ["", "+00:00", "+05:30", "-08:00"]


def _base(path: Path) -> None:
    kind = {".jpg": "JPEG", ".tif": "TIFF", ".png": "PNG", ".webp": "WEBP"}[path.suffix]
    Image.new("RGB", (16, 12), (90, 120, 200)).save(path, kind)


def _arguments(rng: random.Random, iim: bool) -> list[str]:
    args = ["-q", "-overwrite_original", "-charset", "iptc=UTF8", "-codedcharacterset=UTF8"]
    for tag, values in STATUSES.items():
        if rng.random() < 0.8:
            args.append(f"-XMP-plus:{tag}={rng.choice(values)}")
    for tag in ("ModelReleaseID", "PropertyReleaseID"):
        for n in range(rng.randint(0, 3)):
            args.append(f"-XMP-plus:{tag}={tag[:2]}-{rng.randint(1, 999)}-{n}")
    for n in range(rng.randint(0, 2)):
        args.append(f"-XMP-iptcExt:PersonInImage={rng.choice(NAMES)} {n}")
    for tag in ("ImageSupplierName", "CopyrightOwnerName", "LicenseeName", "LicensorName"):
        if rng.random() < 0.7:
            args.append(f"-XMP-plus:{tag}={rng.choice(NAMES)}")
    if rng.random() < 0.7:
        args.append(f"-XMP-plus:LicensorURL=https://licensing.example/{rng.randint(1, 99)}")
    if rng.random() < 0.7:
        args.append(f"-XMP-xmpRights:WebStatement=https://rights.example/{rng.randint(1, 99)}")
    if rng.random() < 0.7:
        args.append(f"-XMP-xmpRights:Marked={rng.choice(['True', 'False'])}")
    if rng.random() < 0.7:
        args.append(f"-XMP-xmpRights:UsageTerms={rng.choice(NAMES)} only, no sales")
    day = f"2026:{rng.randint(1, 12):02d}:{rng.randint(1, 28):02d}"
    if rng.random() < 0.6:
        args.append(f"-XMP-plus:LicenseStartDate={day}")
    if rng.random() < 0.6:
        args.append(f"-XMP-plus:LicenseEndDate=2027:{rng.randint(1, 12):02d}:15")
    if rng.random() < 0.8:
        code = rng.choice(SOURCE_TYPES)
        args.append(
            f"-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/{code}"
        )
    if iim:
        for name in ("Release", "Expiration"):
            if rng.random() < 0.8:
                args.append(f"-IPTC:{name}Date={day}")
                if rng.random() < 0.7:
                    clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
                    args.append(f"-IPTC:{name}Time={clock}{rng.choice(ZONES)}")
    return args


def make_files(folder: Path, count: int, tool: str = "exiftool", seed: int = 20261207) -> Path:
    """`count` files written by ExifTool into `folder`, plus the two C2PA files."""
    rng = random.Random(seed)
    argfile: list[str] = []
    for index in range(count):
        path = folder / f"f{index:03d}{['.jpg', '.tif', '.png', '.webp'][index % 4]}"
        _base(path)
        argfile += [*_arguments(rng, iim=path.suffix in (".jpg", ".tif")), str(path), "-execute"]
    args = folder.parent / f"{folder.name}-args.txt"
    args.write_text("\n".join(argfile) + "\n", encoding="utf-8")
    subprocess.run([tool, "-q", "-q", "-@", str(args)], check=True)
    (folder / "c2pa.jpg").write_bytes(C2PA_SAMPLE.read_bytes())
    (folder / "c2pa.png").write_bytes(png_with_store(sample_store()))
    return folder


def sample_store() -> bytes:
    found = jpeg_store(read_jpeg_blocks(C2PA_SAMPLE.read_bytes()).jumbf)
    assert found is not None
    return found[1]


def png_with_store(store: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    png = out.getvalue()
    chunk = struct.pack(">I", len(store)) + b"caBX" + store
    chunk += struct.pack(">I", zlib.crc32(b"caBX" + store))
    cut = png.index(b"IDAT") - 4
    return png[:cut] + chunk + png[cut:]


def webp_with_store(store: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "WEBP")
    body = out.getvalue()[12:] + b"C2PA" + struct.pack("<I", len(store)) + store
    body += b"\x00" * (len(store) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def heif_with_store(store: bytes) -> bytes:
    """A HEIF with a C2PA uuid box appended at the top level (version, flags, purpose
    "manifest", an 8-byte offset, then the JUMBF), as the C2PA BMFF binding writes it."""
    import pillow_heif

    from assets.metadata.c2pa import C2PA_UUID

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 30)).save(out, "HEIF")
    body = C2PA_UUID + b"\x00\x00\x00\x00" + b"manifest\x00" + (0).to_bytes(8, "big") + store
    return out.getvalue() + struct.pack(">I", 8 + len(body)) + b"uuid" + body
