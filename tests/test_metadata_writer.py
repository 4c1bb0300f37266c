"""embed_rights writes the current rights into downloads without touching the pixels."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from assets.metadata import (
    CannotEmbed,
    MetadataError,
    RightsFields,
    embed_rights,
    read_embedded,
)
from assets.metadata.jpeg import APP1, APP13, SOS, XMP_SIGNATURE, segments
from tests.metadata_corpus import (
    app1_xmp,
    app13,
    corpus_dir,
    corpus_file,
    exiftool,
    iim,
    segment,
    tiny_jpeg,
    with_segments,
    xmp_packet,
)

RIGHTS = RightsFields(
    caption="Kyiv, Ukraine, 24 February 2026. EPA/RUSSIAN DEFENCE MINISTRY HANDOUT "
    "HANDOUT EDITORIAL USE ONLY/NO SALES",
    special_instructions="EDITORIAL USE ONLY/NO SALES",
    credit="EPA-EFE/Ministère de la Défense",
    source="EPA",
    copyright="© 2026 EPA-EFE",
    usage_terms="Editorial use only; no sales; mandatory credit",
)

SAMPLE_JPEGS = [
    "exiftool__ExifTool.jpg",
    "exiftool__XMP.jpg",
    "exiftool__PhotoMechanic.jpg",
    "exiftool__FotoStation.jpg",
    "exiftool__ExtendedXMP.jpg",
    "exif-samples__Canon_40D.jpg",
    "exif-samples__Nikon_D70.jpg",
    "exif-samples__long_description.jpg",
]


def scan_data(data: bytes) -> bytes:
    """From the first SOS marker to EOI (stuffing means 0xFFD9 appears only as EOI)."""
    last = list(segments(data))[-1]
    assert last.marker == SOS
    eoi = data.find(b"\xff\xd9", last.start)
    return data[last.start : eoi + 2 if eoi >= 0 else len(data)]


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.tobytes()


def assert_rights(data: bytes, rights: RightsFields) -> None:
    meta = read_embedded(data)
    for name in ("caption", "special_instructions", "credit", "source", "copyright"):
        assert getattr(meta, name) == getattr(rights, name), name
    assert meta.usage_terms == rights.usage_terms
    assert meta.raw["iptc"]["CodedCharacterSet"] == "\x1b%G"


@pytest.mark.parametrize("name", SAMPLE_JPEGS)
def test_jpeg_scan_data_and_pixels_are_untouched(name: str) -> None:
    original = corpus_file(name)
    written = embed_rights(original, RIGHTS)
    assert scan_data(written) == scan_data(original)
    assert pixels(written) == pixels(original)
    assert_rights(written, RIGHTS)


@pytest.mark.parametrize("name", SAMPLE_JPEGS)
def test_other_segments_are_kept_as_they_were(name: str) -> None:
    original = corpus_file(name)
    written = embed_rights(original, RIGHTS)

    def others(data: bytes) -> list[bytes]:
        return [
            data[s.start : s.end]
            for s in segments(data)
            if not (s.marker == APP13 and s.payload.startswith(b"Photoshop 3.0"))
            and not (s.marker == APP1 and s.payload.startswith(XMP_SIGNATURE))
        ]

    assert others(written) == others(original)


def test_writing_twice_replaces_instead_of_duplicating() -> None:
    once = embed_rights(corpus_file("exiftool__ExifTool.jpg"), RIGHTS)
    twice = embed_rights(once, RightsFields(credit="Reuters"))
    markers = [
        s.marker for s in segments(twice) if s.payload.startswith((XMP_SIGNATURE, b"Photoshop 3.0"))
    ]
    assert markers.count(APP1) == 1
    assert markers.count(APP13) == 1
    meta = read_embedded(twice)
    assert meta.credit == "Reuters"
    assert meta.caption == RIGHTS.caption  # None leaves the earlier value
    assert meta.raw["iptc"]["Credit"] == "Reuters"


def test_other_iptc_and_xmp_properties_survive() -> None:
    original = corpus_file("exiftool__ExifTool.jpg")
    before = read_embedded(original)
    after = read_embedded(embed_rights(original, RIGHTS))
    assert after.keywords == before.keywords
    assert after.byline == before.byline
    assert after.headline == before.headline
    written = {
        "dc:description",
        "dc:rights",
        "xmpRights:UsageTerms",
        "photoshop:Instructions",
        "photoshop:Credit",
        "photoshop:Source",
    }
    for key, value in before.raw["xmp"].items():
        if key not in written:
            assert after.raw["xmp"].get(key) == value, key


def test_latin1_iptc_is_reencoded_when_the_utf8_marker_is_added() -> None:
    caption = "Réunion à Genève, «NO SALES»"
    original = with_segments(tiny_jpeg(), app13(iim((2, 120, caption.encode("latin-1")))))
    written = embed_rights(original, RightsFields(credit="AFP"))
    meta = read_embedded(written)
    assert (meta.caption, meta.credit) == (caption, "AFP")
    assert not any("character-set marker" in w for w in meta.warnings)


def test_rights_go_into_a_jpeg_without_any_metadata() -> None:
    written = embed_rights(tiny_jpeg(), RIGHTS)
    assert_rights(written, RIGHTS)
    assert pixels(written) == pixels(tiny_jpeg())


def test_hostile_existing_xmp_is_replaced_not_copied() -> None:
    hostile = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + xmp_packet(
        "<photoshop:City>&e;</photoshop:City>"
    )
    written = embed_rights(with_segments(tiny_jpeg(), app1_xmp(hostile.encode())), RIGHTS)
    assert b"DOCTYPE" not in written
    assert_rights(written, RIGHTS)


def test_afcp_trailer_still_reads_after_the_header_grows() -> None:
    written = embed_rights(corpus_file("exiftool__AFCP.jpg"), RightsFields(caption="new"))
    meta = read_embedded(written)
    assert (meta.caption, meta.city) == ("new", "city")
    assert meta.warnings == []


def test_tiff_gets_rights_with_strips_untouched() -> None:
    original = corpus_file("agency003-tiff.tif", "agency")
    written = embed_rights(original, RIGHTS)
    assert written[8 : len(original)] == original[8:]
    assert pixels(written) == pixels(original)
    assert_rights(written, RIGHTS)
    assert read_embedded(written).byline == "Gleb Garanich"


@pytest.mark.parametrize("name", ["exiftool__PNG.png", "exiftool__RIFF.webp"])
def test_other_types_are_refused_with_advice(name: str) -> None:
    with pytest.raises(CannotEmbed, match="JPEG and TIFF only"):
        embed_rights(corpus_file(name), RIGHTS)


def test_damaged_jpeg_is_refused() -> None:
    with pytest.raises(CannotEmbed, match="damaged"):
        embed_rights(tiny_jpeg()[:40], RIGHTS)


def test_caption_too_long_for_one_xmp_segment_is_refused() -> None:
    with pytest.raises(CannotEmbed, match="shorten"):
        embed_rights(tiny_jpeg(), RightsFields(caption="x" * 70_000))


def test_exiftool_reads_the_written_rights(tmp_path: Path) -> None:
    tool = exiftool()
    names = [*SAMPLE_JPEGS, "exiftool__AFCP.jpg"]
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(embed_rights(corpus_file(name), RIGHTS))
        paths.append(path)
    tif = tmp_path / "agency.tif"
    tif.write_bytes(embed_rights(corpus_file("agency003-tiff.tif", "agency"), RIGHTS))
    paths.append(tif)
    out = subprocess.run(
        [tool, "-json", "-G1", "-a", "-n", "-charset", "iptc=utf8", *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expected = {
        "IPTC:Caption-Abstract": RIGHTS.caption,
        "IPTC:SpecialInstructions": RIGHTS.special_instructions,
        "IPTC:Credit": RIGHTS.credit,
        "IPTC:Source": RIGHTS.source,
        "IPTC:CopyrightNotice": RIGHTS.copyright,
        "IPTC:CodedCharacterSet": "\x1b%G",
        "XMP-dc:Description": RIGHTS.caption,
        "XMP-dc:Rights": RIGHTS.copyright,
        "XMP-xmpRights:UsageTerms": RIGHTS.usage_terms,
        "XMP-photoshop:Instructions": RIGHTS.special_instructions,
        "XMP-photoshop:Credit": RIGHTS.credit,
        "XMP-photoshop:Source": RIGHTS.source,
    }
    for record in json.loads(out):
        got = {key: record.get(key) for key in expected}
        assert got == expected, record["SourceFile"]
        assert "ExifTool:Error" not in record


def test_every_corpus_jpeg_and_tiff_takes_rights() -> None:
    for sub in ("", "agency"):
        for image in sorted((corpus_dir(sub) / "images").iterdir()):
            if image.suffix.lower() not in (".jpg", ".jpeg", ".tif", ".tiff"):
                continue
            original = image.read_bytes()
            written = embed_rights(original, RIGHTS)
            assert_rights(written, RIGHTS)
            if image.suffix.lower() in (".jpg", ".jpeg"):
                assert scan_data(written) == scan_data(original), image.name


# Control characters and U+FFFE/U+FFFF cannot be carried by XMP (see the test above);
# everything else must survive both IPTC and XMP.
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=300,
).filter(lambda s: s.strip() == s and s != "")


@settings(max_examples=60, deadline=None)
@given(caption=_TEXT, credit=_TEXT, terms=_TEXT)
def test_any_unicode_rights_round_trip(caption: str, credit: str, terms: str) -> None:
    rights = RightsFields(caption=caption, credit=credit, usage_terms=terms)
    meta = read_embedded(embed_rights(_BASE, rights))
    assert (meta.caption, meta.credit, meta.usage_terms) == (caption, credit, terms)
    assert meta.warnings == []


_BASE = with_segments(tiny_jpeg(), segment(0xE0 + 2, b"ICC_PROFILE\x00\x01\x01"))


def test_characters_xml_cannot_carry_are_dropped_from_xmp_only() -> None:
    rights = RightsFields(caption="NO SALES\x07\uffff", usage_terms="EDITORIAL\x0b USE")
    meta = read_embedded(embed_rights(tiny_jpeg(), rights))
    assert meta.caption == "NO SALES\x07\uffff"  # IPTC keeps every character
    assert meta.raw["xmp"]["dc:description"] == {"x-default": "NO SALES"}
    assert meta.usage_terms == "EDITORIAL USE"


def _tiff_seed() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (5, 4), (1, 2, 3)).save(out, "TIFF")
    return embed_rights(out.getvalue(), RIGHTS)


_SEEDS = [embed_rights(tiny_jpeg(), RIGHTS), _tiff_seed()]


@settings(max_examples=150, deadline=None)
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, 10**6),
)
def test_damaged_files_are_written_or_refused_never_crash(
    seed: bytes, edits: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(seed)
    for pos, value in edits:
        data[pos % len(data)] = value
    with contextlib.suppress(MetadataError):
        embed_rights(bytes(data[: max(cut % (len(data) + 1), 1)]), RIGHTS)


def test_photoshop_block_too_big_for_one_segment_is_split_and_kept(tmp_path: Path) -> None:
    """A large thumbnail resource plus the rights spill into a second APP13, as in Photoshop."""
    thumbnail = b"8BIM\x04\x0c\x00\x00" + (60_000).to_bytes(4, "big") + b"\xab" * 60_000
    original = with_segments(tiny_jpeg(), segment(0xED, b"Photoshop 3.0\x00" + thumbnail))
    rights = RightsFields(caption="A long caption. " * 400, credit="AP")
    written = embed_rights(original, rights)
    app13_count = sum(
        1 for s in segments(written) if s.marker == APP13 and s.payload.startswith(b"Photoshop")
    )
    assert app13_count == 2
    meta = read_embedded(written)
    assert (meta.caption, meta.credit) == (rights.caption.strip(), "AP")
    assert b"\xab" * 60_000 in written
    path = tmp_path / "split.jpg"
    path.write_bytes(written)
    out = subprocess.run(
        [exiftool(), "-json", "-IPTC:Credit", "-IPTC:Caption-Abstract", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    record = json.loads(out)[0]
    assert record["Credit"] == "AP"
    assert record["Caption-Abstract"] == rights.caption
