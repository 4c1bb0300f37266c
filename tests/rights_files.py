"""Real image files that state rights in chosen metadata blocks, for the fail-closed tests.

`build(FileSpec(...))` writes a JPEG, TIFF, PNG or WebP whose IPTC, XMP and EXIF hold the
texts given, optionally with other blocks damaged or stated twice (`damage`). Every file is
a real image Pillow opens; the blocks are written the way tools write them (APP13/APP1
segments, TIFF tags 270/700/33723/34377, PNG iTXt/eXIf/raw profiles, WebP EXIF/XMP chunks).
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, PngImagePlugin

from tests.metadata_corpus import app1_xmp, app13, iim, segment, tiny_jpeg, with_segments

CONTAINERS = ("jpeg", "tiff", "png", "webp")

# Where a statement can be written: block field -> how it is written.
TARGETS = (
    "iptc:special_instructions",  # IPTC 2:40
    "iptc:caption",  # IPTC 2:120
    "xmp:usage_terms",  # xmpRights:UsageTerms x-default
    "xmp:usage_terms_other_language",  # a second language of the lang-alt, x-default clean
    "xmp:instructions",  # photoshop:Instructions
    "xmp:description",  # dc:description x-default
    "xmp:repeated_instructions",  # Instructions stated twice, the clean value last
    "exif:description",  # EXIF ImageDescription
)

# What may be done to the blocks that do not hold the statement.
DAMAGE = (
    "none",
    "clean_block_first",  # another block of the statement's kind, saying nothing, comes first
    "xmp_with_dtd",
    "xmp_not_well_formed",
    "iptc_damaged",
    "exif_damaged",
)

CLEAN_CAPTION = "Crowds gather in the square. REUTERS/Jane Doe"
_IIM_FIELDS = {"special_instructions": 40, "caption": 120, "credit": 110, "source": 115}


@dataclass
class FileSpec:
    """A file to build: the container, the statement and where it goes, what else happens."""

    container: str
    target: str
    text: str
    damage: str = "none"
    seed: int = 0
    credit: str = "REUTERS/Jane Doe"
    extra: dict[str, str] = field(default_factory=dict)


def fits(container: str, target: str, damage: str) -> bool:
    """Whether this container can carry the statement and the damage as asked.

    WebP has no IPTC; the damaged block must be another block than the statement's, except
    for "clean_block_first", which repeats the statement's own kind.
    """
    kind = target.split(":")[0]
    if container == "webp" and (kind == "iptc" or damage == "iptc_damaged"):
        return False
    if damage.startswith(kind) or (container == "tiff" and damage == "exif_damaged"):
        return False  # (a TIFF's EXIF is the file itself)
    # one XMP tag and one IFD0 per TIFF
    return not (damage == "clean_block_first" and container == "tiff" and kind in {"xmp", "exif"})


def build(spec: FileSpec) -> bytes:
    """The file's bytes."""
    kind, where = spec.target.split(":")
    iptc = {"credit": spec.credit}
    xmp: dict[str, str] = {}
    exif: str | None = None
    if kind == "iptc":
        iptc[where] = spec.text
    elif kind == "xmp":
        xmp[where] = spec.text
    else:
        exif = spec.text
    blocks = _Blocks(
        iptc=[_iim(iptc)],
        xmp=[_xmp(xmp)],
        exif=[_exif(exif)] if exif is not None else [],
    )
    _damage(blocks, spec.damage, kind)
    return _WRITERS[spec.container](blocks, spec.seed)


@dataclass
class _Blocks:
    iptc: list[bytes]
    xmp: list[bytes]
    exif: list[bytes]  # TIFF structures (no "Exif\0\0")


