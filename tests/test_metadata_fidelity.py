"""read_embedded agrees with ExifTool (the corpus's recorded truth) on >= 99% of fields."""

from __future__ import annotations

import pytest

from assets.metadata.compare import FIELDS, compare_dir, main
from tests.metadata_corpus import corpus_dir


@pytest.mark.parametrize("sub", ["", "agency"], ids=["camera-and-tool-samples", "agency"])
def test_agreement_with_exiftool_is_at_least_99_percent(sub: str) -> None:
    report = compare_dir(corpus_dir(sub))
    assert report.files > 50
    assert sum(report.present.values()) > 400
    shown = "\n".join(
        f"{m.file} {m.field}: exiftool={m.expected!r} ours={m.actual!r}" for m in report.mismatches
    )
    assert report.agreement >= 0.99, shown
    assert report.iptc_agreement >= 0.99, shown


def test_rights_fields_agree_exactly_on_agency_files() -> None:
    """The fields the desk acts on must not differ at all on agency deliveries."""
    report = compare_dir(corpus_dir("agency"))
    for name in ("caption", "credit", "source", "special_instructions", "usage_terms"):
        assert report.present[name] == report.agreed[name], name


def test_compare_command_prints_agreement_per_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(corpus_dir("agency"))]) == 0
    out = capsys.readouterr().out
    assert "agreement" in out
    for name in FIELDS:
        assert name in out


def test_compare_command_explains_a_wrong_directory(tmp_path: object) -> None:
    assert main([str(tmp_path)]) == 2
