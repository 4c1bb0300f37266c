"""The dateline place: where the caption says the picture was taken ("in Kyiv, Ukraine").

Read from the sentence that carries the date: the place phrase after "in", "near", "à", "no"...
closest to the date, preferring "on DATE in CITY" and "in CITY, DATE". Loose by design.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Final

from captions.dates import STOP_WORDS, WEEKDAY_KEYS, FoundDate
from captions.sentences import first_boundary, sentence_start
from captions.tolerant import fold, is_letter_at, phrase_key, trie_pattern

_DATA: Final = tomllib.loads((resources.files("captions") / "places.toml").read_text("utf-8"))
_STRONG: Final = set(_DATA["prepositions"]["strong"])
_INSIDE: Final = set(_DATA["words"]["inside_place"])
_NAMED: Final = tuple(_DATA["words"]["named"])
_PLACE_NOUN_LEAD: Final = re.compile(
    r"^(?:[^\W\d_A-Z]+\s+)?(?:"
    + "|".join(re.escape(n) for n in sorted(_DATA["words"]["place_nouns"], key=len, reverse=True))
    + r")(?:\s+[^\W\d_A-Z]+)?\s+(?:(?:of|de|du|di|del|della|do|da)\s+(?:the\s+)?|d['’])"
    r"(?=[^\W\d_a-z])"
)
_NAMED_CHARS: Final = max(map(len, _NAMED), default=0)

_PREPOSITIONS: Final = sorted(_STRONG | set(_DATA["prepositions"]["weak"]), key=len, reverse=True)
# Words a dateline keeps in lower case: prepositions, articles and the like ("in the north of").
LOWER_CASE_WORDS: Final = frozenset(
    word for phrase in (*_PREPOSITIONS, *_INSIDE) for word in phrase.split()
) | frozenset(_DATA["words"]["lower_case"])
_ARTICLE: Final = (
    r"(?:(?:the|an|a|le|la|les|l'|el|los|las|il|lo|o|os|der|die|dem|den|das|un|une)\s+)?"
)
# Italian and Portuguese "a" is an English article too: it opens a place only before a capital.
_ARTICLE_LIKE: Final = {"a", "ad", "al", "alla", "allo"}
_BEFORE_CAPITAL: Final = r"(?=\s+[^\W\d_a-zß-ÿ])"


def _preposition_atoms(preposition: str) -> list[str]:
    atoms = [re.escape(ch) for ch in preposition]
    if preposition in _ARTICLE_LIKE:
        atoms[-1] += _BEFORE_CAPITAL
    return atoms


# One prefix tree of prepositions: every space in a caption is a possible start.
_CANDIDATE: Final = re.compile(
    r"[\s(](?P<prep>"
    + trie_pattern(_preposition_atoms(p) for p in _PREPOSITIONS)
    + r")\s+"
    + _ARTICLE
)
_STOP_WORDS: Final = STOP_WORDS | {fold(word) for word in _DATA["words"]["not_places"]}
_ABBREVIATION: Final = re.compile(r"^(?:[A-Z]\.)+$")
_MAX_PLACE_WORDS: Final = 12
_MAX_PLACE_CHARS: Final = 160
# A dateline sits in one sentence; longer "sentences" are not read further than this.
_MAX_SENTENCE_CHARS: Final = 600
_MAX_SENTENCES_BACK: Final = 3
_IMMEDIATE: Final = re.compile(r",?\s+(?:in|à|en|em|no|na|a)\s")
# "07.09.2024, Bayern, München: Besucher ...", "June 8, 2024, Los Angeles, California, USA: ...":
# the place follows the date and ends at a colon.
_LEAD_AFTER_DATE: Final = re.compile(r",\s+(?P<place>[^\W\d_][^\n:.;!?()]{0,80}?):\s")
# "Mar 12, 2025; Boston, Massachusetts, USA; Celtics guard ...": Imagn's dateline.
_BETWEEN_SEMICOLONS: Final = re.compile(r";\s+(?P<place>[^\W\d_][^\n:;.!?()]{0,80}?);\s")
# "..., Saturday 3 August 2024, Glasgow." : the place closes the sentence after the date.
_TRAILING_AFTER_DATE: Final = re.compile(r",\s+(?P<place>[^\W\d_][^\n:.;!?()]{0,60}?)\s*(?:[.!]|$)")
# "GAZA CITY, GAZA - MARCH 01:", "ISTANBUL, TURKIYE -": an upper-case dateline opens the caption.
_UPPER_DATELINE: Final = re.compile(
    r"^(?P<place>[A-Z][A-Z'. -]{1,40}(?:, [A-Z][A-Z'. -]{1,40}){0,2}) [-–] "
)
_PLACE_THEN_DATE: Final = re.compile(
    r"[\W\d_]*?(?P<place>[^\W\d_a-z][^\W\d_]+(?:[ -][^\W\d_a-z][^\W\d_]+){0,3}),\s*"
    r"(?:(?:am|le|el|il|on)\s+)?"
)
_DATE_ARTICLES: Final = {"il", "el", "le", "lo", "am"}
# "MADRID, 12/03/2025.- El presidente ...", "Bogotá, 12 mar (EFE).- ...": EFE's dateline.
_EFE_LEAD: Final = 110
_EFE_DATELINE: Final = re.compile(
    r"^(?P<place>[^\W\d_](?:[^\W\d_]|[' .-]){1,40}?(?:\s\([^()\n]{2,30}\))?),"
    r"\s[^\n]{1,30}?\.-\s"
)
# "ANKARA, TURKIYE - JULY 12: ...": Getty's dateline, with the day after the dash.
_DATED_UPPER_DATELINE: Final = re.compile(
    r"^[A-Z][A-Z'. -]{1,40}(?:, [A-Z][A-Z'. -]{1,40}){0,2} [-–] [A-Z]{3,9}\.? \d{1,2}:"
)
_MAX_SPACES: Final = 3
_DATE_LEAD_AT_END: Final = re.compile(r"(?:,|\s+on|\s+le|\s+el|\s+il|\s+am|\s+vom|\s[-–])$")
_DATE_LEAD_WORDS: Final[tuple[str, ...]] = ("on", "le", "el", "il", "am", "vom")
_LOCATIVE_AFTER: Final = tuple(_DATA["words"]["locative_after"])
# Turkish: a name with its locative case after an apostrophe ("Ankara'da", "İzmir'de").
_LOCATIVE_SUFFIX: Final = re.compile(
    r"(?<!\w)(?P<place>[A-ZÇĞİÖŞÜ][^\W\d_]+)['’](?:"
    + "|".join(_DATA["words"]["locative_suffixes"])
    + r")(?!\w)"
)
# Any of them, found in one pass (every branch opens with the space, which the engine seeks).
_ANY_LOCATIVE: Final = re.compile("|".join(" " + re.escape(word) for word in _LOCATIVE_AFTER))


def find_place(caption: str, limit: int, found: FoundDate | None) -> str | None:
    """The dateline phrase in caption[:limit], anchored on the caption's date when it has one."""
    if limit <= 0:
        return None
    efe = caption.find(".-", 0, _EFE_LEAD) != -1
    dateline = _EFE_DATELINE.match(caption, 0, limit) if efe else None
    if dateline is not None and _all_capitalised(dateline.group("place").split(" (")[0]):
        return dateline.group("place").strip()
    place = _body_place(caption, limit, found)
    if caption[:2].isupper() and _DATED_UPPER_DATELINE.match(caption) is not None:
        upper = _upper_dateline(caption)
        if upper is not None and (place is None or not _agrees(upper, place)):
            # The agency's dateline says where; a body place elsewhere is a detail of it.
            return upper
    return place


