"""Agency feed throughput: files/s from arrival in a watched folder to the catalogue, and p95
lag, beside `rightsdesk ingest` of the same files in the same run.

    python benches/bench_feed.py [--files 2000] [--settle 0.5] [--rate N] [--concurrency 2]
                                 [--tmp DIR]

Builds `--files` distinct JPEGs from /work/shared/corpus (RIGHTSDESK_SHARED): each corpus
JPEG in turn, made unique by a COM segment after its SOI marker, so every file is new bytes
with the corpus file's metadata. Then, each on an empty SQLite catalogue of its own:
1. `rightsdesk ingest FOLDER` (the command's own function, in this process);
2. a feed worker (`rightsdesk watch`'s, inotify on) on an empty folder, into which the files
   are dropped as an agency would (a `.part` name, then a rename), all at once. The rate is
   files / (last file in the catalogue - first file dropped); the lag of each file is from
   its arrival (its time in the folder) to its claim being settled.
Prints both rates, the ratio (goal: >= 80 %), p50/p95 lag. Dropped all at once, the lag is
mostly the queue (the last file waits for the 1,999 before it); `--rate N` drops N files/s,
which shows the lag of a steady feed. Figures only; nothing asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def corpus_jpegs() -> list[bytes]:
    shared = Path(os.environ.get("RIGHTSDESK_SHARED", REPO.parent / "shared"))
    folders = [shared / "corpus" / "agency" / "images", shared / "corpus" / "images"]
    found = [
        p.read_bytes()
        for folder in folders
        if folder.is_dir()
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in (".jpg", ".jpeg")
    ]
    if not found:
        sys.exit(f"no corpus JPEGs under {shared}/corpus; set RIGHTSDESK_SHARED")
    return [d for d in found if d[:2] == b"\xff\xd8"]


def unique(data: bytes, number: int) -> bytes:
    comment = f"bench-feed {number}".encode()
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


def make_files(folder: Path, count: int) -> list[Path]:
    sources = corpus_jpegs()
    folder.mkdir(parents=True)
    paths = []
    for number in range(count):
        path = folder / f"f{number:05}.jpg"
        path.write_bytes(unique(sources[number % len(sources)], number))
        paths.append(path)
    return paths


def use_data_dir(path: Path) -> None:
    os.environ["RIGHTSDESK_DATA_DIR"] = str(path)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("RIGHTSDESK_BLOBS", None)


def bench_ingest(files: Path, work: Path) -> float:
    import typer

    from api import cli

    use_data_dir(work / "ingest-data")
    cli._runtime().engine.dispose()  # migrate first: not part of the rate
    started = time.perf_counter()
    # some corpus files may be refused: they are counted the same in both runs
    with contextlib.suppress(typer.Exit):
        cli.ingest([files], apply_kills=False)
    return time.perf_counter() - started


def bench_feed(
    files: list[Path], work: Path, settle: float, rate: float, concurrency: int
) -> tuple[float, list[float], int]:
    from api import cli
    from assets.feeds.config import FeedConfig
    from assets.feeds.worker import FeedWorkers

    use_data_dir(work / "feed-data")
    runtime = cli._runtime()
    inbox = work / "inbox"
    feed = FeedConfig(
        name="bench",
        source=str(inbox),
        settle_seconds=settle,
        poll_seconds=0.5,
        concurrency=concurrency,
    )
    workers = FeedWorkers(runtime.catalogue(), [feed])
    workers.start()
    time.sleep(0.5)  # the watcher is up
    started = time.perf_counter()
    for number, path in enumerate(files):
        if rate > 0:  # an agency's steady trickle rather than one burst
            time.sleep(max(0.0, started + number / rate - time.perf_counter()))
        temp = inbox / f"{path.name}.part"
        shutil.copyfile(path, temp)
        os.replace(temp, inbox / path.name)
    done, rejected = inbox / "done", inbox / "rejected"
    while True:
        handled = sum(1 for _ in done.iterdir()) + sum(
            1 for p in rejected.iterdir() if not p.name.endswith(".reason.txt")
        )
        if handled >= len(files):
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    runner = workers.runners[0]
    workers.stop()
    return elapsed, runner.progress.lags, runner.progress.rejected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--settle", type=float, default=0.5)
    parser.add_argument(
        "--rate", type=float, default=0.0, help="drop N files/s (default: all at once)"
    )
    parser.add_argument("--concurrency", type=int, default=2, help="the feed's concurrency")
    parser.add_argument("--tmp", type=Path, default=None, help="where to build the folders")
    args = parser.parse_args()
    if args.tmp is not None:
        args.tmp.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rightsdesk-feed-bench-", dir=args.tmp) as temp:
        work = Path(temp)
        files = make_files(work / "files", args.files)
        ingest_s = bench_ingest(work / "files", work)
        feed_s, lags, rejected = bench_feed(files, work, args.settle, args.rate, args.concurrency)
    ingest_rate = args.files / ingest_s
    feed_rate = args.files / feed_s
    lags.sort()
    p95 = lags[int(len(lags) * 0.95)] if lags else float("nan")
    print(f"files: {args.files} (corpus JPEGs made unique; {rejected} refused by both paths)")
    print(f"rightsdesk ingest: {ingest_s:.1f} s, {ingest_rate:.0f} files/s")
    print(
        f"feed (watched folder, settle {args.settle}s, concurrency {args.concurrency}"
        f"{f', dropped at {args.rate:g}/s' if args.rate else ', dropped at once'}):"
        f" {feed_s:.1f} s, {feed_rate:.0f} files/s"
        f" = {feed_rate / ingest_rate:.0%} of ingest"
    )
    print(f"lag arrival -> catalogue: p50 {statistics.median(lags):.2f} s, p95 {p95:.2f} s")


if __name__ == "__main__":
    main()
