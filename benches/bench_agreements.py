"""The publishing hook with and without agreements, in one run, driven by wrk.

Loads bench_check's SQLite catalogue (10,000 assets), serves it with one worker, and measures
`/healthz`, a single-asset check and a batch of 100 in alternating rounds: without
agreements, then with a default agreement, a priced EPA agreement with a monthly quota and a
Reuters one limited to editorial use, then without again... Each figure is printed beside
`/healthz` of the same round, and the slowdown with agreements (goal: within 10%).
Run: `.venv/bin/python benches/bench_agreements.py [--assets N] [--seconds S] [--rounds R]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assets.agreements import list_agreements, put_agreement, remove_agreement  # noqa: E402
from assets.db import make_engine, session_scope  # noqa: E402
from benches.bench_check import ensure_wrk, load_sqlite, measure_all, serving  # noqa: E402
from rights import Agreement, Cost, Purpose  # noqa: E402

console = Console()
KINDS = ("healthz", "by id", "batch 100")
AGREEMENTS = (
    Agreement(supplier=None, cost=Cost.CONDITIONAL),
    Agreement(supplier="EPA", cost=Cost.PAY, price=Decimal("12.50"), currency="EUR", quota=10**6),
    Agreement(supplier="Reuters", cost=Cost.FREE, purposes=(Purpose.EDITORIAL,)),
)


def set_agreements(url: str, on: bool) -> None:
    """Store the agreements, or end them all (the server notices at its next check)."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        if on:
            for agreement in AGREEMENTS:
                put_agreement(session, agreement, "bench")
        else:
            for row in list_agreements(session):
                remove_agreement(session, row.id, "bench")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    wrk = ensure_wrk()
    ratios: dict[tuple[bool, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'rightsdesk.db'}"
        with console.status(f"loading {args.assets:,} assets"):
            ids, refs = load_sqlite(url, args.assets)
        with serving(url, workers=1) as base:
            for round_number in range(args.rounds):
                for on in (False, True):
                    set_agreements(url, on)
                    label = "with" if on else "without"
                    console.print(f"round {round_number + 1}: {label} agreements")
                    results = measure_all(
                        wrk, base, ids, refs, args.seconds, args.connections, KINDS
                    )
                    reference = results["healthz"].rps
                    for kind in KINDS[1:]:
                        ratios.setdefault((on, kind), []).append(results[kind].rps / reference)
                set_agreements(url, False)
    table = Table(title="checks per second / /healthz per second, same round (median)")
    for column in ("check", "without agreements", "with agreements", "with / without"):
        table.add_column(column)
    for kind in KINDS[1:]:
        without = statistics.median(ratios[(False, kind)])
        with_ = statistics.median(ratios[(True, kind)])
        table.add_row(kind, f"{without:.3f}", f"{with_:.3f}", f"{with_ / without:.3f}")
    console.print(table)
    console.print("goal: with / without ≥ 0.90")


if __name__ == "__main__":
    main()
