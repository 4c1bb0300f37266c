"""Generalisation: the parser scored on constructed agency captions beyond the dev set.

Seven sets, labelled by the rules in shared/captions/README.md, in the styles a newsroom
receives (EPA/EPA-EFE handouts, Reuters, AFP, AP, Getty, Xinhua, Anadolu, dpa and picture
alliance, ANSA, EFE, Lusa, ANA-MPA, PA, AAP, Sipa, ZUMA, Shutterstock, Kyodo, Yonhap,
Bloomberg, handouts, pools, embargo and territory lines, captions without a credit):

- `captions_holdout.jsonl`: the parser's grammar and lexicon were improved against its misses,
  so it now guards against regressions more than it measures generalisation.
- `captions_holdout2.jsonl`: written independently; its blind figures (parser 1.1.0) are below.
  Its misses were then fixed by class, so it too is now a regression guard.
- `captions_holdout3.jsonl`: 100 captions written without reading the parser. Measured blind
  with parser 1.1.0 (figures below) before any change; the classes behind its misses were then
  fixed in general (1.2.0), so the next blind figure needs a fourth set.
- `captions_holdout4.jsonl`: 100 more, written the same way, measured blind with parser 1.4.0
  (figures below), then its misses fixed by class (1.5.0, 1.6.0). Where it and hold-out 2 disagreed
  (a photographer's rank, "Cpl Tim Laurence"), the byline is the name without the rank.
- `captions_holdout5.jsonl`: 100 more, written the same way with the widest spread of
  sources (Belga, ANP, APA, TT, NTB, PAP, MEGA, BACKGRID, Imagn and other agencies the parser
  had no profile for), measured blind with parser 1.7.0 (figures below), then fixed by class
  (1.8.0). Where it disagrees with the dev set or earlier sets (kill notices as OTHER
  restrictions, "HANDOUT" in EPA's restriction text, "ZUMA Press Wire" as the agency's name),
  the parser keeps the earlier reading, which costs some of its figures below.
- `captions_holdout6.jsonl`: 100 more, as publishers re-publish wire pictures (The Guardian,
  BBC, The New York Times, Al Jazeera, DW, Le Monde, El País, Japan Times, ABC...), measured
  blind with parser 1.8.0 (figures below), then fixed by class (1.9.0). Its remaining misses
  are mostly label choices the earlier sets make differently ("picture alliance" as the
  agency of "Name/dpa/picture alliance", dpa's "im Zusammenhang mit der aktuellen
  Berichterstattung" as no restriction); all-lower-case captions are read since 1.10.0.
- `captions_holdout7.jsonl`: 100 more in the dev set's mix of sources and styles, measured
  blind with parser 1.10.0: the latest honest figure (below). One class was fixed after it
  (1.11.0: "U.S." opening text after the credit is no instruction).

The goal is F1 >= 0.95 on every field (GOAL_F1 of benches/caption_eval.py). Each floor is
what the parser measurably meets, rounded down to 0.05 and capped at the goal. Raise a floor
when the parser improves; never lower one to make a change pass.
"""

from __future__ import annotations

import pytest

from benches.caption_eval import GOAL_F1, read_rows
from tests.labelled_sets import DATA, report_for

