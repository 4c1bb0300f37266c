"""Whether the parser runs compiled, and which compiled modules are older than their source.

setup.py compiles the hot caption modules with mypyc into extension modules beside the
sources; Python imports an extension before a .py of the same name. An extension built
before its source last changed runs the old code, so the test suite refuses to start then.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def compiled_modules() -> dict[str, Path]:
    """Module name -> its compiled extension, for every module of the package built."""
    found: dict[str, Path] = {}
    suffixes = sorted(EXTENSION_SUFFIXES, key=len, reverse=True)  # ".cpython-311-...so" first
    for path in PACKAGE_DIR.iterdir():
        suffix = next((s for s in suffixes if path.name.endswith(s)), None)
        if suffix is not None:
            found[path.name[: -len(suffix)]] = path
    return found


def stale_compiled_modules() -> list[str]:
    """Sources changed since they were compiled (their extension would hide the change)."""
    stale = []
    for name, extension in sorted(compiled_modules().items()):
        source = PACKAGE_DIR / f"{name}.py"
        if source.exists() and source.stat().st_mtime > extension.stat().st_mtime:
            stale.append(f"captions/{name}.py")
    return stale


def build_description() -> str:
    """'compiled (mypyc, 13 modules)' or 'pure Python', for benches and diagnostics."""
    count = len(compiled_modules())
    return f"compiled (mypyc, {count} modules)" if count else "pure Python"
