"""Damaged and hostile files never crash or hang a read: they give a clear error or warnings.

Every file here is built by the test itself. A read must finish within two seconds.
"""

from __future__ import annotations

import io
import struct
import zlib
from contextlib import AbstractContextManager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from assets.metadata import (
    EmbeddedMetadata,
    ImageTooLarge,
    MetadataError,
    UnreadableImage,
    read_embedded,
)
from tests.cpu_time import cpu_limit
from tests.metadata_corpus import (
    app1_xmp,
    app13,
    corpus_file,
    iim,
    segment,
    tiny_jpeg,
    with_segments,
    xmp_packet,
)

LIMIT_SECONDS = 2.0


def quick() -> AbstractContextManager[None]:
    return cpu_limit(LIMIT_SECONDS, "the read")


def read_or_refuse(data: bytes) -> EmbeddedMetadata | None:
    """Read within the time limit; only our domain errors may escape."""
    with quick():
        try:
            return read_embedded(data)
        except MetadataError:
            return None


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, *extra: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00" * 3)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + b"".join(extra)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_size(width: int, height: int) -> bytes:
    """A tiny JPEG whose SOF claims another size (the scan stays tiny)."""
    data = bytearray(tiny_jpeg())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# --- truncated files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "exiftool__ExifTool.jpg",
        "exiftool__XMP.jpg",
        "exiftool__PNG.png",
        "exiftool__RIFF.webp",
        "exiftool__ExifTool.tif",
        "exif-samples__IMG_5195.HEIC",
    ],
)
def test_truncated_files_give_a_clear_error_or_warnings(name: str) -> None:
    data = corpus_file(name)
    step = max(1, len(data) // 60)
    for cut in range(0, len(data), step):
        read_or_refuse(data[:cut])


def test_jpeg_cut_inside_its_header_is_unreadable() -> None:
    data = with_segments(
        tiny_jpeg(),
        app13(iim((2, 110, b"AP"))),
        app1_xmp(xmp_packet("<dc:title>t</dc:title>").encode()),
    )
    cut = data.find(b"http://ns.adobe.com/xap") + 40
    with pytest.raises(UnreadableImage, match="truncated or damaged"):
        read_embedded(data[:cut])


def test_jpeg_cut_inside_the_scan_still_gives_its_metadata() -> None:
    data = with_segments(tiny_jpeg((64, 64)), app13(iim((2, 110, b"AP"))))
    meta = read_embedded(data[: len(data) - 40])
    assert meta.credit == "AP"


# --- corrupt IPTC --------------------------------------------------------------------


def test_iptc_dataset_longer_than_its_block_is_a_warning() -> None:
    broken = iim((2, 110, b"AFP")) + b"\x1c\x02\x78\x7f\xff" + b"caption cut short"
    meta = read_embedded(with_segments(tiny_jpeg(), app13(broken)))
    assert meta.credit == "AFP"
    assert meta.caption is None
    assert any("2:120 is truncated" in w for w in meta.warnings)


def test_garbage_inside_iptc_stops_reading_there() -> None:
    broken = iim((2, 115, b"EPA")) + b"\x99junk" + iim((2, 110, b"never read"))
    meta = read_embedded(with_segments(tiny_jpeg(), app13(broken)))
    assert (meta.source, meta.credit) == ("EPA", None)
    assert any("IPTC data is damaged" in w for w in meta.warnings)


def test_invalid_extended_iptc_length_is_a_warning() -> None:
    broken = b"\x1c\x02\x78\x80\x09" + b"\x00" * 9
    meta = read_embedded(with_segments(tiny_jpeg(), app13(broken)))
    assert any("extended dataset length" in w for w in meta.warnings)


def test_truncated_photoshop_resource_is_a_warning() -> None:
    irb = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\xff\xff" + iim((2, 110, b"X"))
    meta = read_embedded(with_segments(tiny_jpeg(), segment(0xED, irb)))
    assert any("truncated" in w for w in meta.warnings)


def test_iptc_with_too_many_datasets_is_cut_short() -> None:
    many = iim(*[(2, 25, b"k")] * 25_000)
    payload = b"Photoshop 3.0\x00"
    # spread across APP13 segments, as large IRBs are
    irb = b"8BIM\x04\x04\x00\x00" + len(many).to_bytes(4, "big") + many
    segments = [segment(0xED, payload + irb[i : i + 60000]) for i in range(0, len(irb), 60000)]
    with quick():
        meta = read_embedded(with_segments(tiny_jpeg(), *segments))
    assert len(meta.keywords) == 20_000
    assert any("more than 20000 datasets" in w for w in meta.warnings)


# --- hostile XMP ---------------------------------------------------------------------

EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
    + xmp_packet("<photoshop:Credit>&leak;</photoshop:Credit>")
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
        for i in range(10)
    )
    + "]>"
    + xmp_packet("<photoshop:Credit>&lol9;</photoshop:Credit>")
)


