"""Captions for checking that parse_caption's output stays exactly the same, and for timing it.

The corpus: the dev captions (../shared/captions/dev.jsonl, when present), both hold-out sets,
every caption-like string literal in tests/test_captions_*.py and tests/captions_examples.py,
variants of the labelled captions (upper case, lower case, halves, a prefix or suffix, lines)
and deterministic token soups built from their words and punctuation.

Regenerate the golden file after a deliberate output change (and bump PARSER_VERSION):

    python benches/captions_corpus.py --write

`tests/test_captions_stability.py` asserts the parser reproduces it exactly.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import datetime as dt
import enum
import gzip
import hashlib
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GOLDEN = REPO / "tests" / "data" / "captions_golden.jsonl.gz"
_SOUPS = 600
_PUNCTUATION = [".", ",", "/", " / ", " - ", ":", "(", ")", "\n", " via ", "==", "+++", ";", '"']


def shared_dev() -> Path:
    shared = os.environ.get("RIGHTSDESK_SHARED")
    root = Path(shared) if shared else REPO.parent / "shared"
    return root / "captions" / "dev.jsonl"


def _jsonl_captions(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["caption"] for line in lines if line.strip()]


def holdout_captions() -> list[str]:
    """Every hold-out set's captions (tests/data/captions_holdout*.jsonl), in file order."""
    sets = sorted((REPO / "tests" / "data").glob("captions_holdout*.jsonl"))
    return [caption for path in sets for caption in _jsonl_captions(path)]


def labelled_captions() -> list[str]:
    """Dev (if present) and hold-out captions, in file order."""
    return [*_jsonl_captions(shared_dev()), *holdout_captions()]


def test_literals() -> list[str]:
    """String literals of the caption tests that look like captions (two words or more)."""
    found: list[str] = []
    paths = sorted(
        path
        for path in (REPO / "tests").glob("test_captions_*.py")
        if path.name != "test_captions_stability.py"
    )
    paths.append(REPO / "tests" / "captions_examples.py")
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if 8 <= len(text) <= 5000 and " " in text.strip():
                    found.append(text)
    return found


def variants(caption: str) -> list[str]:
    half = len(caption) // 2
    tag = key(caption)[:6]
    return [
        caption.upper(),
        caption.lower(),
        f"Ref{tag} " + caption,
        caption + f" id{tag}",
        caption[:half],
        caption[half:],
        caption.replace(". ", ".\n"),
    ]


def soups(captions: list[str], count: int = _SOUPS) -> list[str]:
    """Deterministic token soups: words of the captions shuffled with credit punctuation."""
    rng = random.Random(20261125)
    words = sorted({word for caption in captions for word in caption.split()})
    result: list[str] = []
    for _ in range(count):
        pieces: list[str] = []
        for _ in range(rng.randint(1, 40)):
            pieces.append(rng.choice(words))
            pieces.append(rng.choice(_PUNCTUATION) if rng.random() < 0.3 else " ")
        result.append("".join(pieces))
    return result


def corpus() -> list[str]:
    """Every caption checked, without duplicates, in a stable order."""
    labelled = labelled_captions()
    items = [*labelled, *test_literals()]
    for caption in labelled:
        items.extend(variants(caption))
    # From the hold-out captions only, so that the soups are the same without the dev set.
    items.extend(soups(holdout_captions()))
    return list(dict.fromkeys(items))


def distinct_captions(rounds: int, seed: int = 0) -> list[str]:
    """The labelled captions, each varied so that no two are equal (caches miss)."""
    labelled = labelled_captions()
    rng = random.Random(seed)
    result: list[str] = []
    for round_index in range(rounds):
        for caption in labelled:
            tag = f"{rng.randrange(10**9):09d}"
            if round_index % 2:
                result.append(f"Ref{tag} {caption}")
            else:
                result.append(f"{caption} id{tag}")
    return result


def key(caption: str) -> str:
    return hashlib.sha1(caption.encode("utf-8")).hexdigest()[:20]


def plain(value: Any) -> Any:
    """A JSON-ready form of a parse result: dataclasses, enums, dates, tuples."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return "date:" + value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    return value


def dump(caption: str) -> str:
    from captions import parse_caption

    return json.dumps(plain(parse_caption(caption)), ensure_ascii=False, sort_keys=True)


def read_golden() -> dict[str, str]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {
        row["key"]: json.dumps(row["parsed"], ensure_ascii=False, sort_keys=True) for row in rows
    }


def write_golden() -> int:
    lines = []
    for caption in corpus():
        parsed = json.loads(dump(caption))
        lines.append(json.dumps({"key": key(caption), "parsed": parsed}, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0: the same output gives the same bytes.
    with open(GOLDEN, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(data)
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the golden file")
    args = parser.parse_args()
    if args.write:
        if not shared_dev().exists():
            sys.exit(f"{shared_dev()} not found: the golden file covers the dev captions too")
        print(f"{write_golden()} captions written to {GOLDEN}")
        return
    golden = read_golden()
    items = corpus()
    differ = [c for c in items if key(c) in golden and dump(c) != golden[key(c)]]
    missing = [c for c in items if key(c) not in golden]
    print(f"{len(items)} captions, {len(differ)} differ, {len(missing)} not in the golden file")
    for caption in differ[:10]:
        print("DIFFERS:", caption[:200])
    sys.exit(1 if differ or missing else 0)


if __name__ == "__main__":
    main()
