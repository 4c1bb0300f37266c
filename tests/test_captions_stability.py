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
    # A caption added to a test since the file was written is only checked once it is recorded
    # (python benches/captions_corpus.py --write); the recorded corpus must still be there.
    assert len(missing) <= len(items) // 50, f"{len(missing)} captions not in the golden file"


def test_every_hold_out_caption_and_its_variants_are_recorded() -> None:
    golden = captions_corpus.read_golden()
    data = Path(__file__).resolve().parent / "data"
    holdout = captions_corpus._jsonl_captions(data / "captions_holdout.jsonl")
    holdout += captions_corpus._jsonl_captions(data / "captions_holdout2.jsonl")
    assert len(holdout) >= 150
    for caption in holdout:
        for text in (caption, *captions_corpus.variants(caption)):
            assert captions_corpus.key(text) in golden, text[:200]
