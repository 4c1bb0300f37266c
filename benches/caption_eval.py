"""Measure the parser against labelled captions: `python benches/caption_eval.py FILE.jsonl`.

Each line holds `caption` and `expected` (see shared/captions/README.md), and may hold
`embedded`: the file's IPTC `credit`, `source` and `byline`, read with the caption as the rights
record reads them (`captions.embedded`). A field `expected` leaves out is not scored. Prints
precision, recall and F1 per field, the share of captions whose supplier (`agency`) is right,
then every miss, so a change to a profile or the lexicon can be judged by figures rather than
by anecdote.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from captions import countries
from captions.embedded import EmbeddedCredit, with_embedded
from captions.model import ParsedCaption
from captions.parser import parse_caption
from captions.tolerant import phrase_key
from rights import Code

STRING_FIELDS = ("agency", "agency_ref", "credit_line", "source", "byline", "date", "place")
FLAG_FIELDS = ("handout", "pool")
FIELDS = (
    *STRING_FIELDS[:4],
    *FLAG_FIELDS,
    "restrictions",
    "byline",
    "date",
    "place",
    "restriction_text",
)
GOAL_FIELDS = ("agency", "agency_ref", "credit_line", "source", "handout", "restrictions")
GOAL_F1 = 0.95
# The share of captions whose supplier (the agency: whose terms govern) is read right.
GOAL_SUPPLIER = 0.97


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Miss:
    line: int
    field: str
    expected: Any
    got: Any
    caption: str


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in FIELDS})
    misses: list[Miss] = field(default_factory=list)
    captions: int = 0
    suppliers: int = 0
    suppliers_right: int = 0
    labelled: set[str] = field(default_factory=set)

    def f1(self, name: str) -> float:
        return self.scores[name].f1

    @property
    def supplier_accuracy(self) -> float:
        """Captions whose agency is right (none where none is expected), of those labelled."""
        return self.suppliers_right / self.suppliers if self.suppliers else 1.0


def restriction_labels(parsed: ParsedCaption) -> set[str]:
    """Labels as in the dev set: codes, NO_USE_IN_<COUNTRY>, OTHER:<text>."""
    labels: set[str] = set()
    for restriction in parsed.restrictions:
        if restriction.code is Code.TERRITORY:
            for code in restriction.countries_excluded:
                labels.add("NO_USE_IN_" + countries.english_name(code).upper())
            for code in restriction.countries_included:
                labels.add("ONLY_IN_" + countries.english_name(code).upper())
        elif restriction.code is Code.OTHER:
            labels.add("OTHER:" + restriction.text)
        else:
            labels.add(str(restriction.code))
    return labels


def _label_key(label: str) -> str:
    """Compare labels by meaning: OTHER text folded, countries by ISO code."""
    if label.startswith("OTHER:"):
        return "OTHER:" + phrase_key(label[6:])
    for prefix in ("NO_USE_IN_", "ONLY_IN_"):
        if label.startswith(prefix):
            codes = countries.codes_in(label[len(prefix) :])
            return prefix + (",".join(codes) if codes else label[len(prefix) :])
    return label


def _text_key(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(str(value).casefold().split()).strip(" .,;:()")


def _place_matches(expected: str, got: str) -> bool:
    e, g = phrase_key(expected), phrase_key(got)
    return bool(e and g) and (e in g or g in e)


def _score_value(
    report: Report, index: int, name: str, expected: Any, got: Any, caption: str
) -> None:
    score = report.scores[name]
    if name == "place" and expected is not None and got is not None:
        same = _place_matches(str(expected), str(got))
    elif name == "restriction_text":
        same = (expected is None and got is None) or (
            expected is not None and got is not None and phrase_key(expected) == phrase_key(got)
        )
    else:
        same = _text_key(expected) == _text_key(got)
    if expected is not None and got is not None and same:
        score.tp += 1
        return
    if got is not None:
        score.fp += 1
    if expected is not None:
        score.fn += 1
    if expected is not None or got is not None:
        report.misses.append(Miss(index, name, expected, got, caption))


def _score_flag(
    report: Report, index: int, name: str, expected: bool, got: bool, caption: str
) -> None:
    score = report.scores[name]
    if expected and got:
        score.tp += 1
    elif got:
        score.fp += 1
        report.misses.append(Miss(index, name, expected, got, caption))
    elif expected:
        score.fn += 1
        report.misses.append(Miss(index, name, expected, got, caption))


def _score_restrictions(
    report: Report, index: int, expected: Iterable[str], parsed: ParsedCaption, caption: str
) -> None:
    score = report.scores["restrictions"]
    want = {_label_key(label) for label in expected}
    have = {_label_key(label) for label in restriction_labels(parsed)}
    score.tp += len(want & have)
    score.fp += len(have - want)
    score.fn += len(want - have)
    if want != have:
        report.misses.append(
            Miss(index, "restrictions", sorted(want - have), sorted(have - want), caption)
        )


def evaluate(rows: Sequence[dict[str, Any]]) -> Report:
    """Score parse_caption on labelled rows."""
    report = Report()
    for index, row in enumerate(rows, start=1):
        caption = row["caption"]
        expected = row["expected"]
        parsed = _reading(caption, row.get("embedded"))
        report.captions += 1
        report.labelled.update(name for name in FIELDS if name in expected)
        if "agency" in expected:
            report.suppliers += 1
            report.suppliers_right += _text_key(expected["agency"]) == _text_key(parsed.agency)
        for name in STRING_FIELDS:
            if name not in expected:
                continue
            got = getattr(parsed, name)
            if name == "date" and got is not None:
                got = got if isinstance(got, str) else got.isoformat()
            _score_value(report, index, name, expected.get(name), got, caption)
        for name in FLAG_FIELDS:
            if name in expected:
                got_flag = getattr(parsed, name)
                _score_flag(report, index, name, bool(expected.get(name)), got_flag, caption)
        if "restrictions" in expected:
            _score_restrictions(report, index, expected["restrictions"] or [], parsed, caption)
        if "restriction_text" in expected:
            _score_value(
                report,
                index,
                "restriction_text",
                expected["restriction_text"],
                parsed.restriction_text,
                caption,
            )
    return report


def _reading(caption: str, embedded: dict[str, Any] | None) -> ParsedCaption:
    """The caption read alone, or with the file's embedded credit fields as the record reads it."""
    parsed = parse_caption(caption)
    if not embedded:
        return parsed
    fields = EmbeddedCredit(embedded.get("credit"), embedded.get("source"), embedded.get("byline"))
    return with_embedded(parsed, fields)