LABELLED_FIELDS = {
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
# Every labelled field at the goal: what a set's floors are once the parser meets it everywhere.
AT_GOAL = dict.fromkeys(sorted(LABELLED_FIELDS), GOAL_F1)

SETS = {
    "captions_holdout.jsonl": {
        "origin": "constructed hold-out",
        "min_rows": 80,
        # measured with parser 1.2.0: 1.000 on every field
        "floors": AT_GOAL,
    },
    "captions_holdout2.jsonl": {
        "origin": "constructed hold-out 2",
        "min_rows": 70,
        # measured with parser 1.3.0: agency 0.987, credit_line 0.987, restrictions 0.975,
        # restriction_text 0.781, every other field 1.000
        # (1.1.0: agency 0.968, credit_line 0.929, source 0.955, handout 0.970, restrictions
        # 0.949, restriction_text 0.698)
        "floors": {**AT_GOAL, "restriction_text": 0.75},
    },
    "captions_holdout3.jsonl": {
        "origin": "constructed hold-out 3",
        "min_rows": 100,
        # measured with parser 1.3.0: source 0.990, place 0.990, every other field 1.000
        # (blind, 1.1.0: credit_line 0.964, source 0.959, restrictions 0.960, byline 0.952,
        # place 0.938, restriction_text 0.904, every other field 1.000)
        "floors": AT_GOAL,
    },
    "captions_holdout4.jsonl": {
        "origin": "constructed hold-out 4",
        "min_rows": 100,
        # measured with parser 1.6.0: agency 0.995, source 0.974, restrictions 0.983, byline
        # 0.976, place 0.953, restriction_text 0.914, every other field 1.000
        # (blind, 1.4.0: agency 0.974, credit_line 0.950, source 0.928, handout 0.982,
        # restrictions 0.918, byline 0.927, place 0.948, restriction_text 0.860, agency_ref,
        # pool and date 1.000)
        "floors": {**AT_GOAL, "restriction_text": 0.9},
    },
    "captions_holdout5.jsonl": {
        "origin": "constructed hold-out 5",
        "min_rows": 100,
        # measured with parser 1.8.0: agency 0.970, credit_line 0.990, source 0.954, handout
        # 0.976, restrictions 0.955, byline 0.993, place 0.974, restriction_text 0.876, agency_ref,
        # pool and date 1.000
        # (blind, 1.7.0: agency 0.938, credit_line 0.939, source 0.902, handout 0.976,
        # restrictions 0.929, byline 0.979, date 0.994, place 0.935, restriction_text 0.833,
        # agency_ref and pool 1.000)
        "floors": {**AT_GOAL, "restriction_text": 0.85},
    },
    "captions_holdout6.jsonl": {
        "origin": "constructed hold-out 6",
        "min_rows": 100,
        # measured with parser 1.10.0: agency 0.953, credit_line 0.955, source 0.979, handout
        # 0.976, restrictions 0.941, byline 0.981, date 0.992, place 0.936, restriction_text
        # 0.875, agency_ref and pool 1.000
        # (blind, 1.8.0: agency 0.914, credit_line 0.870, source 0.886, handout 0.976,
        # restrictions 0.941, byline 0.889, date 0.992, place 0.929, restriction_text 0.875,
        # agency_ref and pool 1.000)
        "floors": {**AT_GOAL, "restrictions": 0.9, "place": 0.9, "restriction_text": 0.85},
    },
    "captions_holdout7.jsonl": {
        "origin": "constructed hold-out 7",
        "min_rows": 100,
        # measured with parser 1.11.0: restrictions 0.950, restriction_text 0.881, the rest as
        # blind (1.10.0): agency 0.969, credit_line 0.990, source 0.969, restrictions 0.944,
        # place 0.995, restriction_text 0.867, agency_ref, handout, pool, byline, date 1.000
        "floors": {**AT_GOAL, "restrictions": 0.9, "restriction_text": 0.85},
    },
}
CASES = [(name, field) for name, spec in SETS.items() for field in sorted(spec["floors"])]


@pytest.mark.parametrize("name", sorted(SETS))
def test_holdout_set_is_substantial_and_labelled(name: str) -> None:
    spec = SETS[name]
    rows = read_rows(DATA / name)
    assert len(rows) >= spec["min_rows"]
    for row in rows:
        assert row["origin"] == spec["origin"]
        assert set(row["expected"]) >= LABELLED_FIELDS
        credit = row["expected"]["credit_line"]
        assert credit is None or credit in row["caption"], "credit lines are copied verbatim"


@pytest.mark.parametrize(("name", "field"), CASES)
def test_holdout_f1_meets_floor(name: str, field: str) -> None:
    floor = SETS[name]["floors"][field]
    assert floor <= GOAL_F1
    report = report_for(name)
    misses = [m for m in report.misses if m.field == field]
    assert report.f1(field) >= floor, (report.f1(field), misses)
