"""How fast renditions are drawn, and how much memory a 200 MB original costs.

    python benches/bench_renditions.py [--corpus DIR] [--rounds 3] [--mb 200] [--skip-large]

1. Thumbnails per second over the image corpus (`../shared/corpus/images`, or --corpus,
   or RIGHTSDESK_SHARED): `assets.rendering.draw` (JPEG draft, orientation, sRGB through
   the ICC profile, 8-bit, JPEG without metadata) against a plain Pillow
   `Image.open(path).thumbnail((256, 256))` + JPEG save in the same run, and the ratio;
   then both renditions (preview + thumbnail from one decode), as uploads make them.
2. Peak memory of drawing both renditions from a 200 MB JPEG (8000 x ~6000 noise at
   quality 100, as benches/bench_upload_memory.py builds it) and a 200 MB uncompressed
   RGB TIFF (~67 MP), each in a fresh process: VmHWM (reset through clear_refs just before
   when the kernel allows) minus VmRSS before, read from /proc.

Figures only; tests/test_rendering.py and tests/test_renditions_api.py assert behaviour.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assets.rendering import Undrawable, draw  # noqa: E402
from benches.bench_upload_memory import MB, write_noisy_jpeg  # noqa: E402

THUMB, PREVIEW = 256, 1200


def corpus_dir(given: Path | None) -> Path | None:
    if given is not None:
        return given if given.is_dir() else None
    shared = Path(os.environ.get("RIGHTSDESK_SHARED", REPO.parent / "shared"))
    for candidate in (shared / "corpus" / "images", Path("/work/shared/corpus/images")):
        if candidate.is_dir():
            return candidate
    return None


def plain_thumbnail(path: Path) -> bytes:
    """What a first attempt looks like: no orientation, no colour management."""
    with Image.open(path) as image:
        image.thumbnail((THUMB, THUMB))
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=82)
        return buffer.getvalue()


def ours_thumbnail(path: Path) -> bytes:
    return draw(path, [THUMB])[0].data


def ours_both(path: Path) -> bytes:
    preview, thumb = draw(path, [PREVIEW, THUMB])
    return preview.data + thumb.data


def one_round(files: list[Path], make: Callable[[Path], bytes]) -> tuple[float, int, int]:
    """Seconds for one pass over `files`, images made, images that failed."""
    made = failed = 0
    start = time.perf_counter()
    for path in files:
        try:
            make(path)
            made += 1
        except (Undrawable, OSError, ValueError, SyntaxError, KeyError, TypeError):
            failed += 1
    return time.perf_counter() - start, made, failed


def bench_corpus(corpus: Path, rounds: int) -> None:
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    size = sum(p.stat().st_size for p in files) / MB
    print(f"corpus: {len(files)} files, {size:.1f} MB, in {corpus}; best of {rounds} rounds")
    makers = {"plain": plain_thumbnail, "ours": ours_thumbnail, "both": ours_both}
    best: dict[str, tuple[float, int, int]] = {}
    for _ in range(rounds):  # interleaved, so a busy machine slows every contender alike
        for name, make in makers.items():
            result = one_round(files, make)
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    plain_s, plain_ok, plain_bad = best["plain"]
    ours_s, ours_ok, ours_bad = best["ours"]
    both_s, both_ok, _both_bad = best["both"]
    print(
        f"  plain Image.open().thumbnail() + save  {plain_ok / plain_s:7.1f} thumbnails/s"
        f"  ({plain_ok} made, {plain_bad} failed, {plain_s:.2f} s)"
    )
    print(
        f"  rightsdesk thumbnail                   {ours_ok / ours_s:7.1f} thumbnails/s"
        f"  ({ours_ok} made, {ours_bad} placeholders, {ours_s:.2f} s)"
    )
    ratio = (ours_ok / ours_s) / (plain_ok / plain_s)
    print(f"  ratio rightsdesk / plain               {ratio:7.2f}")
    print(
        f"  rightsdesk preview + thumbnail         {both_ok / both_s:7.1f} pictures/s"
        f"  ({both_s / max(both_ok, 1) * 1000:.0f} ms each)"
    )


_CHILD = """
import json, sys, time
from pathlib import Path
from assets.rendering import draw
from benches.bench_upload_memory import memory_kb, reset_peak
import os
before = memory_kb(os.getpid())["VmRSS"]
was_reset = reset_peak(os.getpid())
start = time.perf_counter()
preview, thumb = draw(Path(sys.argv[1]), [1200, 256])
seconds = time.perf_counter() - start
after = memory_kb(os.getpid())
print(json.dumps({"before": before, "peak": after["VmHWM"], "reset": was_reset,
                  "seconds": seconds, "preview": [preview.width, preview.height],
                  "thumb": [thumb.width, thumb.height]}))
"""


def write_tiff(path: Path, target_bytes: int) -> str:
    side = int((target_bytes / 3) ** 0.5)
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, "TIFF")
    return f"{side}x{side} RGB noise, uncompressed"


def measure_drawing(path: Path) -> dict[str, Any]:
    """Draw both renditions of `path` in a fresh process; its memory and time, as a dict."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"drawing {path.name} failed: {result.stderr[-500:]}")
    measured: dict[str, Any] = json.loads(result.stdout)
    measured["growth_mb"] = (int(measured["peak"]) - int(measured["before"])) / 1024
    return measured


LARGE = {"jpeg": write_noisy_jpeg, "tiff": write_tiff}


def bench_large(mb: float) -> None:
    if not Path("/proc/self/status").exists():
        print("large files: needs Linux /proc to read RSS; skipped")
        return
    with tempfile.TemporaryDirectory(prefix="rightsdesk-renditions-bench-") as tmp:
        for name, write in LARGE.items():
            path = Path(tmp) / f"large.{name}"
            description = write(path, int(mb * MB))
            size = path.stat().st_size / MB
            try:
                m = measure_drawing(path)
            except RuntimeError as exc:
                print(f"{name}: {size:.0f} MB: {exc}")
                continue
            finally:
                path.unlink()
            peak = "VmHWM reset just before" if m["reset"] else "VmHWM not reset: overstated"
            print(
                f"{name}: {size:.0f} MB ({description}): preview {m['preview']}, thumb"
                f" {m['thumb']} in {m['seconds']:.2f} s; RSS before"
                f" {int(m['before']) / 1024:.0f} MB, peak {int(m['peak']) / 1024:.0f} MB,"
                f" growth {m['growth_mb']:.0f} MB ({peak})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mb", type=float, default=200.0)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()}, Pillow {Image.__version__}, {platform.machine()}")
    corpus = corpus_dir(args.corpus)
    if corpus is None:
        print(
            "corpus: no image corpus found (../shared/corpus/images; set RIGHTSDESK_SHARED"
            " or pass --corpus); throughput skipped"
        )
    else:
        bench_corpus(corpus, args.rounds)
    if not args.skip_large:
        bench_large(args.mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
