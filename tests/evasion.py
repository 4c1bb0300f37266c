"""Disguised restriction phrases: every lexicon phrase, written the ways a feed or an attacker may.

Shared by the evasion tests and `benches/evasion_count.py`. The phrases are read from the
lexicon files of every language the parser loads, so a language added there is covered here
without a change. Each disguise is a function phrase -> phrase; `FORMS` lists them by class.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Iterator
from importlib import resources

from captions_examples import PROFILE_CAPTIONS

from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights
from captions import parse_caption
from captions.lexicon import LANGUAGES
from captions.normalise import CONFUSABLES
from rights import Code, Outcome, Purpose, Restriction, RightsRecord, Use, evaluate

Disguise = Callable[[str, random.Random], str]

_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u2063")
_SPACES = ("\u00a0", "\u202f", "\u2009", "\u3000", "\u2007")
# Latin letter -> its look-alikes in Cyrillic and Greek (the reverse of the confusables table).
_LOOKALIKES: dict[str, list[str]] = {}
for _letter, _latin in sorted(CONFUSABLES.items()):
    if 0x0370 <= ord(_letter) < 0x0530:
        _LOOKALIKES.setdefault(_latin, []).append(_letter)


def restriction_phrases() -> list[tuple[str, str, tuple[Code, ...]]]:
    """(language, phrase, codes) for every restriction phrase of every lexicon language."""
    phrases = []
    for language in LANGUAGES:
        path = resources.files("captions") / f"lexicon_{language}.toml"
        data = tomllib.loads(path.read_text("utf-8"))
        for codes_text, listed in data.get("restrictions", {}).items():
            codes = tuple(Code(code) for code in codes_text.split("+"))
            phrases.extend((language, phrase, codes) for phrase in listed)
    return phrases


def credits() -> list[tuple[str, str]]:
    """(profile, caption up to and including its credit line) for every agency profile."""
    found = []
    for profile, (caption, expected) in sorted(PROFILE_CAPTIONS.items()):
        credit = expected.get("credit_line")
        if not credit or credit not in caption:
            continue
        found.append((profile, caption[: caption.index(credit) + len(credit)]))
    return found


def _case(phrase: str, rng: random.Random) -> str:
    return rng.choice((phrase.upper(), phrase.lower(), phrase.title(), phrase.swapcase()))


def _padded(phrase: str, rng: random.Random) -> str:
    padded = phrase.replace("/", " / ")
    return "".join(ch * rng.randint(2, 6) if ch == " " else ch for ch in padded)


def _zero_width(phrase: str, rng: random.Random) -> str:
    return "".join(
        ch + (rng.choice(_ZERO_WIDTH) if ch.isalpha() and rng.random() < 0.6 else "")
        for ch in phrase
    )


def _soft_hyphens(phrase: str, rng: random.Random) -> str:
    return "".join(ch + ("\u00ad" if ch.isalpha() and rng.random() < 0.4 else "") for ch in phrase)


def _fullwidth(phrase: str, rng: random.Random) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch
        for ch in phrase
    )


def _lookalikes(phrase: str, rng: random.Random) -> str:
    """Latin letters swapped for Cyrillic or Greek ones, Greek or Cyrillic ones for Latin."""
    letters = list(phrase)
    candidates = [i for i, ch in enumerate(letters) if ch in _LOOKALIKES or ch in CONFUSABLES]
    if not candidates:
        return phrase
    for index in rng.sample(candidates, max(1, len(candidates) // 2)):
        ch = letters[index]
        letters[index] = rng.choice(_LOOKALIKES[ch]) if ch in _LOOKALIKES else CONFUSABLES[ch]
    return "".join(letters)


def _letter_spaced(phrase: str, rng: random.Random) -> str:
    between = rng.choice(("  ", "   ", " / "))
    return between.join(" ".join(ch for ch in word if ch.isalnum()) for word in phrase.split())


def _evenly_spaced(phrase: str, rng: random.Random) -> str:
    return " ".join(ch for ch in phrase if ch.isalnum())


def _dotted(phrase: str, rng: random.Random) -> str:
    return " ".join(".".join(ch for ch in word if ch.isalnum()) + "." for word in phrase.split())


def _nbsp(phrase: str, rng: random.Random) -> str:
    return "".join(rng.choice(_SPACES) if ch == " " else ch for ch in phrase)


def _underlined(phrase: str, rng: random.Random) -> str:
    return "".join(ch + ("\u0332" if ch.isalpha() else "") for ch in phrase)


# Each class of disguise, alone; `disguise` combines them.
FORMS: dict[str, Disguise] = {
    "case": _case,
    "padded": _padded,
    "zero_width": _zero_width,
    "soft_hyphens": _soft_hyphens,
    "fullwidth": _fullwidth,
    "lookalikes": _lookalikes,
    "letter_spaced": _letter_spaced,
    "evenly_spaced": _evenly_spaced,
    "dotted": _dotted,
    "nbsp": _nbsp,
    "underlined": _underlined,
}
# The order a combination applies them in: letters first, spacing, then characters around them.
_ORDER = (
    ("case",),
    ("lookalikes",),
    ("padded", "letter_spaced", "evenly_spaced", "dotted"),
    ("nbsp",),
    ("zero_width", "soft_hyphens", "underlined"),
    ("fullwidth",),
)


def disguise(phrase: str, rng: random.Random) -> str:
    """One random combination of disguises, each class at most once."""
    form = phrase
    for group in _ORDER:
        if rng.random() < 0.5:
            form = FORMS[rng.choice(group)](form, rng)
    return form


def forbidden_purposes(codes: tuple[Code, ...]) -> list[Purpose]:
    """The purposes a record holding just these restrictions does not allow."""
    record = RightsRecord(
        agency="EPA",
        credit_line="EPA/JOHN DOE",
        restrictions=tuple(Restriction(code=code, text="") for code in codes),
    )
    return [
        purpose
        for purpose in Purpose
        if evaluate(record, Use(purpose=purpose)).decision is not Outcome.ALLOW
    ]


def violations(credit_caption: str, form: str, purposes: list[Purpose]) -> list[str]:
    """What goes wrong when `form` follows the credit: an allowed use, a credit line with it."""
    caption = f"{credit_caption} {form}"
    parsed = parse_caption(caption)
    problems = []
    if parsed.credit_line is not None and parsed.credit_line not in credit_caption:
        problems.append(f"credit line {parsed.credit_line!r}")
    record = read_rights(caption, EmbeddedMetadata())
    for purpose in purposes:
        if evaluate(record, Use(purpose=purpose)).decision is Outcome.ALLOW:
            problems.append(f"{purpose.value} allowed")
    return problems


def enumerated(seed: int = 12) -> Iterator[tuple[str, str, str, list[Purpose]]]:
    """Deterministically: every phrase under every class of disguise and one combination,
    after the credit of each profile in turn. Yields (credit caption, phrase, form, purposes)."""
    rng = random.Random(seed)
    profile_credits = credits()
    count = 0
    for _language, phrase, codes in restriction_phrases():
        purposes = forbidden_purposes(codes)
        if not purposes:
            continue
        for name in (*FORMS, "combined"):
            form = disguise(phrase, rng) if name == "combined" else FORMS[name](phrase, rng)
            _profile, credit_caption = profile_credits[count % len(profile_credits)]
            count += 1
            yield credit_caption, phrase, form, purposes
