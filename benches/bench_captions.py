"""How fast is parse_caption? Captions per second on one core, over the dev captions repeated.

Prints the parser's throughput and its ratio to a baseline measured in the same run: one
case-insensitive `re.search` of a restriction alternation per caption, the least any caption
reader must do. Then the same over distinct captions (every labelled caption, each with its own
random prefix or suffix, no caption repeated), so that no per-caption or per-segment cache can
flatter the figure. `make install` compiles the parser with mypyc (setup.py); the bench says
which build it timed. Figures only; no assertions. Run: python benches/bench_captions.py

Seconds move with whatever else the machine runs. `--instructions` counts instead, with
valgrind's callgrind (installed from Debian when missing): the instructions one distinct caption
costs the parser and the baseline, each after the same warm-up in its own process. The counts
repeat run after run, however busy the machine, so they show what a change to the parser saves.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from caption_build import build_description
from captions_corpus import distinct_captions, labelled_captions
from debian_tools import ensure_command

from captions import parse_caption

ROUNDS = 7
TARGET_PER_ROUND = 20_000
_FALLBACK = [
    "epa11111111 People walk in Lisbon, Portugal, 02 March 2024. EPA-EFE/JOSE SENA GOULAO",
    "Fans cheer in Madrid, Spain, March 3, 2024. REUTERS/Ana Beltran",
    "A bus in Karachi, September 2013 (AFP Photo / Asif Hassan)",
]
_BASELINE = re.compile(
    r"EDITORIAL USE ONLY|NO SALES|NO RESALES|NO ARCHIVES|MANDATORY CREDIT|NO MARKETING"
    r"|NO ADVERTISING|NO COMMERCIAL USE|NO SYNDICATION|EMBARGOED UNTIL",
    re.IGNORECASE,
)


def dev_captions() -> list[str]:
    shared = os.environ.get("RIGHTSDESK_SHARED")
    root = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    path = root / "captions" / "dev.jsonl"
    if not path.exists():
        print(f"{path} not found: timing {len(_FALLBACK)} built-in captions instead")
        return list(_FALLBACK)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["caption"] for line in lines if line.strip()]


def best_rate(
    work: Callable[[str], object],
    texts: Sequence[str],
    clock: Callable[[], float] = time.perf_counter,
    rounds: int = ROUNDS,
) -> float:
    """Captions per second, best of several rounds (the least disturbed by other processes).

    With `clock=time.process_time` the rate is per second of this process's CPU time, which a
    busy machine disturbs less than wall-clock time.
    """
    best = 0.0
    for _ in range(rounds):
        started = clock()
        for text in texts:
            work(text)
        elapsed = max(clock() - started, 1e-9)
        best = max(best, len(texts) / elapsed)
    return best


def timed() -> None:
    captions = dev_captions()
    texts = captions * max(1, TARGET_PER_ROUND // len(captions))
    for text in captions:
        parse_caption(text)  # warm up: profiles and lexicon are compiled at import
    parser_rate = best_rate(parse_caption, texts)
    parser_cpu_rate = best_rate(parse_caption, texts, time.process_time)
    baseline_rate = best_rate(_BASELINE.search, texts)
    average = sum(map(len, captions)) / len(captions)
    print(
        f"captions: {len(captions)} distinct, {len(texts)} per round,"
        f" {average:.0f} chars on average"
    )
    print(f"parser build: {build_description()} (RIGHTSDESK_PURE_PYTHON=1 installs the sources)")
    print(f"parse_caption:            {parser_rate:12,.0f} captions/s")
    print(f"parse_caption (CPU time): {parser_cpu_rate:12,.0f} captions/s")
    print(f"baseline re.search:       {baseline_rate:12,.0f} captions/s")
    print(f"parser / baseline time:   {baseline_rate / parser_rate:12.1f} x")
    # Best of three rounds, each over its own captions: nothing is reused between rounds.
    distinct_cpu_rate = 0.0
    rounds_of_labelled = TARGET_PER_ROUND // max(1, len(labelled_captions())) + 1
    for seed in range(3):
        distinct = distinct_captions(rounds_of_labelled, seed)[:TARGET_PER_ROUND]
        distinct_cpu_rate = max(
            distinct_cpu_rate, best_rate(parse_caption, distinct, time.process_time, rounds=1)
        )
    print(
        f"distinct captions (CPU): {distinct_cpu_rate:13,.0f} captions/s"
        f" ({len(distinct)} per round, none repeated)"
    )
    print("goal: >= 50,000 captions/s (at least 30,000 distinct)")


# --- instruction counts ------------------------------------------------------------------------

_COUNTED = 743  # distinct captions per counted run: one pass over the labelled set's size
_WORK = {"warm-up": None, "parser": parse_caption, "baseline": _BASELINE.search}


def counted_run(work: str) -> None:
    """What one counted process does: the warm-up, then `work` over never-seen captions."""
    for text in labelled_captions() + distinct_captions(2, seed=98):
        parse_caption(text)  # lexicon, profiles and caches as a long-running server has them
    texts = distinct_captions(1, seed=99)[:_COUNTED]
    step = _WORK[work]
    if step is not None:
        for text in texts:
            step(text)


def instructions_of(work: str, valgrind: str) -> int:
    """Instructions a whole process doing `work` executes, counted by callgrind."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--counted-run",
                work,
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # the same sets and dicts every run
        )
        for line in out.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise SystemExit(f"callgrind wrote no total for {work}")


def counted() -> None:
    valgrind = ensure_command("valgrind", "valgrind")
    print(f"parser build: {build_description()}")
    print(f"counting instructions over {_COUNTED} distinct captions (about a minute per count)")
    warm = instructions_of("warm-up", valgrind)
    parser = (instructions_of("parser", valgrind) - warm) / _COUNTED
    baseline = (instructions_of("baseline", valgrind) - warm) / _COUNTED
    print(f"parse_caption:       {parser:12,.0f} instructions per distinct caption")
    print(f"baseline re.search:  {baseline:12,.0f} instructions per distinct caption")
    print(f"parser / baseline:   {parser / baseline:12.1f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instructions", action="store_true", help="count with callgrind")
    parser.add_argument("--counted-run", choices=sorted(_WORK), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.counted_run:
        counted_run(args.counted_run)
    elif args.instructions:
        counted()
    else:
        timed()


if __name__ == "__main__":
    main()
