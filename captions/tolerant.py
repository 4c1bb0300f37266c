"""Case-, accent- and punctuation-tolerant regexes built from plain phrases.

Agencies write the same words many ways ("EDITORIAL USE ONLY/NO SALES", "Editorial use only.",
"ΜΟΝΟ ΓΙΑ ΣΥΝΤΑΚΤΙΚΗ ΧΡΗΣΗ" with or without tonos). Data files list plain phrases; this module
turns them into one prefix-tree regex (one pass over the caption, no backtracking blow-up) and
into lookup keys so a match can be mapped back to the phrase that produced it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters an agency may write with or without an accent. Matching is case-insensitive on top.
_ACCENT_FAMILIES = {
    "a": "aàáâãäåā",
    "c": "cçć",
    "e": "eèéêëē",
    "i": "iìíîïīı",
    "n": "nñń",
    "o": "oòóôõöøō",
    "u": "uùúûüū",
    "y": "yýÿ",
    "s": "sśš",
    "z": "zźżž",
    "g": "gğ",
    "α": "αά",
    "ε": "εέ",
    "η": "ηή",
    "ι": "ιίϊΐ",
    "ο": "οό",
    "υ": "υύϋΰ",
    "ω": "ωώ",
    "σ": "σς",
}

# Between two words of a phrase: one to three spaces or punctuation marks ("USE ONLY/NO", "ONLY. No").
SEPARATOR = r"[\W_]{1,3}"
# Inside a word where the phrase has an apostrophe or hyphen ("D'ARCHIVAGE", "RE-SALES").
_JOINER = r"[\W_]{0,2}"

_NON_WORD = re.compile(r"[\W_]+")


def strip_accents(text: str) -> str:
    """'Éditorial' -> 'Editorial': compare words the way a reader does, ignoring diacritics."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def phrase_key(text: str) -> str:
    """The form two spellings of one phrase share: case, accents and punctuation folded."""
    folded = strip_accents(text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def _letter_atom(ch: str) -> str:
    base = strip_accents(ch).casefold()
    family = _ACCENT_FAMILIES.get(base)
    if family is None:
        return re.escape(ch)
    return "[" + family + "]"


def phrase_atoms(phrase: str) -> list[str]:
    """Split a phrase into regex atoms: tolerant letters and tolerant separators."""
    atoms: list[str] = []
    words = phrase.split()
    for index, word in enumerate(words):
        if index:
            atoms.append(SEPARATOR)
        for ch in word:
            if ch.isalnum():
                atoms.append(_letter_atom(ch))
            elif ch in "'’-.":
                atoms.append(_JOINER)
            else:
                atoms.append(_JOINER)
    # A phrase never ends on a joiner: "NO RE-" is not a phrase.
    while atoms and atoms[-1] in (_JOINER, SEPARATOR):
        atoms.pop()
    return atoms


def trie_pattern(phrases: Iterable[list[str]]) -> str:
    """One regex alternation shaped as a prefix tree; longer phrases win over their prefixes."""
    root: dict[str, dict] = {}
    for atoms in phrases:
        if not atoms:
            continue
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
    return _emit(root)


def _emit(node: dict[str, dict]) -> str:
    branches = [atom + _emit(child) for atom, child in node.items() if atom]
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "|".join(branches)
    # The empty branch goes last so that the longest phrase is preferred.
    return "(?:" + body + ("|)" if ends_here else ")")
