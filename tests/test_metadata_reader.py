"""read_embedded finds the caption and rights wherever agencies and tools put them."""

from __future__ import annotations

import io
import json
import struct

import pytest
from PIL import Image

from assets.metadata import read_embedded
from tests.metadata_corpus import (
    app1_xmp,
    app13,
    corpus_dir,
    corpus_file,
    iim,
    segment,
    tiny_jpeg,
    with_segments,
    xmp_packet,
)


def _manifest() -> list[dict[str, str]]:
    path = corpus_dir("agency") / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_every_agency_delivery_variant_yields_the_caption() -> None:
    """IPTC UTF-8, IPTC Latin-1, XMP only, EXIF only, PNG, WebP and TIFF all give the caption."""
    agency = corpus_dir("agency")
    wrong = []
    for row in _manifest():
        meta = read_embedded((agency / "images" / row["file"]).read_bytes())
        if meta.caption != row["caption"].strip():
            wrong.append((row["file"], row["variant"], meta.caption))
    assert wrong == []


def test_latin1_iptc_without_charset_marker_is_decoded_with_a_warning() -> None:
    for row in _manifest():
        if row["variant"] != "iptc-latin1" or row["caption"].isascii():
            continue
        meta = read_embedded(corpus_file(row["file"], "agency"))
        assert meta.caption == row["caption"].strip()
        assert any("no character-set marker" in w for w in meta.warnings)
        return
    pytest.fail("corpus has no non-ASCII Latin-1 caption")


def test_utf8_iptc_is_read_by_its_1_90_marker() -> None:
    caption = "Zürich, Ærøskøbing and 東京 — «quotes»"
    data = with_segments(
        tiny_jpeg(), app13(iim((1, 90, b"\x1b%G"), (2, 120, caption.encode("utf-8"))))
    )
    meta = read_embedded(data)
    assert meta.caption == caption
    assert meta.warnings == []
    assert meta.raw["iptc"]["CodedCharacterSet"] == "\x1b%G"


def test_unmarked_utf8_iptc_is_read_as_utf8_without_warning() -> None:
    data = with_segments(tiny_jpeg(), app13(iim((2, 110, "Agência Brasil".encode()))))
    meta = read_embedded(data)
    assert meta.credit == "Agência Brasil"
    assert meta.warnings == []


def test_cp1252_punctuation_is_decoded_from_unmarked_iptc() -> None:
    data = with_segments(tiny_jpeg(), app13(iim((2, 40, "“NO SALES” – café".encode("cp1252")))))
    assert read_embedded(data).special_instructions == "“NO SALES” – café"


def test_fotostation_trailer_iptc_is_read() -> None:
    meta = read_embedded(corpus_file("exiftool__FotoStation.jpg"))
    assert meta.caption == "Caption *** Local Caption *** Local Caption"
    assert meta.special_instructions == "Special Instructions"
    assert meta.job_id == "OTR"


def test_afcp_trailer_iptc_is_read() -> None:
    meta = read_embedded(corpus_file("exiftool__AFCP.jpg"))
    assert (meta.caption, meta.credit, meta.source) == ("ExifTool AFCP test", "credit", "source")
    assert meta.keywords == ["keyword"]
    assert meta.date_created == "2005-12-23"


def test_extended_xmp_is_reassembled_and_merged() -> None:
    meta = read_embedded(corpus_file("exiftool__ExtendedXMP.jpg"))
    assert meta.raw["xmp"]["pdf:Author"] == "PhilToo"
    assert meta.raw["xmp"]["pdf:Producer"] == "Just ExifTool again"


def test_iptc_wins_over_xmp_and_exif_for_the_caption() -> None:
    """The issue's precedence: IPTC 2:120 > XMP dc:description > EXIF ImageDescription."""
    meta = read_embedded(corpus_file("exiftool__MWG.jpg"))
    assert meta.caption == "WRONG-IPTC-Description"
    assert meta.raw["xmp"]["dc:description"] == {"x-default": "WRONG-XMP-Description"}
    assert meta.raw["exif"]["Image ImageDescription"] == "RIGHT-EXIF-Description"
    assert meta.copyright == "WRONG-IPTC-Copyright"
    assert meta.date_created == "1992-01-01T02:11:11+01:00"


def test_xmp_fills_fields_iptc_lacks() -> None:
    packet = xmp_packet(
        "<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang='x-default'>EDITORIAL USE ONLY"
        "</rdf:li></rdf:Alt></xmpRights:UsageTerms>"
        "<photoshop:Instructions>NO SALES</photoshop:Instructions>"
        "<dc:subject><rdf:Bag><rdf:li>war</rdf:li><rdf:li>Ukraine</rdf:li></rdf:Bag></dc:subject>"
    )
    data = with_segments(tiny_jpeg(), app1_xmp(packet.encode()), app13(iim((2, 110, b"REUTERS"))))
    meta = read_embedded(data)
    assert meta.credit == "REUTERS"
    assert meta.usage_terms == "EDITORIAL USE ONLY"
    assert meta.special_instructions == "NO SALES"
    assert meta.keywords == ["war", "Ukraine"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"])
def test_xmp_in_utf16_is_read(codec: str) -> None:
    packet = xmp_packet("<photoshop:Credit>Agence France‑Presse</photoshop:Credit>")
    data = with_segments(tiny_jpeg(), app1_xmp(packet.encode(codec)))
    assert read_embedded(data).credit == "Agence France‑Presse"


def test_xmp_properties_written_as_attributes_are_read() -> None:
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Source="AP" '
        'photoshop:City="Kyiv"/></rdf:RDF></x:xmpmeta>'
    )
    meta = read_embedded(with_segments(tiny_jpeg(), app1_xmp(packet.encode())))
    assert (meta.source, meta.city) == ("AP", "Kyiv")