def read_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def print_report(report: Report, show_misses: bool = True) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"caption_eval — {report.captions} captions")
    for column in ("field", "TP", "FP", "FN", "precision", "recall", "F1", "goal"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name in FIELDS:
        if name not in report.labelled:
            continue
        score = report.scores[name]
        goal = ""
        if name in GOAL_FIELDS:
            goal = "ok" if score.f1 >= GOAL_F1 else f"< {GOAL_F1}"
        table.add_row(
            name,
            str(score.tp),
            str(score.fp),
            str(score.fn),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            goal,
        )
    console.print(table)
    verdict = "ok" if report.supplier_accuracy >= GOAL_SUPPLIER else f"< {GOAL_SUPPLIER}"
    console.print(
        f"supplier right: {report.suppliers_right}/{report.suppliers} "
        f"({report.supplier_accuracy:.3f}, goal {verdict})"
    )
    if show_misses and report.misses:
        console.print(f"[bold]{len(report.misses)} misses[/bold]")
        for miss in report.misses:
            console.print(
                f"  line {miss.line} [cyan]{miss.field}[/cyan]: expected {miss.expected!r}, "
                f"got {miss.got!r}",
                markup=True,
                highlight=False,
                soft_wrap=True,
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benches/caption_eval.py", description=__doc__)
    parser.add_argument("file", type=Path, help="JSON lines with caption and expected")
    parser.add_argument("--no-misses", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(
            f"{args.file}: no such file; pass a JSON-lines file of labelled captions",
            file=sys.stderr,
        )
        return 2
    report = evaluate(read_rows(args.file))
    print_report(report, show_misses=not args.no_misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
