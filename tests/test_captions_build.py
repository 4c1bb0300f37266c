"""The compiled-build bookkeeping: which modules run compiled, and which are older than source."""

from __future__ import annotations

import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from benches.caption_build import SHARED_LIBRARY_PREFIX, compiled_modules, stale_compiled_modules

SUFFIX = EXTENSION_SUFFIXES[0]


def _file(path: Path, mtime: float) -> Path:
    path.write_text("")
    os.utime(path, (mtime, mtime))
    return path


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "captions"
    package.mkdir()
    return package


def test_a_module_compiled_after_its_source_is_current(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _file(package / "credit.py", 1000)
    _file(package / f"credit{SUFFIX}", 2000)
    _file(package / "model.py", 3000)  # not compiled: never stale
    assert set(compiled_modules(package)) == {"credit"}
    assert stale_compiled_modules(package) == []


def test_a_source_edited_after_the_build_is_stale(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _file(package / f"credit{SUFFIX}", 2000)
    _file(tmp_path / f"{SHARED_LIBRARY_PREFIX}{SUFFIX}", 2000)
    _file(package / "credit.py", 3000)
    assert stale_compiled_modules(package) == ["captions/credit.py"]


def test_an_old_shim_beside_a_rebuilt_shared_library_is_current(tmp_path: Path) -> None:
    """An incremental build keeps a module's shim as it was; the code is in the library."""
    package = _package(tmp_path)
    _file(package / f"credit{SUFFIX}", 1000)
    _file(package / "credit.py", 2000)
    _file(tmp_path / f"{SHARED_LIBRARY_PREFIX}{SUFFIX}", 3000)
    assert stale_compiled_modules(package) == []
