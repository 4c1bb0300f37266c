"""One normal form for matching: the text a reader sees, whatever code points spell it.

Feeds and copy-paste bring soft hyphens, zero-width spaces, NBSP and fullwidth letters; someone
hiding a restriction adds Cyrillic or Greek look-alike letters, letter-spacing ("N O  S A L E S")
or dotted capitals ("N.O. S.A.L.E.S"). `normalise` rewrites a text into what a reader sees:
NFKC; default-ignorable and format characters removed; marks NFKC cannot compose onto a Latin,
Greek or Cyrillic letter dropped; look-alike letters mapped to their Latin skeleton (Unicode
TR39, `confusables.toml`) in words that mix scripts or stand among Latin words, so that genuine
Greek or Russian text stays itself; runs of single letters collapsed into words. Every character
of the result keeps the span of the text it came from: phrases found in the normal form are
reported at the original's own offsets. Plain ASCII without letter-spacing is its own normal
form, at no cost.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Final

from captions.tolerant import GAP, LETTER_SPACED, fold, is_plain


def _confusables() -> dict[str, str]:
    path = resources.files("captions") / "confusables.toml"
    table = tomllib.loads(path.read_text("utf-8"))["latin"]
    return {str(letter): str(latin) for letter, latin in table.items()}


# Letter of another script -> the Latin letter it looks like.
CONFUSABLES: Final = _confusables()

# Default-ignorable code points that are not format characters (Cf is tested by category):
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian free variation
# selectors, variation selectors, musical formatting, tags.
_IGNORABLE_RANGES: Final = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Letters whose script is Latin beyond ASCII (accented letters, Latin Extended, IPA).
_LATIN_RANGES: Final = (
    (0x00C0, 0x024F),
    (0x0250, 0x02AF),
    (0x1D00, 0x1D7F),
    (0x1E00, 0x1EFF),
    (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF),
    (0xAB30, 0xAB6F),
)
# Letters over which a mark NFKC cannot compose is decoration ("N̲O̲ S̲A̲L̲E̲S̲"), not spelling.
_MARKS_DROPPED_BELOW: Final = 0x0530
# Marks of no script of their own (combining diacritics, their supplements and extensions, marks
# for symbols, half marks): over a letter of any other script they decorate too ("販̲売̲").
_DECORATING_MARKS: Final = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
# The gaps between letters set apart (see tolerant.LETTER_SPACED).
_GAP_RUN: Final = re.compile(GAP)
# A run of this many letters is no set of initials ("J. R. R. Tolkien"): its reading is flagged.
_FLAGGED_RUN: Final = 4

# Classes of a word, by its letters.
_NONE: Final = 0  # no letter
_LATIN: Final = 1  # Latin letters, and maybe look-alikes among them (a mixed word)
_AMBIGUOUS: Final = 2  # only look-alikes of Latin letters ("ΝΟ", "ЅАLЕЅ")
_FOREIGN: Final = 3  # letters of another script that look like no Latin one


class Normalised:
    """A text's normal form; `starts[i]:ends[i]` is where its i-th character came from.

    `disguised` holds the spans (in the normal form) of words that only read as words once
    normalised: a look-alike or invisible character inside, letters spaced out. `runs` holds the
    spans of letter-spaced runs, whose word breaks may be lost ("N O S A L E S").
    """

    __slots__ = ("disguised", "ends", "length", "plain", "runs", "starts", "text")

    def __init__(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        length: int,
        disguised: list[tuple[int, int]],
        runs: list[tuple[int, int]],
    ) -> None:
        self.text: Final = text
        self.starts: Final = starts
        self.ends: Final = ends
        self.length: Final = length
        self.disguised: Final = disguised
        self.runs: Final = runs
        # True when the text is its own normal form: offsets are the same.
        self.plain: Final = not starts and len(text) == length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normal-form text[start:end] was read from."""
        if self.plain:
            return start, end
        size = len(self.text)
        first = self.starts[start] if start < size else self.length
        if end <= start:
            return first, first
        return first, self.ends[min(end, size) - 1]


