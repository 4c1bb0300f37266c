"""Generalisation, second sample: the parser scored on another set of constructed captions.

`tests/data/captions_holdout2.jsonl` holds 82 captions written independently of the first
hold-out set, in the styles a newsroom receives: EPA / EPA-EFE handouts, Reuters (plain,
handout, pool, third-party advisories), AFP (restricted-to-editorial blocks, Jiji and CNS with
territory lines), AP (pool, file, "via AP"), Getty, Bloomberg, Xinhua, Anadolu, dpa and
picture alliance (German), ANSA (Italian), EFE (Spanish), Lusa (Portuguese), ANA-MPA (Greek),
PA, AAP, Sipa, ZUMA, Shutterstock, Kyodo, Yonhap, NurPhoto, courtesy / supplied lines,
embargoes and captions without a credit. Labelled by the rules in shared/captions/README.md.

The goal is F1 >= 0.95 on every field (captions.eval.GOAL_F1). Each floor below is the value
the parser measured on this set when it was written, rounded down to 0.05, so the test guards
against regressions. Raise a floor when the parser improves; never lower one to make a change
pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from captions.eval import GOAL_F1, evaluate, read_rows

HOLDOUT2 = Path(__file__).resolve().parent / "data" / "captions_holdout2.jsonl"

# Goal 0.95 for every field; floors are today's measurement rounded down to 0.05.
FLOORS = {
    # Misses: a "Mandatory credit" prefix before "Kyodo/via REUTERS", "(Kyodo)" and
    # "(Supplied: ...)" credits, AFP block-only credit, PA credit followed by RESTRICTIONS,
    # "Foto: .../dpa/picture alliance" chains.
    "agency": 0.95,  # measured 0.968
    # Misses: EPA "... HANDOUT" credit endings, leading "- AFP PHOTO", territory line glued to
    # "(Photo by ... / AFP) / Japan OUT", ANSA "+++" advisory glued to the credit.
    "credit_line": 0.90,  # measured 0.929
    # Misses: EFE and Lusa handout issuers, PA "MoD Crown Copyright", Sipa USA.
    "source": 0.95,  # measured 0.955
    # Misses: Spanish / Portuguese "cedida por" (provided by).
    "handout": 0.95,  # measured 0.970
    # Misses: "Japan OUT" after AFP credit, dpa "vollständiger Nennung des Credits", ZUMA
    # "Not for Commercial USAGE!", ANSA "NO LICENSING", PA "No use with unauthorised audio ...".
    "restrictions": 0.90,  # measured 0.949
}


@pytest.fixture(scope="module")
def report():
    return evaluate(read_rows(HOLDOUT2))


def test_holdout2_set_is_substantial_and_labelled() -> None:
    rows = read_rows(HOLDOUT2)
    assert len(rows) >= 70
    for row in rows:
        assert row["origin"] == "constructed hold-out 2"
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
        credit = row["expected"]["credit_line"]
        assert credit is None or credit in row["caption"]


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_holdout2_f1_meets_floor(report, field: str) -> None:
    floor = FLOORS[field]
    assert floor <= GOAL_F1
    misses = [m for m in report.misses if m.field == field]
    assert report.f1(field) >= floor, (report.f1(field), misses)
