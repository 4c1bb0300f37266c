"""Mixed load against a real server: uploads, lookups and rights checks, for a fixed time.

    python benches/bench_load.py [--duration 60] [--workers 4] [--database-url URL]
    python benches/bench_load.py --corpus-only      # only the corpus ingest comparison

First, the corpus ingest comparison: every image of the shared corpus (RIGHTSDESK_SHARED,
default /work/shared: corpus/images and corpus/agency/images) is stored by `rightsdesk ingest`
into a fresh catalogue, and the same files are uploaded through HTTP into another (one client,
then --workers clients), each as files/s with MB/s, beside the server's resident memory
(now and at its peak). The server draws each upload's renditions off the request path, after
its answer: how many were drawn when the last upload answered, how long the rest took, and the
server's peak memory once all are drawn are printed too, so that work is not hidden.

Starts `rightsdesk serve` on 127.0.0.1 (a free port, a fresh data folder, SQLite unless
--database-url is given), stores a few images, then runs `--workers` client threads for
`--duration` seconds, each picking at random: upload a new image (1 in 10), look one up by id,
by agency reference or in a listing page (4 in 10), or check rights for 1 to 5 assets (5 in
10). Prints throughput, the error count (anything but the expected status, or no answer) and
p50/p99 latency per route, then stops the server. Exits 1 when there was any error.

Only ever talks to the server it started, on the loopback interface.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benches.served import free_port, wait_ready  # noqa: E402

HOST = "127.0.0.1"
PURPOSES = ["editorial", "commercial", "advertising", "marketing", "sale", "syndication", "archive"]
CHANNELS = ["print", "web", "app", "social", "broadcast", "newsletter"]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            if error:
                self.errors[route] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{route}: {error}")


@dataclass
class Catalogue:
    ids: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0

    def add(self, asset_id: str, ref: str | None) -> None:
        with self.lock:
            self.ids.append(asset_id)
            if ref:
                self.refs.append(ref)

    def next_number(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter


def new_image(number: int) -> tuple[bytes, str, str]:
    """A distinct small JPEG and an EPA-style caption carrying its own reference."""
    image = Image.new("RGB", (96, 64), (number % 251, (number * 7) % 253, (number * 13) % 255))
    image.putpixel((0, 0), (number % 256, (number >> 8) % 256, (number >> 16) % 256))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    ref = f"epa{10_000_000 + number:08d}"
    caption = (
        f"{ref} Picture {number} of the load run, taken in Kyiv, Ukraine, 09 January 2026."
        " EPA/JOHN DOE HANDOUT EDITORIAL USE ONLY/NO SALES"
    )
    return buffer.getvalue(), caption, ref


def start_server(data_dir: Path, database_url: str | None) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("RIGHTSDESK_AUTH", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    port = free_port()
    log = (data_dir.parent / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", HOST, "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{HOST}:{port}"
    wait_ready(process, url, Path(log.name))
    return process, url


def make_key(data_dir: Path, database_url: str | None, role: str) -> str:
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "keys",
            "create",
            "--role",
            role,
            "--name",
            f"bench-{role}",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def upload(http: httpx.Client, catalogue: Catalogue, stats: Stats) -> None:
    data, caption, ref = new_image(catalogue.next_number())
    started = time.perf_counter()
    try:
        response = http.post(
            "/v1/assets",
            data={"caption": caption},
            files={"file": (f"{ref}.jpg", data, "image/jpeg")},
        )
    except httpx.HTTPError as exc:
        stats.record("POST /v1/assets", time.perf_counter() - started, repr(exc))
        return
    ok = response.status_code in (200, 201)
    stats.record(
        "POST /v1/assets",
        time.perf_counter() - started,
        None if ok else f"{response.status_code} {response.text[:200]}",
    )
    if ok:
        catalogue.add(response.json()["id"], response.json()["rights"].get("agency_ref"))


def timed_get(
    http: httpx.Client,
    route: str,
    path: str,
    stats: Stats,
    params: dict[str, str | int] | None = None,
) -> None:
    started = time.perf_counter()
    try:
        response = http.get(path, params=params)
    except httpx.HTTPError as exc:
        stats.record(route, time.perf_counter() - started, repr(exc))
        return
    stats.record(
        route,
        time.perf_counter() - started,
        None if response.status_code == 200 else f"{response.status_code} {response.text[:200]}",
    )


def lookup(http: httpx.Client, catalogue: Catalogue, stats: Stats, rng: random.Random) -> None:
    kind = rng.random()
    if kind < 0.5:
        timed_get(http, "GET /v1/assets/{id}", f"/v1/assets/{rng.choice(catalogue.ids)}", stats)
    elif kind < 0.8 and catalogue.refs:
        timed_get(
            http,
            "GET /v1/assets/by-ref/{ref}",
            f"/v1/assets/by-ref/{rng.choice(catalogue.refs)}",
            stats,
        )
    else:
        timed_get(
            http,
            "GET /v1/assets",
            "/v1/assets",
            stats,
            {"limit": 20, "agency": "EPA", "restriction": "NO_SALES"},
        )


def check(hook: httpx.Client, catalogue: Catalogue, stats: Stats, rng: random.Random) -> None:
    keys = [
        rng.choice(catalogue.ids if rng.random() < 0.6 or not catalogue.refs else catalogue.refs)
        for _ in range(rng.randint(1, 5))
    ]
    body = {
        "assets": keys,
        "use": {
            "purpose": rng.choice(PURPOSES),
            "channel": rng.choice(CHANNELS),
            "territory": "GB",
        },
    }
    started = time.perf_counter()
    try:
        response = hook.post("/v1/rights/check", json=body)
    except httpx.HTTPError as exc:
        stats.record("POST /v1/rights/check", time.perf_counter() - started, repr(exc))
        return
    error = None
    if response.status_code != 200:
        error = f"{response.status_code} {response.text[:200]}"
    elif len(response.json()["results"]) != len(keys):
        error = "not one result per asset"
    stats.record("POST /v1/rights/check", time.perf_counter() - started, error)


def worker(
    url: str,
    editor_key: str,
    hook_key: str,
    catalogue: Catalogue,
    stats: Stats,
    until: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    with (
        httpx.Client(
            base_url=url, timeout=30, headers={"Authorization": f"Bearer {editor_key}"}
        ) as http,
        httpx.Client(
            base_url=url, timeout=30, headers={"Authorization": f"Bearer {hook_key}"}
        ) as hook,
    ):
        while time.monotonic() < until:
            pick = rng.random()
            if pick < 0.1:
                upload(http, catalogue, stats)
            elif pick < 0.5:
                lookup(http, catalogue, stats, rng)
            else:
                check(hook, catalogue, stats, rng)


def corpus_files() -> list[Path]:
    shared = Path(os.environ.get("RIGHTSDESK_SHARED", "/work/shared"))
    folders = [shared / "corpus" / "images", shared / "corpus" / "agency" / "images"]
    return sorted(
        p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()
    )


def server_memory(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB (Linux /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def local_ingest(files: list[Path], data_dir: Path) -> float:
    """`rightsdesk ingest` of the files into a fresh catalogue; seconds it took (whole command:
    start-up and migrations included, as an operator runs it)."""
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "api.cli", "db", "upgrade"],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=True,
    )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", *map(str, files)],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - started


def http_ingest(url: str, key: str, files: list[Path], clients: int) -> tuple[float, int]:
    """Upload every file through HTTP with `clients` threads; seconds, refused count."""
    pending = list(files)
    lock = threading.Lock()
    refused = 0

    def run() -> None:
        nonlocal refused
        with httpx.Client(
            base_url=url, timeout=120, headers={"Authorization": f"Bearer {key}"}
        ) as http:
            while True:
                with lock:
                    if not pending:
                        return
                    path = pending.pop()
                response = http.post("/v1/assets", files={"file": (path.name, path.read_bytes())})
                if response.status_code not in (200, 201):
                    with lock:
                        refused += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, refused


def rendition_progress(data_dir: Path) -> tuple[int, int]:
    """(sources with renditions, stored sources) in the server's SQLite catalogue."""
    with sqlite3.connect(data_dir / "rightsdesk.db", timeout=30) as connection:
        drawn, stored = connection.execute(
            "SELECT (SELECT count(DISTINCT source_sha256) FROM rendition),"
            " (SELECT count(DISTINCT sha256) FROM asset)"
        ).fetchone()
    return int(drawn), int(stored)


