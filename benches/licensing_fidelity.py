"""Agreement with ExifTool on the licensing and provenance fields, on files ExifTool writes.

    python benches/licensing_fidelity.py [COUNT] [DIR...]

Writes COUNT files (default 400) with every PLUS, xmpRights, IIM release/expiration and
DigitalSourceType field (tests/licensing_files.py), adds the real C2PA sample, and prints the
agreement per field; any DIR given (the shared corpus, say) is compared too, on its own.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assets.metadata.compare_licensing import main
from tests.licensing_files import make_files


def run(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 400
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "files"
        folder.mkdir()
        make_files(folder, count)
        print(f"== {count} files written by ExifTool, and the C2PA sample")
        main([str(folder)])
    for extra in argv[1:]:
        print(f"== {extra}")
        main([extra])
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
