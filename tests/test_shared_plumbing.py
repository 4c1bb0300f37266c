"""The shared-data helpers skip on a developer's machine and fail a CI run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_pytest(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_needs_shared.py"
    test.write_text(
        textwrap.dedent(
            """
            from tests.shared import absent, needs

            @needs(False, "the dev set is missing")
            def test_marked():
                pass

            def test_called():
                absent("the corpus is missing")
            """
        )
    )
    env = {"PATH": "/usr/bin:/bin", "RIGHTSDESK_SHARED": str(tmp_path / "nowhere")}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(test),
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.shared",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("ci", [False, True])
def test_missing_shared_data_skips_unless_ci_is_set(tmp_path, ci):
    done = run_pytest(tmp_path, ci)
    summary = done.stdout.strip().splitlines()[-1]
    if ci:
        assert done.returncode == 1, done.stdout
        assert "1 failed" in summary and "1 error" in summary, summary
        assert "skipped" not in summary, summary
        assert done.stdout.count("CI is set") >= 2, done.stdout
    else:
        assert done.returncode == 0, done.stdout
        assert "2 skipped" in summary, summary