def _damage(blocks: _Blocks, damage: str, kind: str) -> None:
    if damage == "clean_block_first":
        clean = {
            "iptc": _iim({"special_instructions": "none"}),
            "xmp": _xmp({"instructions": "none"}),
            "exif": _exif("Crowds gather in the square."),
        }[kind]
        getattr(blocks, kind).insert(0, clean)
    elif damage == "xmp_with_dtd":
        blocks.xmp = [b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "NO SALES">]><x>&e;</x>']
    elif damage == "xmp_not_well_formed":
        blocks.xmp = [_xmp({"instructions": "none"})[:-20]]
    elif damage == "iptc_damaged":
        blocks.iptc = [blocks.iptc[0] + b"\x1c\x02\x28\x10\x00EDITORIAL"]  # runs past the end
    elif damage == "exif_damaged":
        blocks.exif = [b"II*\x00\xff\xff\x00\x00"]  # IFD0 outside the block


def _iim(fields: dict[str, str]) -> bytes:
    datasets = [(1, 90, b"\x1b%G")]
    datasets += [(2, _IIM_FIELDS[k], v.encode()) for k, v in fields.items()]
    return iim(*datasets)


def _alt(text: str, other: str | None = None) -> str:
    items = f'<rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
    if other is not None:
        items += f'<rdf:li xml:lang="de-DE">{escape(other)}</rdf:li>'
    return f"<rdf:Alt>{items}</rdf:Alt>"


def _xmp(fields: dict[str, str]) -> bytes:
    body = ""
    for name, text in fields.items():
        if name == "usage_terms":
            body += f"<xmpRights:UsageTerms>{_alt(text)}</xmpRights:UsageTerms>"
        elif name == "usage_terms_other_language":
            body += f"<xmpRights:UsageTerms>{_alt('none', text)}</xmpRights:UsageTerms>"
        elif name == "instructions":
            body += f"<photoshop:Instructions>{escape(text)}</photoshop:Instructions>"
        elif name == "description":
            body += f"<dc:description>{_alt(text)}</dc:description>"
        elif name == "repeated_instructions":
            body += f"<photoshop:Instructions>{escape(text)}</photoshop:Instructions>"
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">'
        f"{body}</rdf:Description>"
    )
    if "repeated_instructions" in fields:
        packet += (
            '<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
            "<photoshop:Instructions>none</photoshop:Instructions></rdf:Description>"
        )
    return (packet + "</rdf:RDF></x:xmpmeta>").encode()


def _exif(description: str | None) -> bytes:
    """A little-endian EXIF block whose IFD0 holds ImageDescription in UTF-8, as cameras and
    desk tools write it (Pillow would write "?" for every non-ASCII letter)."""
    if description is None:
        return b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    text = description.encode("utf-8") + b"\x00"
    entry = (0x010E).to_bytes(2, "little") + (2).to_bytes(2, "little")
    entry += len(text).to_bytes(4, "little") + (26).to_bytes(4, "little")
    ifd = (1).to_bytes(2, "little") + entry + (0).to_bytes(4, "little")
    return b"II*\x00" + (8).to_bytes(4, "little") + ifd + text


