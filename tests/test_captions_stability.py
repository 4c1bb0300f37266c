"""Output stability: parse_caption reproduces the recorded reading of every corpus caption.

The corpus and the golden file are built by benches/captions_corpus.py (see its docstring to
regenerate after a deliberate change). Speed work must keep every field identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benches"))

import captions_corpus


def test_every_corpus_caption_parses_exactly_as_recorded() -> None:
    golden = captions_corpus.read_golden()
    items = captions_corpus.corpus()
    assert len(items) > 1000
    differ = []
    missing = []
    for caption in items:
        key = captions_corpus.key(caption)
        if key not in golden:
            missing.append(caption)
        elif captions_corpus.dump(caption) != golden[key]:
            differ.append(caption)
    assert not differ, f"{len(differ)} captions parse differently, e.g. {differ[0][:200]!r}"
    assert not missing, f"{len(missing)} captions not in the golden file, e.g. {missing[0][:200]!r}"


def test_without_the_dev_set_every_other_caption_is_still_checked() -> None:
    golden = captions_corpus.read_golden()
    dev = set(captions_corpus._jsonl_captions(captions_corpus.shared_dev()))
    checked = [c for c in captions_corpus.corpus() if c not in dev]
    assert checked and all(captions_corpus.key(c) in golden for c in checked)
