"""The shared data the tests read (labelled captions, the image corpus) and ExifTool.

One place says where the shared folder is: $RIGHTSDESK_SHARED, else `../shared` beside the
repository. A test that needs something absent is skipped with a message saying how to get
it, except when `CI` is set: then the run is meant to be complete, and it fails instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
CI = bool(os.environ.get("CI"))


def shared_dir() -> Path | None:
    """The shared data folder, if this machine has it."""
    candidate = Path(os.environ.get("RIGHTSDESK_SHARED") or REPO.parent / "shared")
    return candidate if candidate.is_dir() else None


def shared_path(*parts: str) -> Path:
    """A path inside the shared folder (which may not exist; say so with `absent`)."""
    root = shared_dir() or Path(os.environ.get("RIGHTSDESK_SHARED") or REPO.parent / "shared")
    return root.joinpath(*parts)


def absent(what: str) -> NoReturn:
    """Skip the running test because `what` is missing, or fail it when CI is set."""
    message = f"{what}; set RIGHTSDESK_SHARED to the shared folder (or install what is named)"
    if CI:
        pytest.fail(f"{message} (CI is set, so nothing may be skipped for it)", pytrace=False)
    pytest.skip(message)


def needs(available: bool, what: str) -> pytest.MarkDecorator:
    """A mark for tests that need shared data: skip when it is missing, fail when CI is set
    (conftest.py fails tests carrying `shared_missing`)."""
    if available or not CI:
        return pytest.mark.skipif(not available, reason=f"{what}; set RIGHTSDESK_SHARED")
    return pytest.mark.shared_missing(what)


def exiftool() -> str:
    """Path of ExifTool (the Makefile's `tools` target installs it), or `absent`."""
    path = shutil.which("exiftool")
    if path is None:
        absent("exiftool not installed (apt-get install libimage-exiftool-perl)")
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under CI a test whose shared data is missing fails (`needs`) instead of being
    skipped, so a complete run cannot pass with parts of it silently left out."""
    missing = item.get_closest_marker("shared_missing")
    if missing is not None:
        pytest.fail(f"{missing.args[0]} (CI is set, so nothing may be skipped for it)")