def normalise(text: str, spaced: bytes | None = None) -> Normalised:
    """`text` as a reader sees it, each character mapped back to where it came from.

    `spaced` is tolerant.spaced(tolerant.fold(text)) when the caller has it: a cheaper first
    look for letter-spacing.
    """
    if is_plain(text, spaced):
        return Normalised(text, [], [], len(text), [], [])
    if len(text) > 2 * _WINDOW:
        return _ends_only(text)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Positions in `chars` where something invisible was removed, or marks were dropped.
    hidden: list[int] = []
    if all(map(_stable, set(text))):
        # Greek or Russian prose: every character is its own normal form, nothing to read.
        chars.extend(text)
        starts.extend(range(len(text)))
        ends.extend(range(1, len(text) + 1))
    else:
        _read(text, chars, starts, ends, hidden)
    disguised = _skeleton(chars, hidden)
    runs: list[tuple[int, int]] = []
    joined = "".join(chars)
    if LETTER_SPACED.search(joined) is not None:
        joined, starts, ends, disguised, runs = _collapse_runs(joined, starts, ends, disguised)
    if joined == text:
        return Normalised(text, [], [], len(text), [], [])
    return Normalised(joined, starts, ends, len(text), disguised, runs)


# A text longer than two of these is garbage, not a caption: only its two ends are normalised
# (instructions open or close a caption), so that the cost stays bounded.
_WINDOW: Final = 4000


def _ends_only(text: str) -> Normalised:
    head = normalise(text[:_WINDOW])
    tail = normalise(text[-_WINDOW:])
    middle_start, middle_end = _WINDOW, len(text) - _WINDOW
    head_starts = head.starts if not head.plain else list(range(_WINDOW))
    head_ends = head.ends if not head.plain else list(range(1, _WINDOW + 1))
    tail_starts = tail.starts if not tail.plain else list(range(_WINDOW))
    tail_ends = tail.ends if not tail.plain else list(range(1, _WINDOW + 1))
    starts = [
        *head_starts,
        *range(middle_start, middle_end),
        *(s + middle_end for s in tail_starts),
    ]
    ends = [
        *head_ends,
        *range(middle_start + 1, middle_end + 1),
        *(e + middle_end for e in tail_ends),
    ]
    shift = len(head.text) + middle_end - middle_start
    return Normalised(
        head.text + text[middle_start:middle_end] + tail.text,
        starts,
        ends,
        len(text),
        [*head.disguised, *((a + shift, b + shift) for a, b in tail.disguised)],
        [*head.runs, *((a + shift, b + shift) for a, b in tail.runs)],
    )


@lru_cache(maxsize=16384)
def fold_for_match(text: str) -> str:
    """The one key two spellings of a name share: supplier names, lease targets, agency names.

    "ＥＰＡ ", "epa", "ЕРА" (Cyrillic), "E P A", "E.P.A.", "E\u200bPA" -> "epa";
    "  Agência\u00a0Brasil " -> "agencia brasil". The text is read in its normal form (see
    `normalise`: invisible characters removed, look-alike letters of other scripts mapped to
    Latin, letter-spacing collapsed), then case folded, accents removed, every run of spaces and
    punctuation made one space (as `tolerant.phrase_key` folds the parser's phrases: "ı" is
    "i", "ø" is "o"), and letters written one by one joined ("A.P." and "A P" ->
    "ap"). Only letters and digits carry meaning, so distinct suppliers keep distinct keys
    ("EPA" and "EPA-EFE").

    The catalogue stores these keys beside every agency, source and lease target: changing what
    this folds means a migration that calls `assets.suppliers.refresh_supplier_keys`.
    """
    # Read as written, then in capitals: the look-alike table maps "Т" to "T" but not "т", and
    # "ҽ" to "e" but not "Ҽ"; a key must not depend on case. NFKC first, so that no-break and
    # ideographic spaces set letters apart as spaces do ("A\u00a0N\u00a0P").
    text = normalise(unicodedata.normalize("NFKC", text)).text
    text = unicodedata.normalize("NFKC", normalise(text.upper()).text)
    text = "".join(ch for ch in text if ch.isspace() or not _hidden(ch))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # The parser's own fold on top: letters no decomposition reaches ("ı", "ø", "ł", "ς").
    words = _KEY_WORD.findall(fold(unicodedata.normalize("NFC", text)))
    return " ".join(_joined_letters(words))


