"""Generalisation: the parser scored on constructed agency captions it was not tuned on.

`tests/data/captions_holdout.jsonl` holds captions written in the styles a newsroom receives
(EPA, Reuters, AFP, AP, Getty, Xinhua, Anadolu, dpa, ANSA, EFE, PA, AAP, Sipa, ZUMA,
Shutterstock, Kyodo, Yonhap, Bloomberg, handouts, pools, embargo and territory lines, captions
without a credit), labelled by the rules in shared/captions/README.md.

The real goal is F1 >= 0.95 on every field (captions.eval.GOAL_F1). The floors below are
what the parser measurably meets today, rounded down to 0.05 and capped at the goal. Never
lower one to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from captions.eval import GOAL_F1, evaluate, read_rows

HOLDOUT = Path(__file__).resolve().parent / "data" / "captions_holdout.jsonl"

TARGET_F1 = 0.95  # floor asked of the hold-out set; the real goal is GOAL_F1 (0.95)

# Parser 1.1.0 measures 1.000 on every goal field of the hold-out set; floors are capped at
# the goal.
FLOORS = {
    "agency": TARGET_F1,
    "agency_ref": TARGET_F1,
    "credit_line": TARGET_F1,
    "handout": TARGET_F1,
    "source": TARGET_F1,
    "restrictions": TARGET_F1,
}


@pytest.fixture(scope="module")
def report():
    return evaluate(read_rows(HOLDOUT))


def test_holdout_set_is_substantial_and_labelled() -> None:
    rows = read_rows(HOLDOUT)
    assert len(rows) >= 80
    for row in rows:
        assert row["origin"] == "constructed hold-out"
        assert set(row["expected"]) >= {
            "agency",
            "agency_ref",
            "credit_line",
            "source",
            "byline",
            "handout",
            "pool",
            "date",
            "place",
            "restrictions",
            "restriction_text",
        }


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_holdout_f1_meets_floor(report, field: str) -> None:
    floor = FLOORS[field]
    assert floor <= GOAL_F1
    misses = [m for m in report.misses if m.field == field]
    assert report.f1(field) >= floor, (report.f1(field), misses)
