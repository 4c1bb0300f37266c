"""CaptionText: one caption in the forms its readers search, every form the caption's length.

A phrase is searched case- and accent-free (`folded`), a word-start phrase fastest over the
`spaced` bytes, and a name in a caption written all in lower case is read from a `capitalised`
copy. Each form keeps the caption's offsets, so whatever is found in one is cut from `original`.
"""

from __future__ import annotations

import re
from typing import Final

from captions.places import LOWER_CASE_WORDS
from captions.tolerant import fold, spaced

_WORD: Final = re.compile(r"(?<![\w'’])[^\W\d_]+")


class CaptionText:
    """The caption as given, folded, spaced and capitalised (see the module docstring).

    `spaced` is None when the caption has letters beyond ASCII (tolerant.spaced); `capitalised`
    is `original` itself unless the caption has no capital letter at all.
    """

    __slots__ = ("capitalised", "folded", "original", "spaced")

    def __init__(self, original: str) -> None:
        self.original: Final = original
        self.folded: Final = fold(original)
        self.spaced: Final = spaced(self.folded)
        self.capitalised: Final = capitalised(original)


def capitalised(text: str) -> str:
    """`text` with each word capitalised when it has no capital letter at all, else `text`.

    The copy has the caption's length, so every offset holds, and words that stay lower case in
    a name or a dateline ("de", "van") are left as they are.
    """
    if not text.islower():
        return text
    copy = _WORD.sub(_capitalise, text)
    return copy if len(copy) == len(text) else text


def as_written(value: str | None, names: str, text: str) -> str | None:
    """A name read from the capitalised copy `names`, spelt as in the caption `text`."""
    if value is None or names is text:
        return value
    position = names.find(value)
    return value if position == -1 else text[position : position + len(value)]


def _capitalise(match: re.Match[str]) -> str:
    word = match.group()
    return word if word in LOWER_CASE_WORDS else word[0].upper() + word[1:]