def _agrees(dateline: str, place: str) -> bool:
    """'NEW YORK, NEW YORK' and 'New York City': the body place names the dateline's city."""
    city = fold(dateline.split(",")[0]).strip()
    return bool(city) and city in fold(place)


def _body_place(caption: str, limit: int, found: FoundDate | None) -> str | None:
    """The place phrase in the caption's text, anchored on its date when it has one."""
    if found is not None and found.end <= limit:
        start = sentence_start(caption, found.start, max(0, found.start - _MAX_SENTENCE_CHARS))
        stop = min(limit, found.end + _MAX_SENTENCE_CHARS)
        first = first_boundary(caption, found.end, stop)
        end = stop if first is None else first
        place = _around_date(caption, start, end, found) or _named_before_date(
            caption, start, found.start
        )
        previous = start
        for _ in range(_MAX_SENTENCES_BACK):
            if place is not None or previous <= 0:
                break
            # "... at 10 Downing Street, London. Picture date: Friday July 5, 2024.": the date
            # has a sentence of its own; the place is in a sentence before it.
            previous_end = previous
            while previous_end > 0 and caption[previous_end - 1] in " \t\n.!?":
                previous_end -= 1
            floor = max(0, previous_end - _MAX_SENTENCE_CHARS)
            previous = sentence_start(caption, previous_end, floor)
            place = _best_candidate(caption, previous, previous_end)
        return place or _upper_dateline(caption) or _locative(caption, limit)
    stop = min(limit, _MAX_SENTENCE_CHARS)
    first = first_boundary(caption, 0, stop)
    end = stop if first is None else first
    place = _best_candidate(caption, 0, end)
    if place is None and first is not None and _is_instruction(caption[:end]):
        # "NO USE IN GERMANY. A player in action in Munich.": an instruction opens the caption.
        second = first_boundary(caption, first, stop)
        following = stop if second is None else second
        place = _best_candidate(caption, end, following)
    return place or _upper_dateline(caption) or _locative(caption, limit)


