"""Licensing and provenance fields are read as ExifTool reads them, and enforced fail-closed.

Files are made on the spot with ExifTool (every PLUS, xmpRights, IIM date and DigitalSourceType
field, in JPEG, TIFF, PNG and WebP, with non-Latin names, lists, dates with and without time
and zone), plus one real C2PA file (tests/data/c2pa/SOURCE.md) and that file's manifest moved
into PNG and WebP containers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.metadata import read_embedded
from assets.metadata.compare_licensing import compare_files
from assets.metadata.plus import release_status
from assets.rights_reading import read_rights
from rights import Code, Outcome, PolicyOptions, Purpose, Use, evaluate
from tests.licensing_files import (
    C2PA_SAMPLE,
    heif_with_store,
    make_files,
    png_with_store,
    sample_store,
    webp_with_store,
)
from tests.metadata_corpus import exiftool, segment, tiny_jpeg, with_segments


@pytest.fixture(scope="module")
def made_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty files written by ExifTool, every licensing field in every supported container."""
    return make_files(tmp_path_factory.mktemp("licensing"), 60, exiftool())


def test_licensing_and_provenance_agree_with_exiftool_on_99_percent(made_files: Path) -> None:
    report = compare_files(made_files.iterdir())
    shown = "\n".join(
        f"{f} {n}: exiftool={sorted(e)} ours={sorted(a)}" for f, n, e, a in report.mismatches
    )
    assert report.files == 62
    assert sum(report.present.values()) > 500
    assert all(report.present[name] > 0 for name in report.present), report.present
    assert report.agreement >= 0.99, shown


def test_the_real_c2pa_manifest_is_found_with_its_generator_and_source_type() -> None:
    meta = read_embedded(C2PA_SAMPLE.read_bytes())
    manifest = meta.provenance["c2pa"]
    assert manifest["where"] == "JPEG APP11 JUMBF"
    assert manifest["claim_generator"] == "make_test_images/0.33.1 c2pa-rs/0.33.1"
    assert manifest["verified"] is False
    assert [e["value"].rsplit("/", 1)[1] for e in meta.provenance["digital_source_type"]] == [
        "algorithmicMedia"
    ]


@pytest.mark.parametrize(
    "wrap", [png_with_store, webp_with_store, heif_with_store], ids=["png", "webp", "heif"]
)
def test_a_manifest_in_png_and_webp_containers_is_found(wrap) -> None:  # type: ignore[no-untyped-def]
    meta = read_embedded(wrap(sample_store()))
    assert meta.provenance["c2pa"]["claim_generator"].startswith("make_test_images")


def test_a_file_without_manifest_says_so() -> None:
    assert read_embedded(tiny_jpeg()).provenance == {"c2pa": None}


def test_a_c2pa_declared_ai_image_is_reviewed_for_editorial_use_with_the_manifest_as_evidence() -> (
    None
):
    record = read_rights(None, read_embedded(C2PA_SAMPLE.read_bytes()))
    decision = evaluate(record, Use(Purpose.EDITORIAL, at=datetime(2026, 12, 7, tzinfo=UTC)))
    assert decision.decision == Outcome.REVIEW
    reason = next(r for r in decision.reasons if r.code == Code.SYNTHETIC_MEDIA)
    assert "C2PA manifest" in reason.evidence[0].text


def _xmp_jpeg(body: str) -> bytes:
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    return with_segments(tiny_jpeg(), segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet))


def _decision(data: bytes, purpose: Purpose, **kw: object) -> Outcome:
    record = read_rights("EPA/JOHN DOE", read_embedded(data))
    return evaluate(record, Use(purpose, at=datetime(2026, 12, 7, tzinfo=UTC)), **kw).decision  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("http://ns.useplus.org/ldf/vocab/MR-NON", Outcome.REVIEW),
        ("http://ns.useplus.org/ldf/vocab/MR-LMR", Outcome.REVIEW),
        ("http://ns.useplus.org/ldf/vocab/MR-UMR", Outcome.ALLOW),
        ("http://ns.useplus.org/ldf/vocab/MR-NAP", Outcome.ALLOW),
        ("MR-UMR", Outcome.ALLOW),
        ("yes, all signed", Outcome.REVIEW),
        ("http://ns.useplus.org/ldf/vocab/MR-UMR\u200b", Outcome.REVIEW),
        ("", Outcome.ALLOW),
    ],
)
def test_commercial_use_follows_the_model_release_status_and_a_garbled_one_reviews(
    status: str, expected: Outcome
) -> None:
    data = _xmp_jpeg(f"<plus:ModelReleaseStatus>{status}</plus:ModelReleaseStatus>")
    assert _decision(data, Purpose.COMMERCIAL) == expected
    assert _decision(data, Purpose.EDITORIAL) == Outcome.ALLOW


