"""Known supplier names in the forms feeds write them: joined, glued to a suffix, a letter off.

A credit segment that names no profile exactly may still name a known supplier: "Gettyimages",
"dpaBildfunk", "AFPPHOTO", "Shutterstock.com", "Rueters", "Anadolu Agancy". Only the names the
profiles list are tried, never a guess: an edit is allowed only within a bound that grows with
the length of the name's own words, so a short name must be exact and an unknown supplier
stays unknown ("Abaco" is not "Abaca", "Agencia Uno" not "Agencia EFE", "Solaris" not
"Polaris": the first letter of a name's own word is never the one that is off).

`CloseNames` is built from (key, supplier) pairs and answers with the supplier's name; the
profiles module builds one over every profile's names. Word lists are in supplier_words.toml.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Final

_DATA: Final = tomllib.loads(
    (resources.files("captions") / "supplier_words.toml").read_text("utf-8")
)
GENERIC_WORDS: Final[frozenset[str]] = frozenset(_DATA["generic"])
GLUED_SUFFIXES: Final[tuple[str, ...]] = tuple(
    sorted(_DATA["glued"], key=len, reverse=True)  # "images" before "image"
)
_SAME_WORD: Final[dict[str, str]] = {str(k): str(v) for k, v in _DATA["same_word"].items()}

# How many edits a name's own (not generic) words allow, by their length in letters.
ONE_EDIT_FROM: Final = 6
TWO_EDITS_FROM: Final = 10
# A generic word ("agency", "news") may be one letter off from this length.
GENERIC_EDIT_FROM: Final = 4
MAX_EDITS: Final = 2
# What is left of a joined form once its glued suffix is off has this many letters at least.
_MIN_STEM: Final = 2


def own_word_bound(length: int) -> int:
    """Edits allowed in a supplier's own word (or its joined own words) of this many letters."""
    if length >= TWO_EDITS_FROM:
        return 2
    if length >= ONE_EDIT_FROM:
        return 1
    return 0


def word_bound(word: str) -> int:
    """Edits allowed in one word of a known name."""
    if word in GENERIC_WORDS:
        return 1 if len(word) >= GENERIC_EDIT_FROM else 0
    return own_word_bound(len(word))


def edit_distance(one: str, other: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), or limit + 1 when
    it is larger than `limit`."""
    if abs(len(one) - len(other)) > limit:
        return limit + 1
    if one == other:
        return 0
    previous2: list[int] = []
    previous = list(range(len(other) + 1))
    for i in range(1, len(one) + 1):
        current = [i] + [0] * len(other)
        best = current[0]
        for j in range(1, len(other) + 1):
            cost = 0 if one[i - 1] == other[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                i > 1
                and j > 1
                and one[i - 1] == other[j - 2]
                and one[i - 2] == other[j - 1]
                and previous2[j - 2] + 1 < value
            ):
                value = previous2[j - 2] + 1
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    distance = previous[len(other)]
    return distance if distance <= limit else limit + 1


def words_of(key: str) -> tuple[str, ...]:
    """A folded key's words, each in its one spelling ("foto" -> "photo")."""
    return tuple(_SAME_WORD.get(word, word) for word in key.split())


class _Name:
    """One known spelling of a supplier, as the matcher compares it."""

    __slots__ = ("compact", "own", "supplier", "words")

    def __init__(self, words: tuple[str, ...], supplier: str) -> None:
        self.words: Final = words
        self.compact: Final = "".join(words)
        self.own: Final = "".join(w for w in words if w not in GENERIC_WORDS)
        self.supplier: Final = supplier


class CloseNames:
    """Known supplier names, and the supplier a close spelling of one of them names."""

    def __init__(self, names: list[tuple[str, str]]) -> None:
        self._exact: dict[str, str] = {}
        self._compact: dict[str, str] = {}
        ambiguous: set[str] = set()
        self._by_letter: dict[str, list[_Name]] = {}
        for key, supplier in names:
            words = words_of(key)
            if not words:
                continue
            name = _Name(words, supplier)
            self._exact.setdefault(" ".join(words), supplier)
            known = self._compact.get(name.compact)
            if known is not None and known != supplier:
                ambiguous.add(name.compact)
            self._compact.setdefault(name.compact, supplier)
            if name.own:
                self._by_letter.setdefault(name.compact[0], []).append(name)
        for compact in ambiguous:
            del self._compact[compact]

    def match(self, key: str) -> str | None:
        """The supplier a folded credit segment names in a form not listed, if exactly one."""
        words = words_of(key)
        while words:
            found = self._exact_forms(words)
            if found is not None:
                return found
            if len(words) == 1 or words[-1] not in GLUED_SUFFIXES:
                break
            words = words[:-1]  # "dpa bildfunk", "shutterstock com"
        return self._closest(words_of(key)) if words else None

    def _exact_forms(self, words: tuple[str, ...]) -> str | None:
        found = self._exact.get(" ".join(words))
        if found is not None:
            return found
        compact = "".join(words)
        found = self._compact.get(compact)  # "Gettyimages", "Nur Photo", "SipaUSA"
        if found is not None:
            return found
        stem = compact
        while True:
            suffix = next((s for s in GLUED_SUFFIXES if stem.endswith(s)), None)
            if suffix is None or len(stem) - len(suffix) < _MIN_STEM:
                return None
            stem = stem[: -len(suffix)]  # "afpphoto", "dpabildfunk", "aapimage"
            found = self._compact.get(stem)
            if found is not None:
                return found

    def _closest(self, words: tuple[str, ...]) -> str | None:
        """The one supplier whose known spelling is within its bound of `words`."""
        compact = "".join(words)
        best = MAX_EDITS + 1
        found: set[str] = set()
        for name in self._by_letter.get(compact[:1], ()):
            if len(name.words) == len(words):
                distance = _word_distance(words, name.words)
            else:
                limit = own_word_bound(len(name.own))
                distance = edit_distance(compact, name.compact, limit) if limit else limit + 1
                if distance > limit:
                    continue
            if distance < best:
                best, found = distance, {name.supplier}
            elif distance == best and distance <= MAX_EDITS:
                found.add(name.supplier)
        return next(iter(found)) if best <= MAX_EDITS and len(found) == 1 else None


def _word_distance(words: tuple[str, ...], known: tuple[str, ...]) -> int:
    """Edits between two names word by word, each word within its own bound (else too many)."""
    total = 0
    for word, known_word in zip(words, known, strict=True):
        if word == known_word:
            continue
        limit = word_bound(known_word)
        if word in GENERIC_WORDS:
            return MAX_EDITS + 1  # a word of its own ("Redux PICTURE"), not a misspelling
        if not limit or (word[:1] != known_word[:1] and known_word not in GENERIC_WORDS):
            return MAX_EDITS + 1
        distance = edit_distance(word, known_word, limit)
        total += distance
        if distance > limit or total > MAX_EDITS:
            return MAX_EDITS + 1
    return total
