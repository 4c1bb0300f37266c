"""Case-, accent- and punctuation-tolerant matching of plain phrases, fast.

Agencies write the same words many ways ("EDITORIAL USE ONLY/NO SALES", "Editorial use only.",
"ΜΟΝΟ ΓΙΑ ΣΥΝΤΑΚΤΙΚΗ ΧΡΗΣΗ" with or without tonos). Rather than ask the regex engine to ignore
case and accents (slow), a caption is *folded* once: lower case, accents removed, same length,
so every offset in the folded text is an offset in the caption. Data files list plain phrases;
their folded keys build one prefix-tree regex that runs over the folded caption in one pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

# Between two words of a phrase: any run of spaces or punctuation marks ("ONLY/NO", "ONLY. No",
# "USE    ONLY /  NO").
SEPARATOR: Final = r"[\W_]+"

_WORDS: Final = re.compile(r"[^\W_]+")


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Latin, Greek and Cyrillic letters lose their accents ("ё" is "е"); Arabic letters their
    # hamza and madda ("أ", "إ" and "آ" are "ا"), which writers often leave out.
    ranges = [
        (0x00C0, 0x0250),
        (0x0370, 0x0530),
        (0x0620, 0x0650),
        (0x1E00, 0x1F00),
        (0x1F00, 0x2000),
    ]
    for low, high in ranges:
        for point in range(low, high):
            ch = chr(point)
            lowered = ch.lower()
            if len(lowered) != 1:
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c)
            )
            if len(base) == 1 and base != ch:
                table[point] = base
    table.update(
        {
            ord("ς"): "σ",
            ord("ı"): "i",
            # Turkish dotted capital I: "İ".lower() is two characters, so it is mapped here.
            ord("İ"): "i",
            ord("ø"): "o",
            ord("Ø"): "o",
            ord("đ"): "d",
            ord("ł"): "l",
            ord("Ł"): "l",
            ord("’"): "'",
            ord("‘"): "'",
        }
    )
    # Fullwidth forms (Asian feeds) fold to their ASCII letters, digits and signs: NFKC's reading.
    for point in range(0xFF01, 0xFF5F):
        table[point] = unicodedata.normalize("NFKC", chr(point)).lower()
    return table


_ACCENTS: Final = _accent_table()
# The same as a list indexed by code point: str.translate finds every character below its end
# (a dict lookup that misses costs an exception inside translate).
_ACCENT_LIST: Final = [ord(_ACCENTS.get(point, chr(point))) for point in range(max(_ACCENTS) + 1)]
# ASCII stretches and the runs between them (odd pieces). "X+" would be tried at every
# position; "XX*" only where an X occurs.
_NON_ASCII_SPLIT: Final = re.compile(r"([^\x00-\x7f][^\x00-\x7f]*)")
# Past this length a text is translated whole: many short runs would cost a call each.
_RUNS_UP_TO: Final = 2000


def fold(text: str) -> str:
    """Lower case without accents, the same length as `text` so offsets carry over."""
    if text.isascii():
        return text.lower()
    if len(text) > _RUNS_UP_TO:
        return _lowered(text).translate(_ACCENT_LIST)
    # A caption: its ASCII stretches are lowered as ASCII (fast), only its other runs are
    # translated (ASCII characters fold to themselves).
    pieces = _NON_ASCII_SPLIT.split(text)
    for index, piece in enumerate(pieces):
        pieces[index] = _lowered(piece).translate(_ACCENT_LIST) if index % 2 else piece.lower()
    return "".join(pieces)


def _lowered(text: str) -> str:
    """`text` in lower case, a character whose lower case is two ("İ") left as it is."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return lowered


def phrase_key(text: str) -> str:
    """The form two spellings of one phrase share: case, accents and punctuation folded."""
    if len(text) <= _CACHED_KEY_CHARS:
        # Words and credit segments ("REUTERS", "HANDOUT", "march") recur in every caption.
        return _short_phrase_key(text)
    return _phrase_key(text)


# Keys of strings up to this long are cached: a bounded number of short strings, never a caption.
_CACHED_KEY_CHARS: Final = 64


