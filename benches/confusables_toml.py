"""Write captions/confusables.toml: letters of other scripts that look like Latin letters.

The table is derived from Unicode's confusables data (TR39) as the `confusable-homoglyphs`
package ships it (`pip install confusable-homoglyphs`, only needed to rewrite the table):
for every ASCII letter and the digit 0 (1 may stand for I or l), each single character it may
be confused with that is a letter of another script and that NFKC leaves alone (fullwidth and
mathematical letters are NFKC's). Run: python benches/confusables_toml.py
"""

from __future__ import annotations

import json
import string
import unicodedata
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "captions" / "confusables.toml"


def _latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def main() -> None:
    data = json.loads(
        (resources.files("confusable_homoglyphs") / "confusables.json").read_text("utf-8")
    )
    table: dict[str, str] = {}
    for latin in string.ascii_uppercase + string.ascii_lowercase + "0":
        for item in data.get(latin, []):
            ch = item["c"]
            if len(ch) != 1 or ch.isascii() or not ch.isalpha() or _latin(ch):
                # Latin letters ("ı", "ɑ") are the caption's own script: fold reads them.
                continue
            if unicodedata.normalize("NFKC", ch) != ch:
                # Fullwidth and mathematical letters: NFKC reads them first.
                continue
            target = latin if latin.isalpha() else "O"
            if ch.isupper() and target == "l":
                # TR39 writes I and l as one skeleton; a capital stands for I ("EDΙTORΙAL").
                target = "I"
            table.setdefault(ch, target)
    lines = [
        "# Letters of other scripts that look like Latin ones (Unicode TR39 confusables), as",
        '# "letter" = "Latin letter". Written by benches/confusables_toml.py; do not edit.',
        "[latin]",
    ]
    for ch in sorted(table):
        name = unicodedata.name(ch, "?").lower()
        escape = f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
        lines.append(f'"{escape}" = "{table[ch]}"  # {ch} {name}')
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{len(table)} letters -> {OUT}")


if __name__ == "__main__":
    main()