def test_people_named_without_any_release_status_review_advertising() -> None:
    data = _xmp_jpeg(
        "<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>John Smith</rdf:li></rdf:Bag>"
        "</Iptc4xmpExt:PersonInImage>"
    )
    assert _decision(data, Purpose.ADVERTISING) == Outcome.REVIEW


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", Outcome.ALLOW),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicallyEnhanced", Outcome.ALLOW),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", Outcome.REVIEW),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", Outcome.REVIEW),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/somethingNew", Outcome.REVIEW),
        ("https://example.com/camera", Outcome.REVIEW),
        ("digitalCapture", Outcome.ALLOW),
    ],
)
def test_editorial_use_follows_the_digital_source_type_and_an_unknown_one_reviews(
    value: str, expected: Outcome
) -> None:
    data = _xmp_jpeg(f"<Iptc4xmpExt:DigitalSourceType>{value}</Iptc4xmpExt:DigitalSourceType>")
    assert _decision(data, Purpose.EDITORIAL) == expected


def test_the_synthetic_review_is_lifted_only_by_the_agreement_switch() -> None:
    data = _xmp_jpeg(
        "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/"
        "trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>"
    )
    relaxed = PolicyOptions(review_synthetic_media=False)
    assert _decision(data, Purpose.EDITORIAL, options=relaxed) == Outcome.ALLOW


def _iim_jpeg(*datasets: tuple[int, bytes]) -> bytes:
    from assets.metadata.iptc import encode_datasets
    from assets.metadata.irb import IPTC_RESOURCE, PHOTOSHOP_HEADER

    stream = encode_datasets([(2, number, value) for number, value in datasets])
    resource = b"8BIM" + IPTC_RESOURCE.to_bytes(2, "big") + b"\x00\x00"
    resource += len(stream).to_bytes(4, "big") + stream + b"\x00" * (len(stream) % 2)
    return with_segments(tiny_jpeg(), segment(0xED, PHOTOSHOP_HEADER + resource))


def test_an_iim_release_date_in_the_future_is_an_embargo_citing_the_field() -> None:
    data = _iim_jpeg((30, b"20261208"), (35, b"120000+0100"))
    record = read_rights("EPA/JOHN DOE", read_embedded(data))
    before = evaluate(record, Use(Purpose.EDITORIAL, at=datetime(2026, 12, 8, 10, 59, tzinfo=UTC)))
    after = evaluate(record, Use(Purpose.EDITORIAL, at=datetime(2026, 12, 8, 11, 0, tzinfo=UTC)))
    assert before.decision == Outcome.DENY
    assert "2:30 ReleaseDate" in before.reasons[0].evidence[0].text
    assert after.decision == Outcome.ALLOW


def test_an_iim_expiration_date_ends_every_use() -> None:
    data = _iim_jpeg((37, b"20261206"))
    assert _decision(data, Purpose.EDITORIAL) == Outcome.DENY


@pytest.mark.parametrize("value", [b"20261399", b"tomorrow", b"2026120"])
def test_an_unreadable_iim_date_reviews(value: bytes) -> None:
    assert _decision(_iim_jpeg((30, value)), Purpose.EDITORIAL) == Outcome.REVIEW