def _image(seed: int) -> Image.Image:
    return Image.new("RGB", (16, 12), (seed % 256, (seed // 256) % 256, 90))


def _jpeg(blocks: _Blocks, seed: int) -> bytes:
    base = _jpeg_pixels(seed)
    segments = [segment(0xE1, b"Exif\x00\x00" + e) for e in blocks.exif]
    segments += [app1_xmp(x) for x in blocks.xmp]
    segments += [app13(i) for i in blocks.iptc]
    return with_segments(base, *segments)


def _jpeg_pixels(seed: int) -> bytes:
    out = io.BytesIO()
    _image(seed).save(out, "JPEG", quality=80)
    return out.getvalue() if seed else tiny_jpeg()


def _tiff(blocks: _Blocks, seed: int) -> bytes:
    info: dict[int, object] = {700: blocks.xmp[-1], 33723: blocks.iptc[-1]}
    if len(blocks.iptc) > 1:  # the first IPTC block in the Photoshop resources, read first
        irb = blocks.iptc[0] + (b"\x00" if len(blocks.iptc[0]) % 2 else b"")
        info[34377] = b"8BIM\x04\x04\x00\x00" + len(blocks.iptc[0]).to_bytes(4, "big") + irb
    for e in blocks.exif:
        text = _exif_description(e)
        if text is not None:
            # Pillow reads the tag's bytes as Latin-1 and writes a str as ASCII, every other letter
            # a "?": the block's own UTF-8 bytes go in, or the file would not say what it forbids.
            info[270] = text.encode("latin-1")
    out = io.BytesIO()
    _image(seed).save(out, "TIFF", tiffinfo=info)
    data = out.getvalue()
    if any(e.startswith(b"II*\x00\xff\xff") for e in blocks.exif):
        data = data[:4] + b"\xff\xff\x00\x00" + data[8:]  # IFD0 pointer outside the file
    return data


def _exif_description(tiff: bytes) -> str | None:
    try:
        exif = Image.Exif()
        exif.load(b"Exif\x00\x00" + tiff)
        value = exif.get(0x010E)
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _png(blocks: _Blocks, seed: int) -> bytes:
    info = PngImagePlugin.PngInfo()
    for index, packet in enumerate(blocks.xmp):
        if index == 0:
            info.add_itxt("XML:com.adobe.xmp", packet.decode("utf-8", "replace"))
        else:
            info.add_text("Raw profile type xmp", _raw_profile("xmp", packet))
    for stream in blocks.iptc:
        info.add_text("Raw profile type iptc", _raw_profile("iptc", stream))
    out = io.BytesIO()
    options: dict[str, object] = {"pnginfo": info}
    if blocks.exif:
        options["exif"] = b"Exif\x00\x00" + blocks.exif[-1]
    _image(seed).save(out, "PNG", **options)
    data = out.getvalue()
    if len(blocks.exif) > 1:  # a first eXIf chunk, saying nothing, before Pillow's
        body = blocks.exif[0]
        chunk = _png_chunk(b"eXIf", body)
        ihdr_end = 8 + 25
        data = data[:ihdr_end] + chunk + data[ihdr_end:]
    return data


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import zlib

    crc = zlib.crc32(kind + body).to_bytes(4, "big")
    return len(body).to_bytes(4, "big") + kind + body + crc


def _raw_profile(name: str, payload: bytes) -> str:
    return f"\n{name}\n{len(payload):8d}\n{payload.hex()}\n"


def _webp(blocks: _Blocks, seed: int) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"lossless": True}
    if blocks.exif:
        options["exif"] = b"Exif\x00\x00" + blocks.exif[-1]
    if blocks.xmp:
        options["xmp"] = blocks.xmp[-1]
    _image(seed).save(out, "WEBP", **options)
    data = out.getvalue()
    extra = b""
    if len(blocks.xmp) > 1:
        extra += _riff_chunk(b"XMP ", blocks.xmp[0])
    if len(blocks.exif) > 1:
        extra += _riff_chunk(b"EXIF", blocks.exif[0])
    if extra:  # earlier chunks of the same kind, read first: right after the VP8X header
        assert data[12:16] == b"VP8X"
        data = data[:30] + extra + data[30:]
        data = data[:4] + (len(data) - 8).to_bytes(4, "little") + data[8:]
    return data


def _riff_chunk(kind: bytes, body: bytes) -> bytes:
    pad = b"\x00" if len(body) % 2 else b""
    return kind + len(body).to_bytes(4, "little") + body + pad


_WRITERS = {"jpeg": _jpeg, "tiff": _tiff, "png": _png, "webp": _webp}


@cache
def lexicon_phrases() -> tuple[tuple[str, str], ...]:
    """(language, phrase) for every restriction phrase of every lexicon language."""
    folder = Path(__file__).resolve().parents[1] / "captions"
    phrases: list[tuple[str, str]] = []
    for path in sorted(folder.glob("lexicon_*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        language = str(data.get("language") or path.stem.removeprefix("lexicon_"))
        for values in (data.get("restrictions") or {}).values():
            phrases += [(language, p) for p in values if isinstance(p, str)]
    return tuple(dict.fromkeys(phrases))


def statement(target: str, phrase: str) -> str:
    """The text written into a block: the phrase alone, or after a credit in a caption."""
    if target.endswith("description") or target == "iptc:caption":
        return f"{CLEAN_CAPTION} {phrase}"
    return phrase
