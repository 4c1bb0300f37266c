"""The publishing hook under load, through HTTP, driven by `wrk` (a C client that is not the
bottleneck).

    python benches/bench_check.py                  # SQLite 10,000 assets, PostgreSQL 1,000,000
    python benches/bench_check.py --quick          # SQLite 2,000, PostgreSQL 20,000, 4 s each
    python benches/bench_check.py --db sqlite      # one database only
    python benches/bench_check.py --pg-assets 100000 --keep-pg   # keep the PostgreSQL load

For each database it starts the app under uvicorn (one worker, auth off), and drives it
with `wrk` (1 thread, 16 keep-alive connections, 8 s per measure, a Lua script for the POSTs):

- `GET /healthz`: the same app's trivial endpoint, the reference of the run
- a check of one asset by id, one by agency reference, and a batch of 100 ids

each with requests/s and p50/p99, and prints the ratio of each check's rps to the reference
(goal >= 0.8, floor 0.5) and the batch p99 (goal < 20 ms). Then the same with two worker
processes: how rps scales on two cores (wrk shares them, so 2x is out of reach).

PostgreSQL: a database of its own (`rightsdesk_bench_check` on RIGHTSDESK_BENCH_PG_URL's
server, default postgresql+psycopg://postgres@127.0.0.1:5432/), created and dropped here,
loaded with `bench_scale`'s synthetic agency records (COPY, then indexes and VACUUM ANALYZE).
wrk is installed with apt-get when missing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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
from benches.debian_tools import ensure_command  # noqa: E402
from benches.served import free_port, wait_ready  # noqa: E402

console = Console()
CAPTIONS = [
    "epa{ref} A handout photo of the ministry. EPA/MINISTRY PRESS SERVICE/HANDOUT HANDOUT"
    " EDITORIAL USE ONLY/NO SALES",
    "Protesters march in Paris, France, 3 March 2024. REUTERS/Jane Doe",
    "A view of the harbour. EPA-EFE/JOHN SMITH",
    "Fans cheer. (AP Photo/Mary Roe) NO SALES. NO ARCHIVES.",
]
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
PG_DATABASE = "rightsdesk_bench_check"
PG_SCHEMA = "bench_check"
GOAL_RATIO, FLOOR_RATIO, GOAL_BATCH_P99_MS = 0.8, 0.5, 20.0
PURPOSES = ["editorial", "commercial", "sale", "advertising"]


# --- catalogues ----------------------------------------------------------------------------------


def load_sqlite(url: str, count: int) -> tuple[list[str], list[str]]:
    """Insert `count` assets with parsed rights, in bulk; returns their ids and references."""
    engine = make_engine(url)
    upgrade(engine)
    records = []
    for template in CAPTIONS:
        caption = template.format(ref="00000000")
        records.append((template, record_to_json(read_rights(caption, EmbeddedMetadata()))))
    ids: list[str] = []
    refs: list[str] = []
    assets, restrictions = [], []
    for n in range(count):
        template, rights = records[n % len(records)]
        asset_id = new_id()
        ids.append(asset_id)
        ref = f"epa{n:08d}" if "{ref}" in template else None
        if ref:
            refs.append(ref)
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
    return ids, refs


@contextmanager
def postgres_catalogue(
    server: str, rows: int, keep: bool
) -> Iterator[tuple[str, list[str], list[str]]]:
    """A database of its own holding `rows` of bench_scale's records; dropped unless `keep`."""
    import psycopg

    sys.path.insert(0, str(REPO / "benches"))
    import bench_scale

    admin = bench_scale.libpq_url(server.rstrip("/") + "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,))
        if not exists.fetchone():
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    url = server.rstrip("/") + "/" + PG_DATABASE
    try:
        if bench_scale.loaded_rows(url, PG_SCHEMA) == rows:
            console.print(f"reusing {PG_DATABASE}.{PG_SCHEMA} with {rows:,} assets")
            engine = make_engine(bench_scale.schema_url(url, PG_SCHEMA))
            upgrade(engine)  # a catalogue kept from an earlier version of the schema
            engine.dispose()
        else:
            bench_scale.load(url, PG_SCHEMA, rows, 20261125)
        ids, refs = bench_scale.sample_keys(url, PG_SCHEMA, 5000)
        yield bench_scale.schema_url(url, PG_SCHEMA), ids, refs
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


# --- wrk -----------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    return ensure_command("wrk", "wrk")


_DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d,'
    .. ' "non2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def lua_script(bodies: list[str] | None) -> str:
    """A wrk script: POST the bodies round-robin (each connection from its own offset)."""
    if bodies is None:
        return _DONE
    quoted = ",\n".join("[==[" + b + "]==]" for b in bodies)
    return (
        "local bodies = {\n" + quoted + "\n}\n"
        "local n = #bodies\nlocal i = 0\n"
        "setup = function(thread) end\n"
        "init = function(args) i = math.random(n) end\n"
        "request = function()\n"
        "  i = i % n + 1\n"
        "  return wrk.format('POST', '/v1/rights/check',"
        " {['Content-Type'] = 'application/json'}, bodies[i])\n"
        "end\n" + _DONE
    )


@dataclass
class Measure:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float


def run_wrk(
    wrk: str, base: str, path: str, script: str, seconds: float, connections: int, name: str
) -> Measure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            handle.name,
            base + path,
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    finally:
        os.unlink(handle.name)
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {name}:\n{out}")
    result = json.loads(line[len("RESULT ") :])
    if result["non2xx"] or result["socket_errors"]:
        raise SystemExit(
            f"{name}: {result['non2xx']} non-2xx answers, {result['socket_errors']} socket errors"
        )
    return Measure(
        name,
        result["requests"] / (result["duration_us"] / 1e6),
        result["p50_us"] / 1000,
        result["p99_us"] / 1000,
    )


def check_bodies(rng: random.Random, keys: list[str], per_body: int, count: int) -> list[str]:
    bodies = []
    for n in range(count):
        chosen = rng.sample(keys, per_body)
        purpose = "editorial" if per_body > 1 else PURPOSES[n % len(PURPOSES)]
        use = {"purpose": purpose, "channel": "web"} if per_body == 1 else {"purpose": purpose}
        bodies.append(json.dumps({"assets": chosen, "use": use}))
    return bodies


# --- server --------------------------------------------------------------------------------------


@contextmanager
def serving(url: str, workers: int) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {
            **os.environ,
            "RIGHTSDESK_DATA_DIR": str(Path(folder)),
            "DATABASE_URL": url,
            "RIGHTSDESK_AUTH": "off",
            "RIGHTSDESK_LOG_LEVEL": "warning",
        }
        log = (Path(folder) / "server.log").open("wb")
        # uvicorn as `rightsdesk serve --workers N` runs it, with a longer worker health check:
        # on a busy machine a worker's imports alone can take longer than uvicorn's default
        # 5 s, and it would be restarted again and again
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.asgi:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--timeout-worker-healthcheck",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(server, base, Path(folder) / "server.log", "/readyz")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure_all(
    wrk: str,
    base: str,
    ids: list[str],
    refs: list[str],
    seconds: float,
    connections: int,
    kinds: tuple[str, ...],
) -> dict[str, Measure]:
    rng = random.Random(7)
    scripts = {
        "healthz": ("/healthz", lua_script(None)),
        "by id": ("/v1/rights/check", lua_script(check_bodies(rng, ids, 1, 2000))),
        "by ref": ("/v1/rights/check", lua_script(check_bodies(rng, refs, 1, 2000))),
        "batch 100": ("/v1/rights/check", lua_script(check_bodies(rng, ids, 100, 200))),
    }
    results = {}
    for kind in kinds:  # warm every path (connections, the records each body names)
        path, script = scripts[kind]
        run_wrk(wrk, base, path, script, 1 if kind == "healthz" else 4, connections, kind)
    for kind in kinds:
        path, script = scripts[kind]
        results[kind] = run_wrk(wrk, base, path, script, seconds, connections, kind)
    return results


