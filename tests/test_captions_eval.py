"""Measured accuracy: the eval over the shared dev captions meets the F1 goals of issue #3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benches.caption_eval import GOAL_F1, GOAL_FIELDS, evaluate, main, read_rows
from tests.shared import needs, shared_path

DEV = shared_path("captions", "dev.jsonl")
needs_dev = needs(DEV.exists(), f"labelled dev captions not found at {DEV}")


@needs_dev
@pytest.mark.parametrize("field", GOAL_FIELDS)
def test_dev_set_f1_meets_the_goal(field: str) -> None:
    report = evaluate(read_rows(DEV))
    assert report.f1(field) >= GOAL_F1, [m for m in report.misses if m.field == field]


@needs_dev
def test_eval_command_prints_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DEV), "--no-misses"]) == 0
    out = capsys.readouterr().out
    for field in (
        "agency",
        "agency_ref",
        "credit_line",
        "source",
        "handout",
        "pool",
        "restrictions",
        "byline",
        "date",
        "place",
        "restriction_text",
    ):
        assert field in out


def test_eval_scores_and_lists_misses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {
            "caption": "Fans in Lima, Peru, 3 May 2024. REUTERS/Ana Diaz NO SALES",
            "expected": {
                "agency": "Reuters",
                "credit_line": "REUTERS/Ana Diaz",
                "source": "Reuters",
                "byline": "Ana Diaz",
                "handout": False,
                "pool": False,
                "date": "2024-05-03",
                "place": "Lima, Peru",
                "restrictions": ["NO_SALES"],
                "agency_ref": None,
                "restriction_text": "NO SALES",
            },
        },
        {
            "caption": "Crowds in Oslo. NTB/Kari Nordmann JAPAN OUT",
            "expected": {"agency": "NTB", "restrictions": ["NO_USE_IN_JAPAN"]},
        },
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    report = evaluate(read_rows(path))
    assert report.captions == 2
    assert report.f1("restrictions") == 1.0
    assert report.scores["agency"].tp == 2
    assert main([str(path)]) == 0
    assert "caption_eval" in capsys.readouterr().out


def test_eval_command_explains_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "absent.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
