"""Supplier names compared as one key: every spelling of a known supplier, no two suppliers."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from captions import PROFILES
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
