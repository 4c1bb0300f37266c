"""One clock and one UTC rule: naive instants are UTC everywhere, and "now" is read once.

The policy takes `now` from its caller; if the route, the catalogue and the policy each read
the clock, one batch could be judged at two instants (an embargo lifting in between).
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assets import checks
from assets.tables import UTCDateTime
from rights.moment import utc

ROOT = Path(__file__).resolve().parent.parent
CLOCK = ROOT / "assets" / "clock.py"


def _reads_the_clock(path: Path) -> list[int]:
    """Lines of `path` that call datetime.now / utcnow / today / time.time directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"now", "utcnow", "today"}
            and isinstance(node.func.value, ast.Name | ast.Attribute)
            and (getattr(node.func.value, "id", None) or node.func.value.attr)  # type: ignore[union-attr]
            in {"datetime", "date"}
        ):
            lines.append(node.lineno)
    return lines


def test_the_service_reads_the_clock_only_in_assets_clock():
    sources = [
        p
        for package in ("api", "assets", "rights", "captions")
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts and p != CLOCK
    ]
    readers = {str(p.relative_to(ROOT)): lines for p in sources if (lines := _reads_the_clock(p))}
    assert readers == {}, "read the time with assets.clock.utcnow"


def test_a_batch_check_needs_the_callers_now():
    with pytest.raises(TypeError, match="now"):
        checks.check_assets(None, [], None)  # type: ignore[arg-type,call-arg]


@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_the_column_type_stores_and_reads_the_rule_of_rights_moment(naive, minutes):
    aware = naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    column = UTCDateTime()
    for moment in (naive, aware):
        stored = column.process_bind_param(moment, None)  # type: ignore[arg-type]
        assert stored == utc(moment) and stored.tzinfo is UTC
        read = column.process_result_value(stored.replace(tzinfo=None), None)  # type: ignore[arg-type]
        assert read == utc(moment) and read.tzinfo is UTC