def _phrase_key(text: str) -> str:
    folded = fold(text)
    if folded.isalnum():
        return folded
    return " ".join(_WORDS.findall(folded))


_short_phrase_key = lru_cache(maxsize=16384)(_phrase_key)


def phrase_atoms(phrase: str) -> list[str]:
    """Regex atoms for a phrase over folded text: its folded letters, tolerant separators."""
    atoms: list[str] = []
    for index, word in enumerate(phrase_key(phrase).split()):
        if index:
            atoms.append(SEPARATOR)
        atoms.extend(re.escape(ch) for ch in word)
    return atoms


def _prefix_tree(phrases: Iterable[list[str]]) -> dict[str, dict]:
    """Phrases as nested dicts of atoms; an empty key marks where a phrase ends."""
    root: dict[str, dict] = {}
    for atoms in phrases:
        if not atoms:
            continue
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
    return root


def trie_pattern(phrases: Iterable[list[str]]) -> str:
    """One regex alternation shaped as a prefix tree; longer phrases win over their prefixes."""
    return _emit(_prefix_tree(phrases))


def word_start_trie(phrases: Iterable[list[str]], not_after: str = r"\w") -> str:
    r"""The regex `(?<!NOT_AFTER)(?:<trie_pattern(phrases)>)`, written so that it searches fast.

    A pattern that opens with a look-behind is tried at every position of the text; one that
    opens with a plain character is only tried where that character occurs. So the look-behind
    goes after each phrase's first character, reaching back over it: `x(?<!\wx)...` matches
    exactly where `(?<!\w)x...` does. `not_after` is a character class body or escape.
    """
    root = _prefix_tree(phrases)
    behind = not_after if not_after.startswith("[") else "[" + not_after + "]"
    branches = []
    for atom, child in root.items():
        if not atom:
            continue
        if re.fullmatch(r"\\?[^\W_]", atom) is None:
            # Not one plain letter or digit: keep the look-behind in front.
            return r"(?<!" + behind + r")(?:" + _emit(root) + ")"
        # "." in the look-behind matches any character but a newline: the first one is a letter.
        branches.append(atom + r"(?<!" + behind + r".)" + _emit(child))
    if "" in root or not branches:
        return r"(?<!" + behind + r")(?:" + _emit(root) + ")"
    return "(?:" + "|".join(branches) + ")"


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


# ASCII word characters kept, every other character a space (bytes 128-255 never occur).
_SPACED_TABLE: Final = bytes(
    b if chr(b).isalnum() or chr(b) == "_" else 32 for b in range(128)
) + bytes(range(128, 256))


def spaced(folded: str) -> bytes | None:
    """ " " + folded as ASCII bytes, every non-word character a space; None if it has other letters.

    Every word then starts just after a space, so a pattern from `spaced_pattern` is tried only
    at spaces, which the regex engine finds fast, not at every character. Offsets carry over:
    a phrase at folded[a:b] is spaced[a:b + 1], its leading space included.
    """
    if not folded.isascii():
        if _NON_ASCII_WORD_CHARACTER.search(folded) is not None:
            return None
        # Quotes, dashes and symbols ("“", "–", "©"): spaces, as ASCII punctuation is.
        folded = _NON_ASCII_CHARACTER.sub(" ", folded)
    return (" " + folded).encode("ascii").translate(_SPACED_TABLE)


_NON_ASCII_WORD_CHARACTER: Final = re.compile(r"[^\W\x00-\x7f]")
_NON_ASCII_CHARACTER: Final = re.compile(r"[^\x00-\x7f]")