def _named_before_date(caption: str, start: int, date_start: int) -> str | None:
    """'Berlin, 15.01.2026.': a sentence of a place and the date names the place."""
    match = _PLACE_THEN_DATE.fullmatch(caption, start, date_start)
    if match is None or fold(match.group("place")) in _STOP_WORDS:
        # "Sunday, January 9, 2022": a weekday, not a place.
        return None
    return match.group("place")


def _is_instruction(sentence: str) -> bool:
    """An upper-case opening sentence ("NO USE IN GERMANY.", "EMBARGOED UNTIL ...") has no place."""
    return any(map(str.isalpha, sentence)) and sentence.upper() == sentence


def _best_candidate(caption: str, start: int, end: int) -> str | None:
    """Without a date: the last place after a strong preposition, else after a weak one."""
    candidates = _candidates(caption, start, end)
    for _position, prep_end, strong in reversed(candidates):
        if strong:
            phrase = _phrase(caption, prep_end, end)
            if phrase:
                return phrase
    for _position, prep_end, strong in reversed(candidates):
        if not strong:
            phrase = _phrase(caption, prep_end, end)
            if phrase:
                return phrase
    return None


def _upper_dateline(caption: str) -> str | None:
    match = _UPPER_DATELINE.match(caption)
    if match is None:
        return None
    place = match.group("place").strip()
    return place if len(place) >= 3 and place.upper() == place else None


def _locative(caption: str, limit: int) -> str | None:
    """Turkish: 'Deyr Balah kentindeki' -> 'Deyr Balah'."""
    text = caption[: min(limit, _MAX_SENTENCE_CHARS)]
    if _ANY_LOCATIVE.search(text) is None:
        return _suffixed_locative(text)
    for word in _LOCATIVE_AFTER:
        index = text.find(" " + word)
        if index > 0:
            words: list[str] = []
            for token in reversed(text[:index].split()[-4:]):
                if not token[:1].isupper() or token.endswith(","):
                    break
                words.insert(0, token)
            if words:
                return " ".join(words)
    return _suffixed_locative(text)


def _suffixed_locative(text: str) -> str | None:
    """Turkish: 'Ankara'da' -> 'Ankara'."""
    if "'" not in text and "’" not in text:
        return None
    suffixed = _LOCATIVE_SUFFIX.search(text)
    return suffixed.group("place") if suffixed is not None else None


def _around_date(caption: str, start: int, end: int, found: FoundDate) -> str | None:
    # What follows the date decides which of the patterns read from there can match at all.
    after = caption[found.end : found.end + 1]
    lead = _lead_after_date(caption, found.end, after)
    if lead is not None and _all_capitalised(lead.group("place")):
        return lead.group("place").strip()
    candidates = _candidates(caption, start, end)
    immediate = _IMMEDIATE.match(caption, found.end) if after == "," or after.isspace() else None
    if immediate is not None:
        for position, prep_end, _strong in candidates:
            if found.end <= position < immediate.end():
                phrase = _phrase(caption, prep_end, end)
                if phrase:
                    return phrase
    # "London, Wednesday, March 5, 2025", "Αθήνα, Τετάρτη 5 Μαρτίου 2025": a weekday leads in.
    date_start = _weekday_before(caption, start, found.start)
    before = [c for c in candidates if c[0] < date_start]
    pair = _pair_before_date(caption, before, date_start)
    if pair is not None:
        return pair
    for wanted in (True, False):
        for _position, prep_end, strong in reversed(before):
            if strong is wanted:
                phrase = _phrase(caption, prep_end, date_start)
                if phrase:
                    return phrase
    for wanted in (True, False):
        for position, prep_end, strong in candidates:
            if position >= found.end and strong is wanted:
                phrase = _phrase(caption, prep_end, end)
                if phrase:
                    return phrase
    trailing = _TRAILING_AFTER_DATE.match(caption, found.end, end + 1) if after == "," else None
    if trailing is not None and _all_capitalised(trailing.group("place")):
        return trailing.group("place").strip()
    return _comma_place(caption, start, date_start)


