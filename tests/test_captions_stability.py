"""Output stability: parse_caption reproduces the recorded reading of every corpus caption.

The corpus and the golden file are built by benches/captions_corpus.py (see its docstring to
regenerate after a deliberate change). Speed work must keep every field identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benches"))

import captions_corpus

from benches.caption_build import compiled_modules


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
    holdout = captions_corpus.holdout_captions()
    assert len(holdout) >= 250
    for caption in holdout:
        for text in (caption, *captions_corpus.variants(caption)):
            assert captions_corpus.key(text) in golden, text[:200]


def test_the_sources_uncompiled_parse_exactly_as_the_compiled_build(tmp_path: Path) -> None:
    """The mypyc build and the Python sources are one parser: both reproduce the golden file.

    RIGHTSDESK_PURE_PYTHON=1 installs the sources alone; this keeps that mode honest when the
    suite itself runs compiled.
    """
    if not compiled_modules():
        pytest.skip("the parser is not compiled here, so the test above ran the sources")
    repo = Path(__file__).resolve().parents[1]
    shutil.copytree(
        repo / "captions",
        tmp_path / "captions",
        ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"),
    )
    script = (
        "import captions.parser, sys\n"
        "assert captions.parser.__file__.endswith('.py'), captions.parser.__file__\n"
        "import captions_corpus as c\n"
        "golden = c.read_golden()\n"
        "items = [t for t in c.corpus() if c.key(t) in golden]\n"
        "differ = [t for t in items if c.dump(t) != golden[c.key(t)]]\n"
        "print(len(items), len(differ), differ[:1])\n"
        "sys.exit(1 if differ or len(items) < 1000 else 0)\n"
    )
    path = os.pathsep.join([str(tmp_path), str(repo), str(repo / "benches")])
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": path},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