# Single letters set apart by spaces, dots, slashes or dashes: "N O  S A L E S", "N.O. S.A.L.E.S".
GAP: Final = r"[ \t._·•*/\-]{1,3}"
# A letter first, then letters or digits ("N O  3 R D  P A R T Y"); long runs stay bounded.
LETTER_SPACED: Final = re.compile(r"(?<!\w)[^\W\d_](?:" + GAP + r"[^\W_]){2,400}(?!\w)")
# Latin letters, digits and signs, accented ones included, but not the soft hyphen: text of
# these alone needs no normalising for matching (NBSP is a separator as it is).
_OUTSIDE_LATIN: Final = re.compile(
    r"[^\x00-\xac\xae-\u024f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e]"
)
# Over spaced text (every gap character a space, but "_"): where LETTER_SPACED may match.
_SPACED_LETTERS: Final = re.compile(rb" [a-z][ _]{1,3}[a-z0-9][ _]{1,3}[a-z0-9](?![a-z0-9])")
# The same over the spaced text's shape (each letter "a", each digit "0") when it has no "_":
# it opens with a one-letter word (" a "), a literal found fast, where the pattern above is
# tried at every space.
_SHAPE_TABLE: Final = bytes(
    ord("a") if chr(b).islower() else ord("0") if chr(b).isdigit() else b if b == 32 else 35
    for b in range(256)
)
_SHAPE_LETTERS: Final = re.compile(rb" a  {0,2}[a0] {1,3}[a0](?![a0])")


def is_plain(text: str, spaced_text: bytes | None = None) -> bool:
    """True when `text` is its own normal form (see normalise.py), by cheap tests.

    Most captions are: the parser asks this before a normal form is built at all.
    `spaced_text` is spaced(fold(text)) when the caller has it.
    """
    if text.isascii() or _OUTSIDE_LATIN.search(text) is None:
        # Accented Latin text is its own normal form too, unless letters are spaced out.
        if spaced_text is not None and not _may_be_letter_spaced(spaced_text):
            return True
        return LETTER_SPACED.search(text) is None
    return False


def _may_be_letter_spaced(spaced_text: bytes) -> bool:
    # bytes.find, not `in`: `in` tries its operand as an integer first, at the cost of an error.
    if spaced_text.find(b"_") != -1:
        return _SPACED_LETTERS.search(spaced_text) is not None
    shape = spaced_text.translate(_SHAPE_TABLE)
    return shape.find(b" a ") != -1 and _SHAPE_LETTERS.search(shape) is not None


# SEPARATOR and `(?!\w)` as they read spaced text, which has no other characters than ASCII
# letters, digits, "_" and spaces: plain sets are tested faster than classes.
_SPACED_SEPARATOR: Final = "[ _]+"
_SPACED_WORD_END: Final = "(?![a-zA-Z0-9_])"


def spaced_pattern(phrases: Iterable[list[str]]) -> re.Pattern[bytes]:
    r"""Over `spaced` text: the ASCII phrases where `(?<!\w)(?:<trie>)(?!\w)` finds them in folded.

    A match's start is the phrase's start in folded, its end one past the phrase's end. Between
    words the spaced text has a space wherever folded had any non-word character: for phrases
    whose separators are not `SEPARATOR`, the pattern finds a superset (a clue, not an answer).
    """
    ascii_phrases = [
        [_SPACED_SEPARATOR if atom == SEPARATOR else atom for atom in atoms]
        for atoms in phrases
        if all(atom.isascii() for atom in atoms)
    ]
    pattern = " (?:" + trie_pattern(ascii_phrases) + ")" + _SPACED_WORD_END
    return re.compile(pattern.encode("ascii"))


# Character tests as the regex engine reads them (`\d`, `\w`, letters), from the code point when
# it is ASCII: a scan over a caption then makes no one-character string per position.


def is_decimal_at(text: str, position: int) -> bool:
    r"""text[position] is what `\d` matches (str.isdecimal, in any script)."""
    code = ord(text[position])
    if code < 128:
        return 48 <= code <= 57
    return text[position].isdecimal()


def is_letter_at(text: str, position: int) -> bool:
    """text[position].isalpha()."""
    code = ord(text[position])
    if code < 128:
        return 97 <= code <= 122 or 65 <= code <= 90
    return text[position].isalpha()


def is_word_at(text: str, position: int) -> bool:
    r"""text[position] is what `\w` matches: a letter, a digit or "_"."""
    code = ord(text[position])
    if code < 128:
        return 97 <= code <= 122 or 48 <= code <= 57 or 65 <= code <= 90 or code == 95
    return text[position].isalnum()
