"""The desk's server time on a catalogue of 10,000 pictures (SQLite): the grid of 50 with its
badges and filter counts, a search, a filtered grid, the next page, and a picture's detail.

    python benches/bench_desk.py                 # 10,000 assets, goal: grid p95 < 300 ms
    python benches/bench_desk.py --rows 50000

Rows are written straight into the catalogue (captions parsed once per kind, as ingest would
store them), with a few leases so badges take the lease path too. Each page is requested
through the real app in-process by a signed-in session (cookie, CSRF, role check and all), so
the time is the server's: routing, queries, the rights check of every card, the template.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from api.app import create_app  # noqa: E402
from api.runtime import Runtime  # noqa: E402
from assets.catalogue import replace_restriction_index  # noqa: E402
from assets.config import Settings  # noqa: E402
from assets.db import session_scope  # noqa: E402
from assets.keys import Role, create_key  # noqa: E402
from assets.metadata import EmbeddedMetadata  # noqa: E402
from assets.migrations import upgrade  # noqa: E402
from assets.rights_reading import read_rights, record_to_json  # noqa: E402
from assets.tables import Asset, Lease  # noqa: E402

console = Console()
GOAL_MS = 300.0

CAPTIONS = [
    "{ref} Supporters wave flags during a rally in {place}, {day}. EPA/MOHAMMED BADRA",
    "Firefighters work near {place}, {day}. Air Force/Handout via REUTERS THIS IMAGE HAS BEEN"
    " SUPPLIED BY A THIRD PARTY. NO RESALES. NO ARCHIVES.",
    "Players celebrate in {place}, {day}. EPA/NEIL HALL EDITORIAL USE ONLY",
    "The crew poses in {place}, {day}. NASA/Handout via REUTERS MANDATORY CREDIT",
    "Old town of {place}, {day}. EPA/ANTONIO BAT EMBARGOED UNTIL 20 DECEMBER 2099 00:01 GMT",
    "The president speaks in {place}, {day}. EPA/POOL NO USE IN FRANCE, GERMANY",
    "Wind turbines near {place}, {day}. (Photo by Sean Gallup/Getty Images)",
    "{ref} Troops train near {place}, {day}. EPA/MINISTRY OF DEFENCE HANDOUT HANDOUT EDITORIAL"
    " USE ONLY/NO SALES",
    "Activists block a road in {place}, {day}. ANSA/ANGELO CARCONI",
    "Rescue workers search the rubble in {place}, {day}. REUTERS/Umit Bektas",
    "A skier competes in {place}, {day}. (AP Photo/Giovanni Auletta)",
    "Protesters march in {place}, {day}. AFP PHOTO / HANDOUT / RESTRICTED TO EDITORIAL USE",
]
PLACES = ["Paris, France", "Berlin, Germany", "Kyiv, Ukraine", "Rome, Italy", "Lagos, Nigeria"]


def load(runtime: Runtime, rows: int, seed: int) -> None:
    """`rows` assets over the last two years, stored as ingest stores them."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with session_scope(runtime.engine) as session:
        for number in range(rows):
            template = CAPTIONS[number % len(CAPTIONS)]
            ref = f"epa{10_000_000 + number:08d}"
            caption = template.format(ref=ref, place=rng.choice(PLACES), day="12 March 2026")
            record = read_rights(caption, EmbeddedMetadata())
            created = now - timedelta(seconds=rng.randrange(2 * 365 * 86400))
            asset = Asset(
                sha256=secrets.token_hex(32),
                filename=f"picture{number}.jpg",
                media_type="image/jpeg",
                width=1600,
                height=1067,
                bytes=350_000,
                caption=caption,
                caption_origin="iptc",
                created_at=created,
                updated_at=created,
                rights=record_to_json(record),
                agency=record.agency,
                agency_ref=record.agency_ref,
                source=record.source,
                handout=record.handout,
                parser_version=record.parser_version,
            )
            session.add(asset)
            session.flush()
            replace_restriction_index(session, asset)
            if number % 500 == 0:
                session.add(
                    Lease(
                        scope="asset",
                        target=asset.id,
                        effect="allow",
                        purposes=["sale"],
                        reason="bench",
                    )
                )
        session.add(Lease(scope="agency", target="ANSA", effect="deny", reason="bench"))


def sign_in(client: TestClient, runtime: Runtime) -> None:
    with session_scope(runtime.engine) as session:
        _row, key = create_key(session, "bench", Role.ADMIN)
    form = client.get("/sign-in").text
    nonce = re.search(r'name="nonce" value="([^"]+)"', form)
    assert nonce
    answer = client.post(
        "/sign-in", data={"api_key": key, "nonce": nonce.group(1)}, follow_redirects=False
    )
    assert answer.status_code == 303


def timed(client: TestClient, path: str, samples: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request. The app runs in this process, so its CPU
    time is the server's work even when other programs share the cores (wall time is not)."""
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    for _ in range(samples):
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = client.get(path)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, path
    return sorted(wall), sorted(cpu)


def p95(values: list[float]) -> float:
    return values[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), auth="on")
        runtime = Runtime.from_settings(settings)
        upgrade(runtime.engine)
        started = time.perf_counter()
        load(runtime, args.rows, args.seed)
        console.print(f"loaded {args.rows:,} assets in {time.perf_counter() - started:.1f} s")
        with TestClient(create_app(runtime=runtime)) as client:
            sign_in(client, runtime)
            first = client.get("/").text
            cursor = re.search(r'href="/\?cursor=([0-9a-f]+)"', first)
            detail = re.search(r'href="/assets/([0-9a-f]{32})"', first)
            assert cursor and detail
            client.get("/use?purpose=sale&channel=web&territory=GB")
            pages = {
                "grid of 50, newest": "/",
                "grid, next page": f"/?cursor={cursor.group(1)}",
                "grid, agency filter": "/?agency=EPA",
                "grid, restriction filter": "/?restriction=EDITORIAL_USE_ONLY",
                "grid, search": "/?q=rally",
                "grid, search + filter": "/?q=Paris&agency=EPA",
                "detail": f"/assets/{detail.group(1)}",
            }
            table = Table(title=f"desk server time on {args.rows:,} assets (SQLite), ms")
            for column in ("page", "wall p50", "wall p95", "CPU p50", "CPU p95"):
                table.add_column(column, justify="right" if column != "page" else "left")
            worst = 0.0
            for name, path in pages.items():
                wall, cpu = timed(client, path, args.samples)
                if name.startswith("grid"):
                    worst = max(worst, p95(cpu))
                table.add_row(
                    name,
                    f"{statistics.median(wall):.1f}",
                    f"{p95(wall):.1f}",
                    f"{statistics.median(cpu):.1f}",
                    f"{p95(cpu):.1f}",
                )
            console.print(table)
        runtime.engine.dispose()
    verdict = "[green]meets[/]" if worst < GOAL_MS else "[red]misses[/]"
    busy = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    console.print(f"slowest grid CPU p95 {worst:.1f} ms: {verdict} the {GOAL_MS:.0f} ms goal")
    console.print(f"(load average {busy} on {os.cpu_count()} cores: wall time includes waiting)")
    if worst >= GOAL_MS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
