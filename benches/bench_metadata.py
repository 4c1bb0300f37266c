"""How fast read_embedded reads the corpus, next to ExifTool and pyexiv2 in the same run.

    python benches/bench_metadata.py [ROUNDS]

Reads every corpus image (both corpus folders) ROUNDS times (default 5) from memory and
prints files/s for read_embedded; then `exiftool -json` over the same files in one
process (startup included, as a batch ingest would pay it) and pyexiv2 (exiv2's C++
reader, EXIF+IPTC+XMP), and the ratios. Missing references are skipped with a message.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from assets.metadata import MetadataError, read_embedded


def corpus_files() -> list[Path]:
    shared = Path(
        os.environ.get("RIGHTSDESK_SHARED", Path(__file__).resolve().parents[2] / "shared")
    )
    files: list[Path] = []
    for sub in ("corpus", "corpus/agency"):
        images = shared / sub / "images"
        if images.is_dir():
            files.extend(sorted(p for p in images.iterdir() if p.is_file()))
    return files


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds if seconds else float("inf")
    print(f"{label:<34} {count:>6} files in {seconds:7.3f} s = {per_second:9.1f} files/s")
    return per_second


def best_of(rounds: int, run: Callable[[], None]) -> float:
    """Best wall time of several runs (least disturbed by the machine)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    files = corpus_files()
    if not files:
        print("no corpus found: set RIGHTSDESK_SHARED to the shared folder")
        return 0
    blobs = [p.read_bytes() for p in files]
    total_mb = sum(map(len, blobs)) / 1e6
    print(f"corpus: {len(files)} files, {total_mb:.1f} MB, best of {rounds} rounds\n")

    def ours() -> None:
        for blob in blobs:
            with contextlib.suppress(MetadataError):
                read_embedded(blob)

    ours()  # warm imports and caches
    our_rate = rate("read_embedded", len(blobs), best_of(rounds, ours))

    tool = shutil.which("exiftool")
    if tool is None:
        print("exiftool: skipped (not installed; apt-get install libimage-exiftool-perl)")
    else:
        command = [
            tool,
            "-json",
            "-G1",
            "-a",
            "-s",
            "-n",
            "-charset",
            "iptc=utf8",
            *map(str, files),
        ]

        def exiftool_batch() -> None:
            subprocess.run(command, capture_output=True, check=False)

        et_rate = rate(
            "exiftool -json (one process)", len(files), best_of(min(rounds, 3), exiftool_batch)
        )
        print(f"{'':<34} read_embedded / exiftool = {our_rate / et_rate:.1f}x")

    try:
        import pyexiv2
    except ImportError:
        print("pyexiv2: skipped (pip install pyexiv2 to compare with exiv2)")
    else:
        pyexiv2.set_log_level(4)

        def exiv2() -> None:
            for blob in blobs:
                try:
                    with pyexiv2.ImageData(blob) as image:
                        image.read_exif()
                        image.read_iptc()
                        image.read_xmp()
                except Exception:  # exiv2 refuses some damaged corpus files
                    pass

        exiv2()
        ex_rate = rate("pyexiv2 (EXIF+IPTC+XMP)", len(blobs), best_of(rounds, exiv2))
        print(f"{'':<34} read_embedded / pyexiv2 = {our_rate / ex_rate:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
