"""The publishing hook with and without agreements, in one run, through HTTP.

Loads the catalogue of bench_check.py (10,000 assets), starts `rightsdesk serve` and measures
single-asset and 100-asset checks in alternating rounds: without agreements, then with a
default agreement, a priced EPA agreement with a monthly quota and a Reuters one limited to
editorial use, then without again... Prints both figures and the slowdown (goal: within 10%).
Run: `.venv/bin/python benches/bench_agreements.py [--assets N] [--seconds S] [--rounds R]`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benches.bench_check import drive, free_port, load_catalogue, pct, wait_ready  # noqa: E402

console = Console()
AGREEMENTS = [
    {"cost": "free"},
    {
        "supplier": "EPA",
        "cost": "pay",
        "price": "12.50",
        "currency": "EUR",
        "channels": ["web", "print"],
        "quota": 100_000,
    },
    {"supplier": "Reuters", "cost": "conditional", "purposes": ["editorial"]},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
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

        runs: dict[tuple[str, str], list[list[float]]] = {}
        try:
            wait_ready(base)
            with httpx.Client(base_url=base, timeout=10) as client:
                for warm in (single, batch):
                    drive(client, 1.0, warm)
                for _ in range(args.rounds):
                    for mode in ("without", "with"):
                        _set_agreements(client, on=mode == "with")
                        drive(client, 0.5, single)  # settle caches after the change
                        for name, request in (("single", single), ("batch", batch)):
                            lat = drive(client, args.seconds, request)
                            runs.setdefault((mode, name), []).append(lat)
                sample = single(client).json()["results"][0]
        finally:
            server.terminate()
            server.wait(timeout=10)

    table = Table(title=f"rights check with and without agreements, {args.assets:,} assets")
    for column in ("measure", "agreements", "rps", "p50 ms", "p99 ms"):
        table.add_column(column, justify="right")
    rps: dict[tuple[str, str], float] = {}
    for (mode, name), rounds in runs.items():
        lat = [x for r in rounds for x in r]
        rps[(mode, name)] = statistics.median(len(r) / sum(r) for r in rounds)
        table.add_row(
            name, mode, f"{rps[(mode, name)]:,.0f}", f"{pct(lat, 0.5):.2f}", f"{pct(lat, 0.99):.2f}"
        )
    console.print(table)
    for name in ("single", "batch"):
        slower = 1 - rps[("with", name)] / rps[("without", name)]
        console.print(f"{name}: with agreements {slower:+.1%} slower (goal: within 10%)")
    console.print(f"a check with agreements answers cost={sample['cost']!r}")


def _set_agreements(client: httpx.Client, *, on: bool) -> None:
    for row in client.get("/v1/agreements").json():
        client.delete(f"/v1/agreements/{row['id']}")
    if on:
        for body in AGREEMENTS:
            response = client.post("/v1/agreements", json=body)
            if response.status_code != 200:
                raise SystemExit(f"agreement refused: {response.text[:200]}")


if __name__ == "__main__":
    main()
