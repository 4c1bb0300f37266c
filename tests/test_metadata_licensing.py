"""Licensing and provenance fields are read as ExifTool reads them, and enforced fail-closed.

Files are made on the spot with ExifTool (every PLUS, xmpRights, IIM date and DigitalSourceType
field, in JPEG, TIFF, PNG and WebP, with non-Latin names, lists, dates with and without time
and zone), plus one real C2PA file (tests/data/c2pa/SOURCE.md) and that file's manifest moved
into PNG and WebP containers.
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from assets.metadata import read_embedded
from assets.metadata.c2pa import jpeg_store
from assets.metadata.compare_licensing import compare_files
from assets.metadata.jpeg import read_jpeg_blocks
from assets.metadata.plus import release_status
from assets.rights_reading import read_rights
from rights import Code, Outcome, PolicyOptions, Purpose, Use, evaluate
from tests.metadata_corpus import exiftool, segment, tiny_jpeg, with_segments

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
    args = ["-overwrite_original", "-charset", "iptc=UTF8", "-codedcharacterset=UTF8"]
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


@pytest.fixture(scope="module")
def made_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty files written by ExifTool, every licensing field in every supported container."""
    tool = exiftool()
    folder = tmp_path_factory.mktemp("licensing")
    rng = random.Random(20261207)
    argfile: list[str] = []
    for index in range(60):
        path = folder / f"f{index:02d}{['.jpg', '.tif', '.png', '.webp'][index % 4]}"
        _base(path)
        argfile += [*_arguments(rng, iim=path.suffix in (".jpg", ".tif")), str(path), "-execute"]
    (folder.parent / "args.txt").write_text("\n".join(argfile) + "\n", encoding="utf-8")
    subprocess.run([tool, "-q", "-q", "-@", str(folder.parent / "args.txt")], check=True)
    (folder / "c2pa.jpg").write_bytes(C2PA_SAMPLE.read_bytes())
    (folder / "c2pa.png").write_bytes(_png_with_store(_sample_store()))
    return folder


def _sample_store() -> bytes:
    found = jpeg_store(read_jpeg_blocks(C2PA_SAMPLE.read_bytes()).jumbf)
    assert found is not None
    return found[1]


def _png_with_store(store: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    png = out.getvalue()
    chunk = struct.pack(">I", len(store)) + b"caBX" + store
    chunk += struct.pack(">I", zlib.crc32(b"caBX" + store))
    cut = png.index(b"IDAT") - 4
    return png[:cut] + chunk + png[cut:]


def _webp_with_store(store: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "WEBP")
    body = out.getvalue()[12:] + b"C2PA" + struct.pack("<I", len(store)) + store
    body += b"\x00" * (len(store) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


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


@pytest.mark.parametrize("wrap", [_png_with_store, _webp_with_store], ids=["png", "webp"])
def test_a_manifest_in_png_and_webp_containers_is_found(wrap) -> None:  # type: ignore[no-untyped-def]
    meta = read_embedded(wrap(_sample_store()))
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
