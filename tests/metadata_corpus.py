"""Where the shared image corpus lives, and how metadata tests build small files by hand.

The corpus (real agency and camera files with ExifTool's reading of each) is in the
shared folder beside the repository, or wherever RIGHTSDESK_SHARED points. Tests that
need it skip with a message saying so when it is absent (fail when CI is set: tests.shared).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.shared import absent, exiftool, shared_path

__all__ = ["exiftool"]  # re-exported: the metadata tests import it from here


def corpus_dir(sub: str = "") -> Path:
    """A corpus directory (with images/ and truth/), or `absent`."""
    path = shared_path("corpus", sub) if sub else shared_path("corpus")
    if not (path / "images").is_dir():
        absent(f"image corpus not found at {path}")
    return path


def corpus_file(name: str, sub: str = "") -> bytes:
    """The bytes of one corpus image."""
    return (corpus_dir(sub) / "images" / name).read_bytes()


def tiny_jpeg(size: tuple[int, int] = (16, 12)) -> bytes:
    """A small real JPEG with only SOI, APP0 (JFIF), tables, SOF, SOS, scan, EOI."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, "JPEG", quality=80)
    return out.getvalue()


def segment(marker: int, payload: bytes) -> bytes:
    """One JPEG marker segment."""
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def with_segments(jpeg: bytes, *segments: bytes) -> bytes:
    """Insert segments right after SOI."""
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def iim(*datasets: tuple[int, int, bytes]) -> bytes:
    """An IPTC IIM stream from (record, dataset, value) triples."""
    return b"".join(bytes((0x1C, r, n)) + len(v).to_bytes(2, "big") + v for r, n, v in datasets)


def app13(iptc: bytes) -> bytes:
    """An APP13 Photoshop segment holding one IPTC-NAA resource."""
    pad = b"\x00" if len(iptc) % 2 else b""
    irb = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc + pad
    return segment(0xED, b"Photoshop 3.0\x00" + irb)


def app1_xmp(packet: bytes) -> bytes:
    """An APP1 segment with a standard XMP packet."""
    return segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet)


def xmp_packet(body: str) -> str:
    """Wrap rdf:Description content in an XMP packet."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">'
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