def test_a_date_without_time_restricts_the_way_that_holds_in_every_time_zone() -> None:
    data = _iim_jpeg((30, b"20261208"), (37, b"20261210"))
    record = read_rights("EPA/JOHN DOE", read_embedded(data))
    embargo = next(r for r in record.restrictions if r.code == Code.EMBARGO)
    expiry = next(r for r in record.restrictions if r.code == Code.EXPIRY)
    assert embargo.embargo_until == datetime(2026, 12, 8, 12, tzinfo=UTC)  # midnight at UTC-12
    assert expiry.expires_at == datetime(2026, 12, 10, 10, tzinfo=UTC)  # midnight at UTC+14


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_release_status_text_is_a_plus_value_or_unknown(text: str) -> None:
    assert release_status(text, {"MR-UMR": "unlimited"}) in {
        "unlimited",
        "none",
        "not_applicable",
        "limited",
        "unknown",
    }


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=3))
def test_damaged_jumbf_segments_never_break_the_reading(payload: bytes, parts: int) -> None:
    segments = [segment(0xEB, b"JP\x00\x01" + n.to_bytes(4, "big") + payload) for n in range(parts)]
    meta = read_embedded(with_segments(tiny_jpeg(), *segments))
    assert meta.provenance.get("c2pa") is None or isinstance(meta.provenance["c2pa"], dict)


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[" * 30_000,
        '{"permission": []}',
        '{"prohibition": [{"action": "sell", "dct:description": "NO SALES"}]}',
    ],
    ids=["garbled", "deeply-nested", "no-rule", "a-policy"],
)
def test_a_policy_in_xmp_adds_restrictions_and_one_that_cannot_be_read_reviews(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    data = _xmp_jpeg(
        f'<rightsdesk:OdrlPolicy xmlns:rightsdesk="https://rightsdesk.org/ns/xmp/1.0/">'
        f"{escaped}</rightsdesk:OdrlPolicy>"
    )
    record = read_rights("EPA/JOHN DOE", read_embedded(data))
    policy = [r for r in record.restrictions if r.origin == "policy"]
    if text.startswith('{"prohibition"'):
        assert [r.code for r in policy] == [Code.NO_SALES]
        assert _decision(data, Purpose.SALE) == Outcome.DENY
    else:
        assert [r.code for r in policy] == [Code.OTHER]
        assert _decision(data, Purpose.EDITORIAL) == Outcome.REVIEW


def test_a_repeated_iim_release_date_embargoes_until_the_latest() -> None:
    data = _iim_jpeg((30, b"20261201"), (30, b"20261231"))
    record = read_rights("EPA/JOHN DOE", read_embedded(data))
    ends = sorted(r.embargo_until for r in record.restrictions if r.code == Code.EMBARGO)
    assert [e.day for e in ends if e] == [1, 31]
    assert _decision(data, Purpose.EDITORIAL) == Outcome.DENY  # 7 December: inside the later one


@pytest.mark.parametrize(
    "datasets",
    [
        [(37, b"99991231")],
        [(37, b"99991231"), (38, b"235959-1200")],
        [(30, b"00010101"), (35, b"000000+1400")],
    ],
)
def test_dates_at_the_edge_of_the_calendar_review_rather_than_fail_the_upload(
    datasets: list[tuple[int, bytes]],
) -> None:
    assert _decision(_iim_jpeg(*datasets), Purpose.EDITORIAL) in (Outcome.REVIEW, Outcome.ALLOW)
    record = read_rights("EPA/JOHN DOE", read_embedded(_iim_jpeg(*datasets)))
    assert any(r.code in (Code.EMBARGO, Code.EXPIRY) for r in record.restrictions)


def test_a_flood_of_values_is_read_in_bounded_time_and_what_was_not_read_restricts() -> None:
    import time

    many = "".join(f"<rdf:li>http://example.com/t{n}</rdf:li>" for n in range(60_000))
    people = "".join(f"<rdf:li>Person {n}</rdf:li>" for n in range(60_000))
    statuses = "".join(f"<rdf:li>MR-UMR {n}</rdf:li>" for n in range(200))
    packet = (
        f"<Iptc4xmpExt:DigitalSourceType><rdf:Bag>{many}</rdf:Bag></Iptc4xmpExt:DigitalSourceType>"
        f"<Iptc4xmpExt:PersonInImage><rdf:Bag>{people}</rdf:Bag></Iptc4xmpExt:PersonInImage>"
        f"<plus:ModelReleaseStatus><rdf:Bag>{statuses}</rdf:Bag></plus:ModelReleaseStatus>"
    ).encode()
    from assets.metadata.plus import read_licensing
    from assets.metadata.provenance import read_provenance
    from assets.metadata.xmp import parse_xmp

    xmp = parse_xmp(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" '
        b'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        + packet
        + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    started = time.perf_counter()
    licensing = read_licensing([], [xmp])
    provenance = read_provenance([xmp], None)
    assert time.perf_counter() - started < 1.0
    assert len(licensing["people"]) == 65 and len(provenance["digital_source_type"]) == 65
    assert provenance["digital_source_type"][-1]["kind"] == "unknown"
    assert licensing["model_release_status"][-1]["status"] == "unknown"


_SAMPLE_TYPE = b"http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
_CAPTURE = b"http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"


@pytest.mark.parametrize(
    ("value", "extra", "expected"),
    [
        (_CAPTURE, b"", Outcome.ALLOW),
        (_CAPTURE + b"/", b"", Outcome.ALLOW),
        (_CAPTURE + b"//", b"", None),
        (b"https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", b"", Outcome.ALLOW),
        (b"https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", b"", None),
        (
            b"http:\\/\\/cv.iptc.org\\/newscodes\\/digitalsourcetype\\/trainedAlgorithmicMedia",
            b"",
            None,
        ),
        (b"HTTP://CV.IPTC.ORG/NEWSCODES/DIGITALSOURCETYPE/TRAINEDALGORITHMICMEDIA", b"", None),
        (_CAPTURE + b"/../trainedAlgorithmicMedia", b"", None),
        (_CAPTURE + b"?trainedAlgorithmicMedia", b"", None),
        (b"urn:iptc:trainedAlgorithmicMedia", b"", None),
        (_CAPTURE, b"\x00\x00\x00\x20brob" + b"\x1b" * 24, None),
    ],
    ids=[
        "capture",
        "capture-slash",
        "capture-slashes",
        "https-capture",
        "https-ai",
        "json-escaped",
        "upper-case",
        "capture-then-more",
        "capture-query",
        "urn",
        "compressed-box",
    ],
)
def test_a_manifest_declaration_not_read_as_a_capture_reviews_editorial_use(
    value: bytes, extra: bytes, expected: Outcome | None
) -> None:
    """Only a C2PA value read whole as a capture code lets news run; any other spelling of
    the value, or a box that cannot be read, is not proof of a capture (review)."""
    store = sample_store().replace(_SAMPLE_TYPE, value) + extra
    store = len(store).to_bytes(4, "big") + store[4:]
    for data in (png_with_store(store), webp_with_store(store)):
        assert _decision(data, Purpose.EDITORIAL) == (expected or Outcome.REVIEW)
        assert _decision(data, Purpose.EDITORIAL, options=PolicyOptions(False)) == Outcome.ALLOW


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=8, max_value=45_000))
def test_a_truncated_manifest_is_no_proof_of_a_capture(cut: int) -> None:
    store = sample_store().replace(_SAMPLE_TYPE, _CAPTURE)
    assert _decision(png_with_store(store[:cut]), Purpose.EDITORIAL) == Outcome.REVIEW