def test_size_and_type_come_from_the_header() -> None:
    meta = read_embedded(tiny_jpeg((33, 21)))
    assert (meta.media_type, meta.width, meta.height) == ("image/jpeg", 33, 21)


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("exif-samples__IMG_5195.HEIC", "image/heic"),
        ("exiftool__QuickTime.heic", "image/heif"),
        ("exiftool__PNG.png", "image/png"),
        ("exiftool__RIFF.webp", "image/webp"),
        ("exiftool__BigTIFF.btf", "image/tiff"),
    ],
)
def test_other_containers_are_read(name: str, media_type: str) -> None:
    meta = read_embedded(corpus_file(name))
    assert meta.media_type == media_type
    assert meta.width and meta.height


def test_heic_exif_is_read() -> None:
    meta = read_embedded(corpus_file("exif-samples__IMG_5195.HEIC"))
    assert meta.raw["exif"]["Image Make"] == "Apple"
    assert meta.date_created is not None


def test_tiff_iptc_and_xmp_are_read() -> None:
    meta = read_embedded(corpus_file("agency003-tiff.tif", "agency"))
    assert meta.credit == "REUTERS/Gleb Garanich"
    assert meta.byline == "Gleb Garanich"
    assert "iptc" in meta.raw and "xmp" in meta.raw


def test_whole_corpus_reads_without_errors() -> None:
    for sub in ("", "agency"):
        for image in sorted((corpus_dir(sub) / "images").iterdir()):
            meta = read_embedded(image.read_bytes())
            assert meta.media_type is not None and meta.media_type.startswith("image/"), image.name
            assert (meta.width or 0) > 0 and (meta.height or 0) > 0, image.name
            json.dumps(meta.raw)  # raw blocks are JSON-ready for the API


def _exif_app1(*ascii_tags: tuple[int, bytes]) -> bytes:
    """APP1 EXIF with an IFD0 of ASCII entries (values stored after the directory)."""
    count = len(ascii_tags)
    data_at = 8 + 2 + 12 * count + 4
    ifd, values = struct.pack(">H", count), b""
    for tag, value in ascii_tags:
        value += b"\x00"
        if len(value) <= 4:
            ifd += struct.pack(">HHI", tag, 2, len(value)) + value.ljust(4, b"\x00")
        else:
            ifd += struct.pack(">HHII", tag, 2, len(value), data_at + len(values))
            values += value
    tiff = b"MM\x00*" + struct.pack(">I", 8) + ifd + b"\x00\x00\x00\x00" + values
    return segment(0xE1, b"Exif\x00\x00" + tiff)


def test_exif_only_file_gives_caption_artist_and_copyright() -> None:
    data = with_segments(
        tiny_jpeg(),
        _exif_app1(
            (0x010E, b"Protesters in Tbilisi. REUTERS/Irakli Gedenidze"),
            (0x013B, b"Irakli Gedenidze"),
            (0x8298, b"Reuters\x00Picture desk"),
        ),
    )
    meta = read_embedded(data)
    assert meta.caption == "Protesters in Tbilisi. REUTERS/Irakli Gedenidze"
    assert meta.byline == "Irakli Gedenidze"
    assert meta.copyright == "Reuters\nPicture desk"  # photographer, then editor


def test_latin1_exif_description_is_decoded_with_a_warning() -> None:
    data = with_segments(tiny_jpeg(), _exif_app1((0x010E, "Défilé à Paris".encode("latin-1"))))
    meta = read_embedded(data)
    assert meta.caption == "Défilé à Paris"
    assert any("EXIF text is not UTF-8" in w for w in meta.warnings)


def test_large_tiff_keeps_its_exif() -> None:
    """A press TIFF is often tens of megabytes; its EXIF must not fall to a size limit."""
    exif = Image.Exif()
    exif[0x013B] = "Gleb Garanich"
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000)).save(out, "TIFF", exif=exif)
    assert out.tell() > 16 * 1024 * 1024
    meta = read_embedded(out.getvalue())
    assert (meta.byline, meta.width, meta.height) == ("Gleb Garanich", 3000, 2000)


def test_heic_size_is_the_stored_size_as_for_jpeg() -> None:
    """The iPhone file is stored 4032x3024 and rotated on display, like an EXIF-rotated JPEG."""
    meta = read_embedded(corpus_file("exif-samples__iphone_13_pro_max.HEIC"))
    assert (meta.width, meta.height) == (4032, 3024)


def test_every_block_keeps_its_value_and_origin_for_the_rights_merge() -> None:
    """IPTC wins the field, but XMP's differing instruction is kept with its origin."""
    packet = xmp_packet("<photoshop:Instructions>EDITORIAL USE ONLY</photoshop:Instructions>")
    data = with_segments(tiny_jpeg(), app1_xmp(packet.encode()), app13(iim((2, 40, b"NO SALES"))))
    meta = read_embedded(data)
    assert meta.special_instructions == "NO SALES"
    assert meta.by_origin["special_instructions"] == {
        "iptc": "NO SALES",
        "xmp": "EDITORIAL USE ONLY",
    }
    assert "caption" not in meta.by_origin


def test_latin1_text_under_a_utf8_marker_is_kept_with_a_warning() -> None:
    block = iim((1, 90, b"\x1b%G"), (2, 110, "Agência Lusa".encode("latin-1")))
    meta = read_embedded(with_segments(tiny_jpeg(), app13(block)))
    assert meta.credit == "Agência Lusa"
    assert any("not valid utf-8" in w for w in meta.warnings)
