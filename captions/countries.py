"""Country names in territory restrictions -> ISO 3166 alpha-2 codes (data in countries.toml).

Matching runs over the folded caption (see tolerant.fold): offsets are the caption's own.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Final

from captions.tolerant import fold, phrase_atoms, phrase_key, trie_pattern

_DATA: Final = tomllib.loads((resources.files("captions") / "countries.toml").read_text("utf-8"))

_CODES_BY_KEY: Final[dict[str, tuple[str, ...]]] = {}
_ENGLISH_NAME: Final[dict[str, str]] = {}
for _code, _names in _DATA["countries"].items():
    _ENGLISH_NAME[_code] = _names[0]
    for _name in _names:
        _CODES_BY_KEY.setdefault(phrase_key(_name), (_code,))
_CODE_BY_THREE_LETTERS: Final[dict[str, str]] = {
    three: code for code, threes in _DATA.get("three_letter", {}).items() for three in threes
}
for _region, _members in _DATA.get("regions", {}).items():
    _CODES_BY_KEY.setdefault(phrase_key(_region), tuple(_members))

_ARTICLES: Final = (
    *("the", "die", "der", "den", "la", "le", "les", "el", "il", "lo", "os", "as", "o", "a"),
    *("τη", "την", "το", "στην", "στο", "στη"),
)
_ARTICLE: Final = r"(?:(?<!\w)(?:" + "|".join(_ARTICLES) + r")\s+)?"
_COUNTRY: Final = (
    r"(?<!\w)(?:" + trie_pattern(phrase_atoms(key) for key in _CODES_BY_KEY) + r")(?!\w)"
)
_LINK: Final = r"(?:\s*(?:,|/|&|;)\s*|\s+(?:and|or|und|et|y|e|ou|και)\s+|\s*,\s*(?:and|or)\s+)"
_LIST: Final = _ARTICLE + _COUNTRY + "(?:" + _LINK + _ARTICLE + _COUNTRY + ")*"

# A list of countries starting right here, after optional punctuation ("OUT: UK, IRELAND").
_LIST_AT: Final = re.compile(r"[\s:\-–,]{0,4}(?P<list>" + _LIST + ")")
# A list of countries ending right before an "OUT" ("JAPAN, CHINA OUT").
_LIST_BEFORE: Final = re.compile("(?P<list>" + _LIST + r")[\s,:\-–]{1,3}$")
_ONE: Final = re.compile(_COUNTRY)

_LOOKBACK: Final = 100
_KEY_WORDS: Final = [words for words in (phrase_key(key).split() for key in _CODES_BY_KEY) if words]
# A list before "OUT" ends with the last word of a country name, and opens with an article or
# the first word of one.
_LAST_WORDS: Final = frozenset(words[-1] for words in _KEY_WORDS)
_OPENING_WORDS: Final = frozenset(words[0] for words in _KEY_WORDS) | frozenset(_ARTICLES)
# What may stand between a list and the "OUT" after it (_LIST_BEFORE's tail), besides spaces.
_BEFORE_MARKS: Final = ",:-–"


def english_name(code: str) -> str:
    """The English name of an ISO code, as used in labels ("JP" -> "Japan")."""
    return _ENGLISH_NAME.get(code, code)


def codes_in(text: str) -> tuple[str, ...]:
    """ISO codes for every country named in a list ("UK, IRELAND" -> ("GB", "IE")), in order."""
    codes: list[str] = []
    for match in _ONE.finditer(fold(text)):
        for code in _CODES_BY_KEY.get(phrase_key(match.group()), ()):
            if code not in codes:
                codes.append(code)
    return tuple(codes)


def code_for_three_letters(text: str) -> str | None:
    """ "GER" -> "DE", "CHN" -> "CN": the codes IMAGO writes ("PUBLICATIONxNOTxINxGER")."""
    return _CODE_BY_THREE_LETTERS.get(text)


def list_after(folded: str, position: int) -> tuple[int, int] | None:
    """Span of a country list starting at `position` (after a lead such as "NO USE IN")."""
    match = _LIST_AT.match(folded, position)
    if match is None:
        return None
    return match.start("list"), match.end("list")


def list_before(folded: str, position: int) -> tuple[int, int] | None:
    """Span of a country list ending just before `position` (before an "OUT")."""
    if not _ends_with_country_word(folded, position):
        return None
    # What a search from the window's start finds, tried only where a list may open.
    for start in _list_openings(folded, max(0, position - _LOOKBACK), position):
        match = _LIST_BEFORE.match(folded, start, position)
        if match is not None:
            return match.start("list"), match.end("list")
    return None


def _ends_with_country_word(folded: str, position: int) -> bool:
    """Whether the word before `position` (past spaces and marks) ends a country name: a cheap
    look back that rules out most "OUT"s ("CCTV OUT") before the pattern search does."""
    end = position
    while end > 0 and (folded[end - 1].isspace() or folded[end - 1] in _BEFORE_MARKS):
        end -= 1
    start = end
    while start > 0 and folded[start - 1].isalnum():
        start -= 1
    return folded[start:end] in _LAST_WORDS


def _list_openings(folded: str, start: int, end: int) -> list[int]:
    r"""Where in folded[start:end] a country list may open, in order: the starts of words (as
    `(?<!\w)` reads them) that are an article or a country name's first word."""
    openings: list[int] = []
    index = start
    while index < end:
        if not folded[index].isalnum():
            index += 1
            continue
        word_end = index + 1
        while word_end < end and folded[word_end].isalnum():
            word_end += 1
        before = folded[index - 1] if index else " "
        if not (before.isalnum() or before == "_") and folded[index:word_end] in _OPENING_WORDS:
            openings.append(index)
        index = word_end
    return openings