def test_one_synthetic_value_among_capture_values_reviews() -> None:
    values = "".join(
        f"<rdf:li>http://cv.iptc.org/newscodes/digitalsourcetype/{code}</rdf:li>"
        for code in ("digitalCapture", "trainedAlgorithmicMedia", "minorHumanEdits")
    )
    data = _xmp_jpeg(
        f"<Iptc4xmpExt:DigitalSourceType><rdf:Bag>{values}</rdf:Bag>"
        "</Iptc4xmpExt:DigitalSourceType>"
    )
    assert _decision(data, Purpose.EDITORIAL) == Outcome.REVIEW


_FORMS = {
    "text": "<plus:{p}>{v}</plus:{p}>",
    "resource": '<plus:{p} rdf:resource="{v}"/>',
    "alt": '<plus:{p}><rdf:Alt><rdf:li xml:lang="x-default">{v}</rdf:li></rdf:Alt></plus:{p}>',
    "bag": "<plus:{p}><rdf:Bag><rdf:li>{v}</rdf:li></rdf:Bag></plus:{p}>",
    "qualified": '<plus:{p} rdf:parseType="Resource"><rdf:value>{v}</rdf:value></plus:{p}>',
    "description": (
        "<plus:{p}><rdf:Description><rdf:value>{v}</rdf:value></rdf:Description></plus:{p}>"
    ),
}


