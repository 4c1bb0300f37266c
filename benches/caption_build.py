"""Whether the parser runs compiled, and which compiled modules are older than their source.

setup.py compiles the hot caption modules with mypyc into extension modules beside the
sources; Python imports an extension before a .py of the same name. An extension built
before its source last changed runs the old code, so the test suite refuses to start then.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import captions

PACKAGE_DIR = Path(captions.__file__).resolve().parent
# mypyc puts the compiled code of all the modules in one shared library beside the package
# (setup.py names the group); each module's own extension is a small shim that loads it, and an
# incremental build may leave a shim's date as it was.
SHARED_LIBRARY_PREFIX = "rightsdesk_captions__mypyc"


def compiled_modules(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Module name -> its compiled extension, for every module of the package built."""
    found: dict[str, Path] = {}
    suffixes = sorted(EXTENSION_SUFFIXES, key=len, reverse=True)  # ".cpython-311-...so" first
    for path in package_dir.iterdir():
        suffix = next((s for s in suffixes if path.name.endswith(s)), None)
        if suffix is not None:
            found[path.name[: -len(suffix)]] = path
    return found


def stale_compiled_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Sources changed since they were compiled (their extension would hide the change)."""
    libraries = list(package_dir.parent.glob(f"{SHARED_LIBRARY_PREFIX}*"))
    library_built = max((path.stat().st_mtime for path in libraries), default=0.0)
    stale = []
    for name, extension in sorted(compiled_modules(package_dir).items()):
        source = package_dir / f"{name}.py"
        built = max(extension.stat().st_mtime, library_built)
        if source.exists() and source.stat().st_mtime > built:
            stale.append(f"{package_dir.name}/{name}.py")
    return stale


def build_description() -> str:
    """'compiled (mypyc, 13 modules)' or 'pure Python', for benches and diagnostics."""
    count = len(compiled_modules())
    return f"compiled (mypyc, {count} modules)" if count else "pure Python"
