"""The labelled caption sets under tests/data, and their scores, worked out once per process
(several tests read the same set's report)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from benches.caption_eval import Report, evaluate, read_rows

DATA = Path(__file__).resolve().parent / "data"


@cache
def report_for(name: str) -> Report:
    """The parser's score on the set `name`."""
    return evaluate(read_rows(DATA / name))