def _hidden(ch: str) -> bool:
    """Never seen on screen: format, default-ignorable and control characters (NUL, BOM)."""
    return ignorable(ch) or unicodedata.category(ch) == "Cc"


_KEY_WORD: Final = re.compile(r"[^\W_]+")


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


@lru_cache(maxsize=4096)
def _readable_word(word: str) -> str:
    return normalise(word).text


def readable_word(word: str) -> str:
    """A word as a reader sees it ("ＤＯ" -> "DO", "NО" with a Cyrillic O -> "NO")."""
    return word if word.isascii() else _readable_word(word)


_IGNORABLE: Final = frozenset(
    chr(point) for low, high in _IGNORABLE_RANGES for point in range(low, high + 1)
)


def ignorable(ch: str) -> bool:
    """A format or default-ignorable character: invisible, no part of any word."""
    return ch in _IGNORABLE or unicodedata.category(ch) == "Cf"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


@lru_cache(maxsize=8192)
def _stable_letter(ch: str) -> bool:
    return not ignorable(ch) and not _is_mark(ch) and unicodedata.is_normalized("NFKC", ch)


def _stable(ch: str) -> bool:
    """A character that is its own normal form, whatever follows it (but a mark)."""
    return ch.isascii() or _stable_letter(ch)


def _read(
    text: str, chars: list[str], starts: list[int], ends: list[int], hidden: list[int]
) -> None:
    """NFKC per character cluster, invisible characters removed, decorating marks dropped."""
    size = len(text)
    index = 0
    while index < size:
        ch = text[index]
        following = index + 1
        if _stable(ch) and (following == size or _stable(text[following])):
            chars.append(ch)
            starts.append(index)
            ends.append(following)
            index = following
            continue
        if ignorable(ch):
            hidden.append(len(chars))
            index = following
            continue
        while following < size and (_is_mark(text[following]) and not ignorable(text[following])):
            following += 1
        form = unicodedata.normalize("NFKC", text[index:following])
        if following > index + 1 and form[0].isalpha():
            kept = _undecorated(form)
        elif _is_mark(form[0]) and chars and chars[-1].isalpha():
            # Marks cut off from their letter by an invisible character: still its decoration.
            kept = _undecorated(chars[-1] + form)[1:]
        else:
            kept = form
        if kept != form:
            hidden.append(len(chars))
            form = kept
        for piece in form:
            if ignorable(piece):
                continue
            chars.append(piece)
            starts.append(index)
            ends.append(following)
        index = following


def _undecorated(form: str) -> str:
    """A letter and its marks without those that only decorate it."""
    if ord(form[0]) < _MARKS_DROPPED_BELOW:
        return "".join(c for c in form if not _is_mark(c))
    return "".join(c for c in form if not _is_decorating_mark(c))


def _is_decorating_mark(ch: str) -> bool:
    point = ord(ch)
    return any(first <= point <= last for first, last in _DECORATING_MARKS)


@lru_cache(maxsize=8192)
def _script(ch: str) -> int:
    if ch.isascii():
        return _LATIN if ch.isalpha() else _NONE
    if not ch.isalpha():
        return _NONE
    if ch in CONFUSABLES:
        return _AMBIGUOUS
    point = ord(ch)
    for low, high in _LATIN_RANGES:
        if low <= point <= high:
            return _LATIN
    return _FOREIGN


# A word as `_skeleton` reads it: a run of letters and digits (str.isalnum).
_ALNUM_RUN: Final = re.compile(r"[^\W_]+")


@lru_cache(maxsize=16384)
def _word_kind(word: str) -> int:
    """The class of a word by its letters: Latin wins, then another script, then look-alikes."""
    if word.isascii():
        return _NONE if word.isdigit() else _LATIN
    scripts = set(map(_script, word))
    for kind in (_LATIN, _FOREIGN, _AMBIGUOUS):
        if kind in scripts:
            return kind
    return _NONE