@pytest.mark.parametrize("packet", [EXTERNAL_ENTITY, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_xmp_with_entities_is_refused_with_a_warning(packet: str) -> None:
    data = with_segments(tiny_jpeg(), app1_xmp(packet.encode()), app13(iim((2, 115, b"AP"))))
    with quick():
        meta = read_embedded(data)
    assert meta.credit is None
    assert meta.source == "AP"  # the rest of the file is still read
    assert "xmp" not in meta.raw or meta.raw["xmp"] == {}
    assert any("DTD or entities" in w for w in meta.warnings)


def test_malformed_xmp_is_a_warning() -> None:
    data = with_segments(tiny_jpeg(), app1_xmp(b"<x:xmpmeta><rdf:RDF><unclosed"))
    meta = read_embedded(data)
    assert any("not well-formed" in w for w in meta.warnings)


def test_deeply_nested_xmp_is_read_quickly() -> None:
    depth = 4500
    body = "<dc:title>" + "<dc:x>" * depth + "</dc:x>" * depth
    body += "</dc:title><photoshop:Credit>AP</photoshop:Credit>"
    packet = xmp_packet(body).encode()
    assert len(packet) < 65000
    with quick():
        meta = read_embedded(with_segments(tiny_jpeg(), app1_xmp(packet)))
    assert meta.credit == "AP"


def test_huge_compressed_xmp_in_png_is_skipped() -> None:
    bomb = zlib.compress(b" " * (24 * 1024 * 1024), 6)
    itxt = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + bomb)
    with quick():
        meta = read_embedded(png(4, 4, itxt))
    assert any("size limit" in w for w in meta.warnings)


def test_extended_xmp_claiming_gigabytes_is_skipped() -> None:
    chunk = b"http://ns.adobe.com/xmp/extension/\x00" + b"A" * 32 + struct.pack(">II", 2**31, 0)
    meta = read_embedded(with_segments(tiny_jpeg(), segment(0xE1, chunk + b"<x/>")))
    assert any("too large" in w for w in meta.warnings)


# --- decompression bombs -------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [png(200_000, 200_000), jpeg_with_size(65_000, 65_000)], ids=["png", "jpeg"]
)
def test_decompression_bomb_is_refused_as_too_large(data: bytes) -> None:
    with quick(), pytest.raises(ImageTooLarge, match="too large"):
        read_embedded(data)


def test_image_above_the_warning_limit_is_read_with_a_warning() -> None:
    limit = Image.MAX_IMAGE_PIXELS or 0
    side = int((limit * 1.5) ** 0.5)
    meta = read_embedded(jpeg_with_size(side, side))
    assert meta.width == side
    assert any("safety limit" in w for w in meta.warnings)


# --- damaged TIFF / EXIF structures --------------------------------------------------


def _tiff_with_looping_exif() -> bytes:
    """A TIFF whose IFD0 points to itself as the next IFD and as its EXIF IFD."""
    entries = [
        (256, 3, 1, 1),
        (257, 3, 1, 1),
        (258, 3, 1, 8),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 8 + 2 + 12 * 9 + 4),
        (277, 3, 1, 1),
        (279, 4, 1, 1),
        (34665, 4, 1, 8),
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        field = struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, typ, count) + field
    ifd += struct.pack("<I", 8)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00"


def test_tiff_with_looping_directories_does_not_hang() -> None:
    read_or_refuse(_tiff_with_looping_exif())


def test_exif_claiming_a_huge_directory_is_a_warning_or_skipped() -> None:
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff" + b"\x00" * 64
    meta = read_embedded(with_segments(tiny_jpeg(), segment(0xE1, exif)))
    assert meta.media_type == "image/jpeg"


def test_not_an_image_but_named_like_one_is_unreadable() -> None:
    with pytest.raises(UnreadableImage, match="export it again"):
        read_embedded(b"\xff\xd8\xff" + b"\x00" * 100)


# --- fuzzing -------------------------------------------------------------------------

