"""Generalisation: the parser scored on constructed agency captions it was not tuned on.

`tests/data/captions_holdout.jsonl` holds captions written in the styles a newsroom receives
(EPA, Reuters, AFP, AP, Getty, Xinhua, Anadolu, dpa, ANSA, EFE, PA, AAP, Sipa, ZUMA,
Shutterstock, Kyodo, Yonhap, Bloomberg, handouts, pools, embargo and territory lines, captions
without a credit), labelled by the rules in shared/captions/README.md.

The real goal is F1 >= 0.95 on every field (captions.eval.GOAL_F1). The floors below are
what the parser measurably meets today: 0.90 where it already does, otherwise the measured value
rounded down to 0.05. Raise a floor when the parser improves; never lower one to make a
change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from captions.eval import GOAL_F1, evaluate, read_rows

HOLDOUT = Path(__file__).resolve().parent / "data" / "captions_holdout.jsonl"

TARGET_F1 = 0.90  # floor asked of the hold-out set; the real goal is GOAL_F1 (0.95)

FLOORS = {
    "agency": TARGET_F1,  # measured 0.952
    "credit_line": TARGET_F1,  # measured 0.940
    "handout": TARGET_F1,  # measured 0.974
    # Below target today; real goal 0.95. Misses: trailing advisories glued to the credit,
    # "Photographer Name/Agency via X" chains, single-name bylines, institutions as bylines.
    "source": 0.85,  # measured 0.882
    # Below target today; real goal 0.95. Misses: German/Italian/ZUMA phrases not classified
    # or dropped, "/" inside phrases splitting them, "REPUBLIC OF KOREA OUT".
    "restrictions": 0.85,  # measured 0.886
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