def _lead_after_date(caption: str, date_end: int, after: str) -> re.Match[str] | None:
    """A place from the date to a colon, or between semicolons; `after` follows the date."""
    if after == ",":
        return _LEAD_AFTER_DATE.match(caption, date_end)
    if after == ";":
        return _BETWEEN_SEMICOLONS.match(caption, date_end)
    return None


def _weekday_before(caption: str, start: int, date_start: int) -> int:
    """Where a weekday just before the date begins ("Wednesday, March 5"), else `date_start`.

    Read back from the date: one to three spaces, a comma or full stop, then the word.
    """
    end = date_start
    while end > start and date_start - end < _MAX_SPACES and caption[end - 1].isspace():
        end -= 1
    if end == date_start:
        return date_start
    if end > start and caption[end - 1] == ",":
        end -= 1
    if end > start and caption[end - 1] == ".":
        end -= 1
    word_start = end
    while word_start > start and (
        is_letter_at(caption, word_start - 1) or caption[word_start - 1] == "-"
    ):
        word_start -= 1
    # No key is longer than its word: a word shorter than every weekday ("on") is none.
    if end - word_start < _SHORTEST_WEEKDAY:
        return date_start
    if phrase_key(caption[word_start:end]) not in WEEKDAY_KEYS:
        return date_start
    return word_start


_SHORTEST_WEEKDAY: Final = min(map(len, WEEKDAY_KEYS))


def _pair_before_date(
    caption: str, before: list[tuple[int, int, bool]], date_start: int
) -> str | None:
    """'in the Green Drawing Room at Windsor Castle, Britain, 20 March 2025': the "Place,
    Country" phrase that runs up to the date is the dateline, whatever its preposition."""
    for _position, prep_end, _strong in reversed(before):
        phrase = _phrase(caption, prep_end, date_start)
        if not phrase:
            continue
        if "," not in phrase:
            return None
        rest = _without_date_lead(caption[prep_end:date_start].rstrip()).rstrip(" ,")
        return phrase if " ".join(rest.split()).endswith(phrase) else None
    return None


def _without_date_lead(text: str) -> str:
    """`text` less the comma, dash or word that leads into a date at its end (", on", " le").

    What removing _DATE_LEAD_AT_END does, read from the end: the regex tried every position.
    """
    if text.endswith("\n"):
        # "$" also matches before a final newline: leave that case to the regex.
        return _DATE_LEAD_AT_END.sub("", text)
    if text.endswith(","):
        return text[:-1]
    if len(text) >= 2 and text[-1] in "-–" and text[-2].isspace():
        return text[:-2]
    for word in _DATE_LEAD_WORDS:
        if text.endswith(word):
            stem = text[: len(text) - len(word)]
            bare = stem.rstrip()
            return bare if len(bare) < len(stem) else text
    return text


def _all_capitalised(place: str) -> bool:
    """'Bayern, München', 'Los Angeles, California, USA': every piece a capitalised name."""
    pieces = [piece.strip() for piece in place.split(",")]
    if not pieces or len(pieces) > 4:
        return False
    for piece in pieces:
        words = piece.split()
        if not 1 <= len(words) <= 4:
            return False
        if not all(w[0].isupper() or w in _INSIDE for w in words) or not words[0][0].isupper():
            return False
    return True