def _skeleton(chars: list[str], hidden: list[int]) -> list[tuple[int, int]]:
    """Map look-alikes to Latin in words that mix scripts or stand among Latin words.

    Returns the spans of words read only thanks to normalising (look-alikes, hidden
    characters inside). A word of look-alikes only ("ΝΟ", "НЕ") takes the script of its
    nearest neighbour that shows one: Latin beside "EPA/JOHN DOE", Greek in a Greek caption.
    """
    words = [
        (match.start(), match.end(), _word_kind(match.group()))
        for match in _ALNUM_RUN.finditer("".join(chars))
    ]
    hidden_at = set(hidden)
    disguised: list[tuple[int, int]] = []
    before, after = _shown_scripts(words)
    for position, (start, end, kind) in enumerate(words):
        flagged = bool(hidden_at) and any(point in hidden_at for point in range(start + 1, end))
        # A word of look-alikes only is Latin beside Latin words, or where no word shows a script.
        if kind == _AMBIGUOUS and (
            _LATIN in (before[position], after[position])
            or before[position] == after[position] == _NONE
        ):
            kind = _LATIN
            flagged = True
        if kind == _LATIN:
            mapped = False
            for point in range(start, end):
                latin_letter = CONFUSABLES.get(chars[point])
                if latin_letter is not None:
                    chars[point] = latin_letter
                    mapped = True
            flagged = flagged or mapped
        if flagged:
            disguised.append((start, end))
    return disguised


def _shown_scripts(words: list[tuple[int, int, int]]) -> tuple[list[int], list[int]]:
    """For each word, the script of the nearest word before and after it that shows one."""
    before: list[int] = []
    shown = _NONE
    for _, _, kind in words:
        before.append(shown)
        if kind in (_LATIN, _FOREIGN):
            shown = kind
    after: list[int] = [_NONE] * len(words)
    shown = _NONE
    for position in range(len(words) - 1, -1, -1):
        after[position] = shown
        kind = words[position][2]
        if kind in (_LATIN, _FOREIGN):
            shown = kind
    return before, after


def _collapse_runs(
    text: str, starts: list[int], ends: list[int], disguised: list[tuple[int, int]]
) -> tuple[str, list[int], list[int], list[tuple[int, int]], list[tuple[int, int]]]:
    """'N O  S A L E S' -> 'NO SALES': a gap wider than the run's narrowest one breaks words."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    # old index -> new index, for every character kept
    moved: dict[int, int] = {}
    runs: list[tuple[int, int]] = []
    flagged_runs: list[tuple[int, int]] = []
    cursor = 0

    def keep(index: int, ch: str) -> None:
        moved[index] = len(pieces)
        pieces.append(ch)
        new_starts.append(starts[index])
        new_ends.append(ends[index])

    for match in LETTER_SPACED.finditer(text):
        for index in range(cursor, match.start()):
            keep(index, text[index])
        gaps = list(_GAP_RUN.finditer(text, match.start(), match.end()))
        narrowest = min(len(gap.group()) for gap in gaps)
        run_start = len(pieces)
        keep(match.start(), text[match.start()])
        for gap in gaps:
            if len(gap.group()) > narrowest:
                moved[gap.start()] = len(pieces)
                pieces.append(" ")
                new_starts.append(starts[gap.start()])
                new_ends.append(ends[gap.end() - 1])
            keep(gap.end(), text[gap.end()])
        runs.append((run_start, len(pieces)))
        if len(gaps) + 1 >= _FLAGGED_RUN:
            flagged_runs.append((run_start, len(pieces)))
        cursor = match.end()
    for index in range(cursor, len(text)):
        keep(index, text[index])
    kept: list[tuple[int, int]] = []
    inside_runs = {index for start, end in runs for index in range(start, end)}
    for start, end in disguised:
        if start in moved and end - 1 in moved and moved[start] not in inside_runs:
            # A look-alike letter in a run is the run's: spans stay without overlaps.
            kept.append((moved[start], moved[end - 1] + 1))
    return "".join(pieces), new_starts, new_ends, sorted(kept + flagged_runs), runs