def wait_for_renditions(data_dir: Path, limit: float = 300.0) -> tuple[int, float]:
    """Sources drawn when called, and seconds until every stored source has renditions."""
    started = time.perf_counter()
    first, stored = rendition_progress(data_dir)
    drawn = first
    while drawn < stored and time.perf_counter() - started < limit:
        time.sleep(0.1)
        drawn, stored = rendition_progress(data_dir)
    return first, time.perf_counter() - started


def corpus_comparison(workers: int) -> None:
    files = corpus_files()
    if not files:
        print("corpus ingest: no corpus (set RIGHTSDESK_SHARED); skipped")
        return
    size = sum(p.stat().st_size for p in files) / 1e6
    with tempfile.TemporaryDirectory(prefix="rightsdesk-bench-") as scratch:
        local_dir = Path(scratch) / "local"
        local_dir.mkdir()
        local = local_ingest(files, local_dir)
        results = []
        drawing = []
        for clients in sorted({1, workers}):
            data_dir = Path(scratch) / f"http{clients}"
            data_dir.mkdir()
            process, url = start_server(data_dir, None)
            try:
                first_key = data_dir / "admin-key.txt"
                key = (
                    first_key.read_text().strip()
                    if first_key.exists()
                    else make_key(data_dir, None, "admin")
                )
                _, before = server_memory(process.pid)
                seconds, refused = http_ingest(url, key, files, clients)
                rss, peak = server_memory(process.pid)
                drawn_at_end, catching_up = wait_for_renditions(data_dir)
                drawn, stored = rendition_progress(data_dir)
                _, drawn_peak = server_memory(process.pid)
                results.append((clients, seconds, refused, before, rss, peak))
                drawing.append((clients, drawn_at_end, drawn, stored, catching_up, drawn_peak))
            finally:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    print(f"corpus ingest: {len(files)} files, {size:.1f} MB (SQLite, local blob folder)")
    print(
        f"  rightsdesk ingest (reference): {local:6.2f} s = {len(files) / local:6.1f} files/s"
        f" = {size / local:5.1f} MB/s"
    )
    for clients, seconds, refused, before, rss, peak in results:
        print(
            f"  HTTP, {clients} client(s):        {seconds:6.2f} s = {len(files) / seconds:6.1f}"
            f" files/s = {size / seconds:5.1f} MB/s ({refused} refused);"
            f" ratio to ingest {local / seconds:.2f};"
            f" server RSS {before:.0f} MB idle, {rss:.0f} MB after, peak {peak:.0f} MB"
        )
    for clients, drawn_at_end, drawn, stored, catching_up, drawn_peak in drawing:
        print(
            f"  renditions, {clients} client(s): {drawn_at_end} of {stored} sources drawn when"
            f" the last upload answered, {drawn} after {catching_up:.2f} s more;"
            f" server RSS peak {drawn_peak:.0f} MB once drawn"
        )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def report(stats: Stats, seconds: float, workers: int, database: str) -> int:
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    print(
        f"rightsdesk mixed load: {seconds:.0f} s, {workers} client threads, {database},"
        f" server on {HOST}"
    )
    print(
        f"{'route':32} {'requests':>9} {'req/s':>8} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'max ms':>8}"
    )
    for route in sorted(stats.latencies):
        values = stats.latencies[route]
        print(
            f"{route:32} {len(values):9d} {len(values) / seconds:8.1f} {stats.errors[route]:7d}"
            f" {percentile(values, 0.5) * 1000:8.1f} {percentile(values, 0.99) * 1000:8.1f}"
            f" {max(values) * 1000:8.1f}"
        )
    print(f"{'total':32} {total:9d} {total / seconds:8.1f} {errors:7d}")
    for sample in stats.samples:
        print(f"  error: {sample}")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="client threads")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL to serve from (default: SQLite in a temp folder)",
    )
    parser.add_argument("--seed-images", type=int, default=50, help="images stored first")
    parser.add_argument("--corpus-only", action="store_true", help="only the corpus comparison")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus comparison")
    args = parser.parse_args(argv)
    if not args.no_corpus:
        corpus_comparison(args.workers)
        if args.corpus_only:
            return 0

    with tempfile.TemporaryDirectory(prefix="rightsdesk-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        data_dir.mkdir()
        process, url = start_server(data_dir, args.database_url)
        try:
            first_key = data_dir / "admin-key.txt"  # absent when the database had keys already
            admin_key = (
                first_key.read_text().strip()
                if first_key.exists()
                else make_key(data_dir, args.database_url, "admin")
            )
            hook_key = make_key(data_dir, args.database_url, "hook")
            catalogue, warmup = Catalogue(), Stats()
            with httpx.Client(
                base_url=url, timeout=30, headers={"Authorization": f"Bearer {admin_key}"}
            ) as http:
                for _ in range(args.seed_images):
                    upload(http, catalogue, warmup)
            if warmup.errors or not catalogue.ids:
                print("could not store the first images:", *warmup.samples, sep="\n  ")
                return 1
            stats = Stats()
            started = time.monotonic()
            until = started + args.duration
            threads = [
                threading.Thread(
                    target=worker, args=(url, admin_key, hook_key, catalogue, stats, until, n)
                )
                for n in range(args.workers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        database = re.sub(r"//[^@/]*@", "//", args.database_url) if args.database_url else "SQLite"
        return report(stats, elapsed, args.workers, database)


if __name__ == "__main__":
    raise SystemExit(main())
