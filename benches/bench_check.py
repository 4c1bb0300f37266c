"""The publishing hook under load, through HTTP.

Loads 10,000 assets into a fresh SQLite catalogue, starts `rightsdesk serve` (uvicorn, one
worker) on 127.0.0.1, and drives it from this process over keep-alive connections:

- single-asset check: requests/s, p50 and p99 latency
- batch of 100 assets: p50 and p99 latency
- the same app's trivial endpoint (/healthz) requests/s, measured in the same run

and prints the ratio check rps / trivial rps (goal >= 0.8, at least 0.5) and the batch p99
(goal < 20 ms). Run: `.venv/bin/python benches/bench_check.py [--assets N] [--seconds S]`.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assets.db import make_engine  # noqa: E402
from assets.ids import new_id  # noqa: E402
from assets.metadata import EmbeddedMetadata  # noqa: E402
from assets.migrations import upgrade  # noqa: E402
from assets.rights_reading import read_rights, record_to_json  # noqa: E402
from assets.tables import Asset, AssetRestriction  # noqa: E402

console = Console()
CAPTIONS = [
    "epa{ref} A handout photo of the ministry. EPA/MINISTRY PRESS SERVICE/HANDOUT HANDOUT"
    " EDITORIAL USE ONLY/NO SALES",
    "Protesters march in Paris, France, 3 March 2024. REUTERS/Jane Doe",
    "A view of the harbour. EPA-EFE/JOHN SMITH",
    "Fans cheer. (AP Photo/Mary Roe) NO SALES. NO ARCHIVES.",
]


def load_catalogue(url: str, count: int) -> list[str]:
    """Insert `count` assets with parsed rights, in bulk; returns their ids."""
    engine = make_engine(url)
    upgrade(engine)
    records = []
    for template in CAPTIONS:
        caption = template.format(ref="00000000")
        records.append((template, record_to_json(read_rights(caption, EmbeddedMetadata()))))
    ids: list[str] = []
    assets, restrictions = [], []
    for n in range(count):
        template, rights = records[n % len(records)]
        asset_id = new_id()
        ids.append(asset_id)
        ref = f"epa{n:08d}" if "{ref}" in template else None
        assets.append(
            Asset(
                id=asset_id,
                sha256=f"{n:064x}",
                media_type="image/jpeg",
                bytes=1000,
                caption=template.format(ref=f"{n:08d}"),
                agency=rights["agency"],
                agency_ref=ref,
                source=rights["source"],
                handout=rights["handout"],
                parser_version=rights["parser_version"],
                rights={**rights, "agency_ref": ref},
            ).model_dump()
        )
        for code in {r["code"] for r in rights["restrictions"]}:
            restrictions.append({"asset_id": asset_id, "code": code})
    with engine.begin() as connection:
        connection.execute(Asset.__table__.insert(), assets)  # type: ignore[attr-defined]
        if restrictions:
            connection.execute(AssetRestriction.__table__.insert(), restrictions)  # type: ignore[attr-defined]
    engine.dispose()
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, deadline: float = 60) -> None:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not become ready within a minute")


def drive(client: httpx.Client, seconds: float, request: object) -> list[float]:
    """Call `request(client)` back to back for `seconds`; returns latencies in seconds."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        started = time.perf_counter()
        response = request(client)  # type: ignore[operator]
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"unexpected {response.status_code}: {response.text[:200]}")
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        url = f"sqlite:///{data_dir / 'rightsdesk.db'}"
        with console.status(f"loading {args.assets:,} assets"):
            ids = load_catalogue(url, args.assets)
        port = free_port()
        env = {
            **os.environ,
            "RIGHTSDESK_DATA_DIR": str(data_dir),
            "DATABASE_URL": url,
            "RIGHTSDESK_AUTH": "off",
            "RIGHTSDESK_LOG_LEVEL": "warning",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base)
            rng = random.Random(7)
            purposes = ["editorial", "commercial", "sale", "advertising"]

            def single(client: httpx.Client) -> httpx.Response:
                return client.post(
                    "/v1/rights/check",
                    json={
                        "assets": [rng.choice(ids)],
                        "use": {"purpose": rng.choice(purposes), "channel": "web"},
                    },
                )

            def batch(client: httpx.Client) -> httpx.Response:
                return client.post(
                    "/v1/rights/check",
                    json={"assets": rng.sample(ids, 100), "use": {"purpose": "editorial"}},
                )

            def trivial(client: httpx.Client) -> httpx.Response:
                return client.get("/healthz")

            with httpx.Client(base_url=base, timeout=10) as client:
                for warm in (single, batch, trivial):
                    drive(client, 1.0, warm)
                trivial_lat = drive(client, args.seconds, trivial)
                single_lat = drive(client, args.seconds, single)
                batch_lat = drive(client, args.seconds, batch)
        finally:
            server.terminate()
            server.wait(timeout=10)

    trivial_rps = len(trivial_lat) / sum(trivial_lat)
    single_rps = len(single_lat) / sum(single_lat)
    table = Table(title=f"rights check over HTTP, {args.assets:,} assets, one worker")
    for column in ("measure", "rps", "p50 ms", "p99 ms"):
        table.add_column(column, justify="right")
    table.add_row(
        "GET /healthz (reference)",
        f"{trivial_rps:,.0f}",
        f"{pct(trivial_lat, 0.5):.2f}",
        f"{pct(trivial_lat, 0.99):.2f}",
    )
    table.add_row(
        "check, 1 asset",
        f"{single_rps:,.0f}",
        f"{pct(single_lat, 0.5):.2f}",
        f"{pct(single_lat, 0.99):.2f}",
    )
    table.add_row(
        "check, batch of 100",
        f"{len(batch_lat) / sum(batch_lat):,.0f}",
        f"{pct(batch_lat, 0.5):.2f}",
        f"{pct(batch_lat, 0.99):.2f}",
    )
    console.print(table)
    console.print(
        f"ratio single-check rps / trivial rps: {single_rps / trivial_rps:.2f} (goal >= 0.8)"
    )
    console.print(
        f"batch of 100 p99: {pct(batch_lat, 0.99):.2f} ms (goal < 20 ms);"
        f" mean {statistics.mean(batch_lat) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