def report(title: str, results: dict[str, Measure], scaled: dict[str, Measure] | None) -> None:
    reference = results["healthz"].rps
    table = Table(title=title)
    for column in ("measure", "rps", "p50 ms", "p99 ms", "ratio to /healthz"):
        table.add_column(column, justify="right")
    for kind, m in results.items():
        ratio = "reference" if kind == "healthz" else f"{m.rps / reference:.2f}"
        table.add_row(kind, f"{m.rps:,.0f}", f"{m.p50_ms:.2f}", f"{m.p99_ms:.2f}", ratio)
    console.print(table)
    for kind in ("by id", "by ref"):
        ratio = results[kind].rps / reference
        verdict = (
            "goal met"
            if ratio >= GOAL_RATIO
            else ("above the floor" if ratio >= FLOOR_RATIO else "BELOW THE FLOOR")
        )
        console.print(
            f"  check {kind}: ratio {ratio:.2f} (goal >= {GOAL_RATIO},"
            f" floor {FLOOR_RATIO}): {verdict}"
        )
    p99 = results["batch 100"].p99_ms
    console.print(
        f"  batch of 100 p99: {p99:.2f} ms (goal < {GOAL_BATCH_P99_MS:.0f} ms):"
        f" {'goal met' if p99 < GOAL_BATCH_P99_MS else 'NOT MET'}"
    )
    if scaled:
        for kind, m in scaled.items():
            console.print(
                f"  --workers 2 / --workers 1, {kind}: {m.rps:,.0f} / "
                f"{results[kind].rps:,.0f} rps = {m.rps / results[kind].rps:.2f}x"
                f" (p99 {m.p99_ms:.2f} ms)"
            )


