"""Print how many disguised restriction phrases the evasion suite tries, and how many got through.

Run from the repository root: python benches/evasion_count.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from evasion import credits, enumerated, restriction_phrases, violations


def main() -> None:
    started = time.perf_counter()
    tried = through = 0
    for credit_caption, _phrase, form, purposes in enumerated():
        tried += 1
        if violations(credit_caption, form, purposes):
            through += 1
            print(f"got through: {form!r} after {credit_caption[-40:]!r}")
    languages = sorted({language for language, _, _ in restriction_phrases()})
    print(
        f"{tried} disguised forms of {len(restriction_phrases())} restriction phrases "
        f"({', '.join(languages)}) after {len(credits())} profile credits: {through} got "
        f"through, {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
