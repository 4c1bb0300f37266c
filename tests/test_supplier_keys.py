"""Supplier names compared as one key: every spelling of a known supplier, no two suppliers.

The key is the caption normaliser's (`captions.normalise.fold_for_match`): besides case,
accents, spacing and invisible characters, a name disguised with look-alike letters of other
scripts, fullwidth forms or letter-spacing keeps its key.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from captions import PROFILES
from captions.normalise import CONFUSABLES
from captions.normalise import fold_for_match as supplier_key

KNOWN = sorted({(alias, profile.name) for profile in PROFILES for alias in profile.aliases})
SPACES = ["", " ", "  ", "\t", "\u00a0", "\u202f", "\u3000", "\n"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str, str]:
    """(a known name, its profile's name, the name as a careless desk or a feed wrote it)."""
    alias, name = draw(st.sampled_from(KNOWN))
    case = draw(st.sampled_from([str.upper, str.lower, str.title, str.casefold, str]))
    text = case(alias)
    if draw(st.booleans()):
        text = fullwidth(text)
    if len(text) > 1 and draw(st.booleans()):
        cut = draw(st.integers(1, len(text) - 1))
        text = text[:cut] + draw(st.sampled_from(INVISIBLE)) + text[cut:]
    text = text.replace(" ", draw(st.sampled_from([" ", "  ", "\u00a0", "\t", " - ", " / "])))
    text = draw(st.sampled_from(SPACES)) + text + draw(st.sampled_from([*SPACES, ".", ","]))
    return alias, name, text


# Latin letter -> the letters of other scripts that look like it (Cyrillic, Greek, ...).
LOOK_ALIKES: dict[str, list[str]] = {}
for _other, _latin in sorted(CONFUSABLES.items()):
    LOOK_ALIKES.setdefault(_latin, []).append(_other)
# Names written in Latin letters (and digits), which a disguise can imitate.
LATIN_KNOWN = [(alias, name) for alias, name in KNOWN if alias.isascii()]


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str, str]:
    """(a known name, its profile's name, the name disguised as an attacker or a feed would)."""
    alias, name = draw(st.sampled_from(LATIN_KNOWN))
    text = draw(st.sampled_from([str.upper, str.lower, str]))(alias)
    letters = list(text)
    for index, letter in enumerate(letters):
        others = LOOK_ALIKES.get(letter)
        if others and draw(st.booleans()):
            letters[index] = draw(st.sampled_from(others))
    text = "".join(letters)
    if draw(st.booleans()):
        text = fullwidth(text)
    if draw(st.booleans()):
        # Letter-spaced, words set apart by a wider gap: "E P A", "A G E N C I A   B R A S I L".
        gap = draw(st.sampled_from([" ", ".", " . ", "\u00a0"]))
        text = (gap * 3).join(gap.join(word) for word in text.split())
    if len(text) > 1 and draw(st.booleans()):
        cut = draw(st.integers(1, len(text) - 1))
        text = text[:cut] + draw(st.sampled_from(INVISIBLE)) + text[cut:]
    return alias, name, draw(st.sampled_from(SPACES)) + text + draw(st.sampled_from(SPACES))


@given(disguised())
def test_look_alike_fullwidth_and_spaced_names_keep_their_key(case: tuple[str, str, str]) -> None:
    alias, _name, written = case
    assert supplier_key(written) == supplier_key(alias), written


@given(disguised())
def test_a_disguised_name_never_takes_another_suppliers_key(case: tuple[str, str, str]) -> None:
    _alias, name, written = case
    owners = {other for alias, other in KNOWN if supplier_key(alias) == supplier_key(written)}
    assert owners <= {name}


def test_look_alikes_of_the_examples_an_attacker_tried() -> None:
    assert supplier_key("\u0415PA") == supplier_key("EPA") == "epa"  # Cyrillic Е
    assert supplier_key("\u0395\u03a1\u0391") == "epa"  # Greek ΕΡΑ
    assert supplier_key("ＥＰＡ") == supplier_key("E P A") == supplier_key("E.P.A.") == "epa"
    assert supplier_key("R E U T E R S") == supplier_key("Reuters")
    assert supplier_key("\u0442\u0430\u0441\u0441") == supplier_key("\u0422\u0410\u0421\u0421")
    # Genuine Greek or Russian words keep their own letters: nothing to imitate.
    assert supplier_key("ΑΠΕ-ΜΠΕ") == "απε μπε"
    assert supplier_key("\u0415PA-EFE") != supplier_key("EPA")


@given(spellings())
def test_every_spelling_of_a_known_supplier_has_its_key(case: tuple[str, str, str]) -> None:
    alias, _name, written = case
    assert supplier_key(written) == supplier_key(alias)


@given(spellings())
def test_key_is_stable_once_taken(case: tuple[str, str, str]) -> None:
    key = supplier_key(case[2])
    assert supplier_key(key) == key
    assert key == key.strip() and "  " not in key


def test_distinct_suppliers_never_share_a_key() -> None:
    owner: dict[str, str] = {}
    for alias, name in KNOWN:
        key = supplier_key(alias)
        assert key, alias
        assert owner.setdefault(key, name) == name, (alias, name, owner[key])


def test_profile_names_stay_apart_pairwise() -> None:
    names = sorted({p.name for p in PROFILES})
    for a, b in itertools.combinations(names, 2):
        assert supplier_key(a) != supplier_key(b), (a, b)


def test_accents_and_dotted_capitals_fold_and_letters_are_kept() -> None:
    assert supplier_key(" Agência\u00a0Brasil ") == "agencia brasil"
    assert supplier_key("A.P.") == supplier_key("AP") == "ap"
    assert supplier_key("U.S.A. TODAY Sports") == supplier_key("USA TODAY Sports")
    assert supplier_key("News1") == "news1"
    assert supplier_key("---") == ""
    assert supplier_key("EPA") != supplier_key("EPA-EFE")