def _candidates(caption: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Prepositions that may open a place: (where, where the place would start, strong?)."""
    if end - start > _MAX_CACHED_SENTENCE:
        return _candidates_in(caption, start, end)
    # Only caption[start:end] is read: cached by that text (sentences recur), offsets shifted.
    found = _cached_candidates(caption[start:end])
    if not start:
        return list(found)
    return [(position + start, place + start, strong) for position, place, strong in found]


_MAX_CACHED_SENTENCE: Final = 700


@lru_cache(maxsize=2048)
def _cached_candidates(sentence: str) -> tuple[tuple[int, int, bool], ...]:
    return tuple(_candidates_in(sentence, 0, len(sentence)))


def _candidates_in(caption: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    result: list[tuple[int, int, bool]] = []
    for match in _CANDIDATE.finditer(caption, start, end):
        position = match.start() + 1
        prep = match.group("prep")
        if prep in _ARTICLE_LIKE and not _closed_name(caption, match.end(), end):
            # Italian "a Napoli," but English "shows a North Korean missile".
            continue
        result.append((position, match.end(), prep in _STRONG))
    return result


def _closed_name(caption: str, position: int, stop: int) -> bool:
    """Capitalised words from `position` ending at punctuation or the end, not at a lower word."""
    for word in caption[position:stop].split()[:_MAX_PLACE_WORDS]:
        if not word[:1].isupper():
            # "a Roma il 5 marzo 2024": a date's article closes the name too.
            return word in _DATE_ARTICLES
        if word[-1] in ",.;:":
            return True
    return True


def _phrase(caption: str, position: int, stop: int) -> str | None:
    """The place words starting at `position`: capitalised words and a few joiners."""
    # Read from these two slices only, so cached by them: places recur from caption to caption.
    return _place_words(
        caption[position : min(stop, position + _MAX_PLACE_CHARS)],
        caption[position : position + _NAMED_CHARS],
    )


@lru_cache(maxsize=4096)
def _place_words(text: str, head: str) -> str | None:
    """_phrase over `text` (up to the stop); `head` is the caption from the same position."""
    if head.startswith(_NAMED):
        for named in _NAMED:
            if head.startswith(named):
                return named
    if text[:1].islower():
        lead = _PLACE_NOUN_LEAD.match(text)
        if lead is not None:
            # "port of Felixstowe, UK": the name after the common noun.
            text = text[lead.end() :]
    bracket = text.find("(")
    if bracket != -1:
        text = text[:bracket]
    words: list[str] = []
    tokens = text.split()
    if (
        len(tokens) > 2
        and tokens[1] == "of"
        and tokens[0].isalpha()
        and tokens[0].islower()
        and tokens[2][:1].isupper()
    ):
        # "off the beach of Gravelines, northern France": the name after a common noun.
        tokens = tokens[2:]
    if len(tokens) > 1 and tokens[0].isdigit() and len(tokens[0]) <= 4 and tokens[1][:1].isupper():
        # "at 10 Downing Street": a house number opens the place.
        words.append(tokens.pop(0))
    for word in tokens:
        comma = word.endswith(",")
        if comma:
            word = word[:-1]
        bare = word.rstrip(".:;!?\"'”")
        key = bare.lower()
        if not key.isascii():
            key = fold(bare)
        if not bare or bare[0].isdigit() or key in _STOP_WORDS:
            break
        if not (bare[0].isupper() or bare in _INSIDE) or len(words) == _MAX_PLACE_WORDS:
            break
        abbreviation = word[-1:] == "." and _ABBREVIATION.match(word) is not None
        words.append((word if abbreviation else bare) + ("," if comma else ""))
        if word != bare and not abbreviation:
            break
        if abbreviation and not comma:
            break
    while words and (words[-1].rstrip(",") in _INSIDE or not words[-1].rstrip(",")):
        words.pop()
    if not words or not any(w[0].isupper() for w in words):
        return None
    if words[-1].endswith(("'s", "’s")):
        # "from North Korea's official news agency": a possessive, not a place.
        return None
    return " ".join(words).rstrip(",")


def _comma_place(caption: str, start: int, date_start: int) -> str | None:
    """'Night view of glaciers , Antarctica on November 08, 2019' -> 'Antarctica'."""
    before = caption[start:date_start].rstrip()
    before = _without_date_lead(before).rstrip(" ,")
    dash = max(before.rfind(" - "), before.rfind(" – "))
    if dash != -1 and _all_capitalised(before[dash + 3 :].strip()):
        # "Premier League - Arsenal v Chelsea - Emirates Stadium, London, Britain - March 10".
        return before[dash + 3 :].strip()
    comma = before.rfind(",")
    if comma == -1:
        # "Berlin, 15.01.2026.": a sentence of its own, the place and the date.
        alone = before.strip()
        if (
            start > 0
            and ":" not in alone
            and fold(alone) not in _STOP_WORDS
            and _all_capitalised(alone)
        ):
            return alone
        return None
    segment = before[comma + 1 :].strip().rstrip(".")
    words = segment.split()
    if fold(segment) in _STOP_WORDS:
        return None
    if not (1 <= len(words) <= 4 and all(w[0].isupper() or w in _INSIDE for w in words)):
        return None
    # "Fans at the final, Wembley Stadium, London, UK - 01 Jun 2024" (a titled line): the
    # capitalised comma-separated names before the date.
    pieces = [segment]
    for piece in reversed(before[:comma].split(",")[-3:]):
        piece = piece.strip()
        if not piece or not _all_capitalised(piece) or fold(piece) in _STOP_WORDS:
            break
        pieces.insert(0, piece)
    return ", ".join(pieces)