def bench(
    wrk: str, label: str, url: str, ids: list[str], refs: list[str], args: argparse.Namespace
) -> None:
    kinds = ("healthz", "by id", "by ref", "batch 100")
    with serving(url, 1) as base:
        results = measure_all(wrk, base, ids, refs, args.seconds, args.connections, kinds)
    scaled = None
    if not args.no_workers:
        with serving(url, 2) as base:
            scaled = measure_all(
                wrk,
                base,
                ids,
                refs,
                args.seconds,
                args.connections,
                ("healthz", "by id", "batch 100"),
            )
    report(
        f"rights check over HTTP, {label}, one worker, wrk -t1 -c{args.connections}"
        f" -d{args.seconds:g}s",
        results,
        scaled,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sqlite-assets", type=int, default=None, help="default 10,000")
    parser.add_argument("--pg-assets", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--seconds", type=float, default=None, help="per measure, default 8")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2,000 SQLite and 20,000 PostgreSQL assets, 4 s per measure",
    )
    parser.add_argument("--no-workers", action="store_true", help="skip the --workers 2 run")
    parser.add_argument(
        "--pg-server",
        default=os.environ.get("RIGHTSDESK_BENCH_PG_URL", PG_SERVER),
        help="a PostgreSQL server URL; the database name in it is ignored",
    )
    parser.add_argument(
        "--keep-pg",
        action="store_true",
        help="keep the PostgreSQL database (a later run with as many assets reuses it)",
    )
    args = parser.parse_args()
    args.sqlite_assets = args.sqlite_assets or (2_000 if args.quick else 10_000)
    args.pg_assets = args.pg_assets or (20_000 if args.quick else 1_000_000)
    args.seconds = args.seconds or (4.0 if args.quick else 8.0)
    server = args.pg_server.rsplit("/", 1)[0] + "/"
    wrk = ensure_wrk()

    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'rightsdesk.db'}"
            with console.status(f"loading {args.sqlite_assets:,} assets into SQLite"):
                ids, refs = load_sqlite(url, args.sqlite_assets)
            bench(wrk, f"SQLite, {args.sqlite_assets:,} assets", url, ids, refs, args)
    if args.db in ("postgres", "both"):
        with postgres_catalogue(server, args.pg_assets, args.keep_pg) as (url, ids, refs):
            bench(wrk, f"PostgreSQL, {args.pg_assets:,} assets", url, ids, refs, args)


if __name__ == "__main__":
    main()
