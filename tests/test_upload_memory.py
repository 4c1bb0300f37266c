"""A 200 MB upload grows the server's memory by less than 64 MB (issue #4 point 6).

The real server runs in a subprocess and its peak RSS is read from /proc, as in
benches/bench_upload_memory.py, which prints the same figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benches.bench_upload_memory import BUDGET_MB, CAPTION, MB, measure_upload

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/proc/self/status").exists(), reason="reads the server's RSS from Linux /proc"
    ),
]


@pytest.mark.parametrize("shape", ["pixels", "padding"])
def test_200_mb_upload_grows_server_memory_by_less_than_64_mb(shape: str, tmp_path: Path) -> None:
    measured = measure_upload(shape, 200 * MB, tmp_path)
    assert measured.status == 201
    assert measured.caption == CAPTION.decode()  # the rights were read from the large file
    assert measured.file_bytes > 190 * MB
    assert measured.growth_mb < BUDGET_MB, (
        f"peak RSS grew by {measured.growth_mb:.1f} MB during a"
        f" {measured.file_bytes / MB:.0f} MB upload"
    )
