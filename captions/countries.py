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

_ARTICLE: Final = (
    r"(?:(?<!\w)(?:the|die|der|den|la|le|les|el|il|lo|os|as|o|a|τη|την|το|στην|στο|στη)\s+)?"
)
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
    window_start = max(0, position - _LOOKBACK)
    match = _LIST_BEFORE.search(folded, window_start, position)
    if match is None:
        return None
    return match.start("list"), match.end("list")