_SEED = with_segments(
    tiny_jpeg(),
    app1_xmp(xmp_packet("<photoshop:Credit>AP</photoshop:Credit>").encode()),
    app13(iim((1, 90, b"\x1b%G"), (2, 120, "Caption ü".encode()), (2, 25, b"k"))),
    segment(0xE1, b"Exif\x00\x00" + bytes(Image.new("RGB", (1, 1)).getexif().tobytes())),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    st.integers(1, len(_SEED)),
)
def test_random_damage_never_escapes_as_a_crash(edits: list[tuple[int, int]], keep: int) -> None:
    data = bytearray(_SEED)
    for pos, value in edits:
        data[pos] = value
    read_or_refuse(bytes(data[:keep]))


def test_seed_for_fuzzing_is_read_fully() -> None:
    meta = read_embedded(_SEED)
    assert (meta.caption, meta.credit, meta.keywords) == ("Caption ü", "AP", ["k"])
    assert io.BytesIO(_SEED).read(2) == b"\xff\xd8"


# --- amplification: many entries or chunks pointing at one large region --------------


def _tiff_with_many_entries_on_one_region(entries: int, region: int) -> bytes:
    """Classic TIFF: 1x1 image whose IFD0 has `entries` tags all pointing at one region."""
    data_at = 8
    ifd_at = data_at + region
    tags = [(256, 3, 1, 1), (257, 3, 1, 1), (273, 4, 1, data_at), (279, 4, 1, 1)]
    tags += [(40000 + i, 2 if i % 2 else 7, region, data_at) for i in range(entries)]
    tags.append((700, 1, region, data_at))
    ifd = struct.pack("<H", len(tags))
    for tag, typ, count, value in sorted(tags):
        field = struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, typ, count) + field
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", ifd_at) + b"A" * region + ifd


def test_tiff_entries_sharing_one_huge_value_do_not_multiply_the_cost() -> None:
    data = _tiff_with_many_entries_on_one_region(4000, 8 * 1024 * 1024)
    meta = read_or_refuse(data)
    assert meta is not None
    assert meta.width == 1


def test_many_compressed_png_text_chunks_are_not_all_inflated() -> None:
    bomb = zlib.compress(b"A" * (8 * 1024 * 1024), 9)
    chunks = [png_chunk(b"zTXt", b"Comment\x00\x00" + bomb) for _ in range(40)]
    chunks += [png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + bomb) for _ in range(40)]
    read_or_refuse(png(4, 4, *chunks))


def _tiff_with_xmp(packet: bytes) -> bytes:
    tags = [(256, 3, 1, 1), (257, 3, 1, 1), (273, 4, 1, 8), (279, 4, 1, 1)]
    tags.append((700, 1, len(packet), 8))
    ifd = struct.pack("<H", len(tags))
    for tag, typ, count, value in tags:
        field = struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, typ, count) + field
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8 + len(packet)) + packet + ifd


def test_large_xmp_in_tiff_is_read_within_the_time_limit() -> None:
    body = (
        "<dc:subject><rdf:Bag>" + "<rdf:li>keyword</rdf:li>" * 100_000 + "</rdf:Bag></dc:subject>"
    )
    meta = read_or_refuse(_tiff_with_xmp(xmp_packet(body).encode()))
    assert meta is not None
    assert len(meta.keywords) == 100_000


@pytest.mark.parametrize(
    "body",
    [
        "<dc:title>" + "<a:b xmlns:a='u'/>" * 1_000_000 + "</dc:title>",
        "<dc:title><rdf:Description "
        + " ".join(f"a:b{i}='1'" for i in range(200_000))
        + " xmlns:a='u'/></dc:title>",
    ],
    ids=["million-elements", "element-with-200000-attributes"],
)
def test_xmp_with_too_much_markup_is_skipped_quickly(body: str) -> None:
    meta = read_or_refuse(_tiff_with_xmp(xmp_packet(body).encode()))
    assert meta is not None
    assert any("XMP ignored" in w for w in meta.warnings)


def test_jpeg_with_a_million_empty_segments_is_refused_quickly() -> None:
    data = with_segments(tiny_jpeg(), b"\xff\xe5\x00\x02" * 1_000_000)
    with quick(), pytest.raises(UnreadableImage):
        read_embedded(data)


def test_photoshop_block_with_too_many_resources_is_cut_short() -> None:
    resource = b"8BIM\x03\xed\x00\x00\x00\x00\x00\x00"
    many = b"Photoshop 3.0\x00" + resource * 5000
    segments = [segment(0xED, many)] * 12
    with quick():
        meta = read_embedded(with_segments(tiny_jpeg(), *segments, app13(iim((2, 110, b"AP")))))
    assert any("Photoshop resources" in w for w in meta.warnings)
