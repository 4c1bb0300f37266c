"""A block that may state rights and cannot be read is a typed outcome, and checks review.

Reading: every way a rights-bearing block can be lost (XMP refused or damaged, IPTC damaged or
in an unknown character set, EXIF IFD0 lost, the file's structure broken before its blocks)
lands in `EmbeddedMetadata.unreadable` with the block's kind. Policy: such a record reviews
every use but editorial (UNREADABLE_METADATA, the warning as evidence), and only a rights
manager's allow lease lifts it.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assets.metadata import read_embedded
from assets.rights_reading import read_rights
from rights import (
    Origin,
    Outcome,
    Purpose,
    ReasonCode,
    RightsRecord,
    UnreadableBlock,
    Use,
    evaluate,
    record_from_dict,
    record_to_dict,
)
from tests.metadata_corpus import (
    app1_xmp,
    app13,
    corpus_dir,
    iim,
    segment,
    tiny_jpeg,
    with_segments,
    xmp_packet,
)
from tests.rights_builders import T0, records, uses
from tests.rights_files import FileSpec, build

USAGE = (
    '<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">none</rdf:li></rdf:Alt>'
    "</xmpRights:UsageTerms>"
)
DAMAGED_FILES = {
    "xmp declares a DTD": (
        with_segments(tiny_jpeg(), app1_xmp(b'<!DOCTYPE x [<!ENTITY e "a">]><x>&e;</x>')),
        "xmp",
    ),
    "xmp not well-formed": (
        with_segments(tiny_jpeg(), app1_xmp(xmp_packet(USAGE).encode()[:-30])),
        "xmp",
    ),
    "xmp holds no XML": (with_segments(tiny_jpeg(), app1_xmp(b"EDITORIAL USE ONLY")), "xmp"),
    "extended xmp missing": (
        with_segments(
            tiny_jpeg(),
            app1_xmp(
                xmp_packet(
                    '<xmpNote:HasExtendedXMP xmlns:xmpNote="http://ns.adobe.com/xmp/note/">'
                    "0123456789ABCDEF0123456789ABCDEF</xmpNote:HasExtendedXMP>"
                ).encode()
            ),
        ),
        "xmp",
    ),
    "iptc runs past its end": (
        with_segments(tiny_jpeg(), app13(iim((2, 40, b"NO SALES")) + b"\x1c\x02\x28\x40\x00ED")),
        "iptc",
    ),
    "iptc damaged in the middle": (
        with_segments(tiny_jpeg(), app13(b"\x1c\x02\x05\x00\x02ab\xff\xff" + iim((2, 40, b"x")))),
        "iptc",
    ),
    "iptc in an unknown character set": (
        with_segments(tiny_jpeg(), app13(iim((1, 90, b"\x1b$B"), (2, 40, b"\x1b$B0lHL")))),
        "iptc",
    ),
    "exif IFD0 lost": (
        with_segments(tiny_jpeg(), segment(0xE1, b"Exif\x00\x00II*\x00\xff\xff\x00\x00")),
        "exif",
    ),
    "exif caption outside the block": (
        with_segments(
            tiny_jpeg(),
            segment(
                0xE1,
                b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x0e\x01\x02\x00"
                b"\x40\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00",
            ),
        ),
        "exif",
    ),
}


@pytest.mark.parametrize("name", sorted(DAMAGED_FILES))
def test_every_lost_rights_block_is_a_typed_outcome(name):
    data, block = DAMAGED_FILES[name]
    meta = read_embedded(data)
    assert [u.block for u in meta.unreadable] == [block], meta.warnings
    assert meta.unreadable[0].warning in meta.warnings


def test_a_png_cut_short_may_have_lost_the_blocks_after_the_cut():
    from tests.images import png_bytes

    data = png_bytes(2)
    cut = data[: data.index(b"IDAT") + 6]  # inside the image data: what followed is gone
    assert "file" in {u.block for u in read_embedded(cut).unreadable}


def test_a_damaged_compressed_xmp_chunk_in_a_png_is_unreadable_xmp():
    import struct
    import zlib

    from tests.images import png_bytes

    body = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + b"\x78\x9c not zlib at all"
    chunk = (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )
    png = png_bytes(1)
    data = png[:33] + chunk + png[33:]
    assert [u.block for u in read_embedded(data).unreadable] == ["xmp"]


def test_a_readable_charset_warning_is_not_an_unreadable_block():
    data = with_segments(tiny_jpeg(), app13(iim((2, 40, "NO SALES é".encode("cp1252")))))
    meta = read_embedded(data)
    assert meta.warnings and meta.unreadable == []


def test_no_file_of_the_corpus_has_an_unreadable_block():
    """Real agency and camera files give no false reviews."""
    for sub in ("", "agency"):
        folder = corpus_dir(sub) / "images"
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in {".heic", ".heif"}:
                continue
            try:
                meta = read_embedded(path.read_bytes())
            except Exception:  # refused files are covered by the reader's own tests
                continue
            assert meta.unreadable == [], (path.name, meta.unreadable)


def test_repeated_blocks_are_each_read_for_rights():
    clean = app1_xmp(xmp_packet("<photoshop:Instructions>none</photoshop:Instructions>").encode())
    stated = app1_xmp(xmp_packet(USAGE.replace(">none<", ">NO SALES<")).encode())
    data = with_segments(
        tiny_jpeg(),
        clean,
        stated,
        app13(iim((2, 40, b"none"))),
        app13(iim((2, 40, b"NO ARCHIVES"))),
    )
    meta = read_embedded(data)
    assert meta.special_instructions == "none"
    assert meta.usage_terms is None
    record = read_rights("Crowds. REUTERS/Jane Doe", meta)
    assert {(str(r.code), str(r.origin)) for r in record.restrictions} >= {
        ("NO_SALES", "xmp"),
        ("NO_ARCHIVES", "iptc"),
    }


# --- policy ----------------------------------------------------------------------------------

LOST = UnreadableBlock(Origin.XMP, "XMP declares a DTD; XMP ignored")


def agency_record(**fields: object) -> RightsRecord:
    return RightsRecord(agency="Reuters", credit_line="REUTERS/Jane Doe", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("purpose", list(Purpose))
def test_an_unreadable_block_reviews_every_use_but_editorial(purpose):
    decision = evaluate(agency_record(unreadable_blocks=(LOST,)), Use(purpose), now=T0)
    if purpose is Purpose.EDITORIAL:
        assert decision.decision is Outcome.ALLOW
    else:
        assert decision.decision is Outcome.REVIEW
        reason = next(r for r in decision.reasons if r.code == ReasonCode.UNREADABLE_METADATA)
        assert reason.outcome is Outcome.REVIEW
        assert [(e.text, e.origin) for e in reason.evidence] == [(LOST.warning, Origin.XMP)]


@given(records(), uses())
def test_no_unreadable_record_is_allowed_beyond_editorial_without_a_lease(record, use):
    record = dataclasses.replace(record, unreadable_blocks=(LOST,))
    decision = evaluate(record, use, now=T0)
    if use.purpose is not Purpose.EDITORIAL:
        assert decision.decision is not Outcome.ALLOW


@given(records())
def test_unreadable_blocks_round_trip_through_the_wire(record):
    record = dataclasses.replace(record, unreadable_blocks=(LOST, *record.unreadable_blocks))
    again = record_from_dict(json.loads(json.dumps(record_to_dict(record))))
    assert again.unreadable_blocks == record.unreadable_blocks


@given(st.sampled_from(list(Purpose)))
def test_the_cache_of_prepared_records_tells_unreadable_records_apart(purpose):
    plain = evaluate(agency_record(), Use(purpose), now=T0)
    lost = evaluate(agency_record(unreadable_blocks=(LOST,)), Use(purpose), now=T0)
    assert ReasonCode.UNREADABLE_METADATA not in {r.code for r in plain.reasons}
    assert ReasonCode.UNREADABLE_METADATA in {r.code for r in lost.reasons}


# --- through the API -------------------------------------------------------------------------


def upload(client, data: bytes, caption: str | None = None) -> dict:
    form = {"caption": caption} if caption else {}
    response = client.post("/v1/assets", files={"file": ("x.jpg", data, "image/jpeg")}, data=form)
    assert response.status_code == 201, response.text
    return response.json()


def check(client, asset_id: str, purpose: str) -> dict:
    body = {"assets": [asset_id], "use": {"purpose": purpose}}
    return client.post("/v1/rights/check", json=body).json()["results"][0]


def test_an_upload_with_a_refused_xmp_packet_is_reviewed_with_the_warning(client):
    data = build(FileSpec("jpeg", "iptc:special_instructions", "none", "xmp_with_dtd", seed=3))
    asset = upload(client, data, caption="Crowds gather. REUTERS/Jane Doe")
    assert [b["block"] for b in asset["rights"]["unreadable_blocks"]] == ["xmp"]
    result = check(client, asset["id"], "sale")
    assert result["decision"] == "review"
    reason = next(r for r in result["reasons"] if r["code"] == "UNREADABLE_METADATA")
    assert reason["evidence"][0]["origin"] == "xmp"
    assert "DTD" in reason["evidence"][0]["text"]
    assert check(client, asset["id"], "editorial")["decision"] == "allow"

    # the caption edited, the file is still what it was
    client.put(f"/v1/assets/{asset['id']}/caption", json={"caption": "Crowds. REUTERS/Jane Doe"})
    assert check(client, asset["id"], "sale")["decision"] == "review"

    # a rights manager who has looked at the file lifts it explicitly
    lease = {"effect": "allow", "purposes": ["sale"], "reason": "checked the file by hand"}
    assert client.post(f"/v1/assets/{asset['id']}/overrides", json=lease).status_code == 201
    assert check(client, asset["id"], "sale")["decision"] == "allow"


def test_a_file_with_thousands_of_rights_blocks_is_read_in_bounds_and_says_so():
    import time

    streams = b"".join(
        app13(iim((2, 40, f"instruction {n} ".encode() * 50)))[4 + 14 :]  # resources only
        for n in range(2000)
    )
    data = with_segments(tiny_jpeg(), segment(0xED, b"Photoshop 3.0\x00" + streams[:60_000]))
    description = "".join(
        f'<rdf:Description rdf:about=""><photoshop:Instructions>x{n}</photoshop:Instructions>'
        "</rdf:Description>"
        for n in range(500)
    )
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
        '"http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"{description}</rdf:RDF></x:xmpmeta>"
    ).encode()
    data = with_segments(data, app1_xmp(packet))
    started = time.perf_counter()
    meta = read_embedded(data)
    read_rights(CLEAN, meta)
    assert time.perf_counter() - started < 2.0
    assert {u.block for u in meta.unreadable} >= {"iptc", "xmp"}
    assert len(meta.blocks) <= 32


CLEAN = "Crowds gather. REUTERS/Jane Doe"