@pytest.mark.parametrize("form", list(_FORMS))
@pytest.mark.parametrize(
    ("prop", "status", "expected"),
    [
        ("ModelReleaseStatus", "http://ns.useplus.org/ldf/vocab/MR-NON", Outcome.REVIEW),
        ("ModelReleaseStatus", "MR-LMR", Outcome.REVIEW),
        ("ModelReleaseStatus", "mr-umr", Outcome.ALLOW),
        ("ModelReleaseStatus", "Unlimited Model Releases", Outcome.ALLOW),
        ("ModelReleaseStatus", "Unbegrenzte Model-Releases", Outcome.REVIEW),
        ("ModelReleaseStatus", "PR-UPR", Outcome.REVIEW),
        ("PropertyReleaseStatus", "http://ns.useplus.org/ldf/vocab/PR-NON", Outcome.REVIEW),
        ("PropertyReleaseStatus", "PR-UPR", Outcome.ALLOW),
    ],
)
def test_a_release_status_is_read_however_the_xmp_writes_it(
    form: str, prop: str, status: str, expected: Outcome
) -> None:
    data = _xmp_jpeg(_FORMS[form].format(p=prop, v=status))
    assert _decision(data, Purpose.COMMERCIAL) == expected


@pytest.mark.parametrize(
    "people",
    [
        "<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Jane Doe</rdf:li></rdf:Bag>"
        "</Iptc4xmpExt:PersonInImage>",
        '<Iptc4xmpExt:PersonInImage rdf:parseType="Resource"><rdf:value>Jane Doe</rdf:value>'
        "</Iptc4xmpExt:PersonInImage>",
        '<Iptc4xmpExt:PersonInImageWDetails><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<Iptc4xmpExt:PersonId>https://example.com/people/1</Iptc4xmpExt:PersonId>"
        "</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImageWDetails>",
        "<plus:ModelAge><rdf:Bag><rdf:li>25</rdf:li></rdf:Bag></plus:ModelAge>",
    ],
    ids=["names", "qualified-name", "person-without-name", "model-age"],
)
def test_people_pictured_without_a_status_review_commercial_use(people: str) -> None:
    assert _decision(_xmp_jpeg(people), Purpose.COMMERCIAL) == Outcome.REVIEW
    unlimited = "<plus:ModelReleaseStatus>MR-UMR</plus:ModelReleaseStatus>"
    assert _decision(_xmp_jpeg(people + unlimited), Purpose.COMMERCIAL) == Outcome.ALLOW


def test_a_file_of_many_policies_of_many_rules_is_read_in_bounded_time_and_reviews() -> None:
    """64 policies (the values kept per kind) of 300 distinct rules each: one policy's worth
    of restrictions is kept, the rest is one review, and the reading takes seconds at most."""
    import json
    import time

    from assets.metadata import EmbeddedMetadata
    from rights.odrl_import import MAX_RESTRICTIONS

    def policy(k: int) -> str:
        rules = [{"action": "modify", "dct:description": f"p{k} r{i}"} for i in range(300)]
        return json.dumps({"prohibition": rules})

    entries = [
        {"field": "rightsdesk:OdrlPolicy", "origin": "xmp", "value": policy(k)} for k in range(64)
    ]
    embedded = EmbeddedMetadata(licensing={"policy": entries})
    started = time.perf_counter()
    record = read_rights("EPA/JOHN DOE", embedded)
    again = read_rights("EPA/JOHN DOE. Edited", embedded, record)
    assert time.perf_counter() - started < 20
    assert len(again.restrictions) <= MAX_RESTRICTIONS + 2
    use = Use(Purpose.EDITORIAL, at=datetime(2026, 12, 7, tzinfo=UTC))
    assert evaluate(again, use).decision == Outcome.REVIEW


@pytest.mark.parametrize(
    "body",
    [
        "<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Jane Doe</rdf:li></rdf:Bag>"
        "</Iptc4xmpExt:PersonInImage>",
        "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/"
        "trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>",
    ],
    ids=["people", "synthetic"],
)
def test_a_fact_about_the_picture_is_no_statement_of_rights(body: str) -> None:
    """A file naming no supplier and stating no right is reviewed; a person pictured or a
    synthetic source type does not make it a picture whose rights are known, even with the
    agreement's synthetic switch off."""
    record = read_rights(None, read_embedded(_xmp_jpeg(body)))
    use = Use(Purpose.EDITORIAL, at=datetime(2026, 12, 7, tzinfo=UTC))
    for options in (PolicyOptions(), PolicyOptions(review_synthetic_media=False)):
        assert evaluate(record, use, options=options).decision == Outcome.REVIEW
