"""Supplier names (agencies, sources) as they are compared: one key for every spelling.

A rights manager types "epa", the parser writes "EPA"; a feed sends "REUTERS ", a caption
"Reuters". Whatever compares a lease's target with an asset's agency or source compares their
`supplier_key`s, in Python (`rights.leases.reaches`) and in SQL (the stored keys the catalogue
keeps beside each name, built by this same function).

Changing what the key folds changes which stored keys are right: the catalogue's keys must then
be rebuilt (a migration calls `assets.suppliers.refresh_supplier_keys`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

_WORD: Final = re.compile(r"[^\W_]+")
_KEY_CACHE: Final = 8192  # distinct supplier names in a catalogue are few
_HIDDEN: Final = frozenset({"Cc", "Cf"})  # control and format characters: never seen on screen


@lru_cache(maxsize=_KEY_CACHE)
def supplier_key(name: str) -> str:
    """The matching form of a supplier name: "  Agência\u00a0Brasil " -> "agencia brasil".

    Compatibility forms are unified (NFKC: fullwidth letters, ligatures, NBSP), invisible
    format and control characters dropped (zero-width spaces and joiners, soft hyphens, BOM,
    NUL), case folded, accents removed, every run of spaces and punctuation made one space,
    and letters written one by one joined ("A.P." and "A P" -> "ap"). Distinct suppliers keep
    distinct keys: only letters and digits carry meaning.

    Look-alike letters from other scripts (a Cyrillic "Е" in "EPA") are not mapped yet: when
    the caption text normaliser offers a confusable skeleton, this is the one place to call it.
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _HIDDEN)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_joined_letters(_WORD.findall(unicodedata.normalize("NFC", text))))


def _joined_letters(words: list[str]) -> list[str]:
    """Runs of one-letter words as one word: "u s a today" -> "usa today"."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out
