"""The supplier (the party whose terms govern) is read in every form feeds write it.

Two labelled sets of credits, IPTC Credit/Source/By-line fields and captions in the styles
suppliers use (wire, library, stock, handout, pool, social), written together:

- `suppliers_tune.jsonl` (181): measured blind with parser 1.14.0, then its misses fixed by class
  (1.15.0): sub-brands and libraries in the profiles, close spellings of known names, desk
  markers, the Source field's delivering supplier, "via" in the Credit field. Four of its labels
  were made to follow the dev set's rules after the blind figure (a sub-brand named in Source
  is the source; "Handout/Getty Images" and "Social Media/via REUTERS" name no source).
- `suppliers_holdout.jsonl` (77): never tuned on; measured blind with 1.14.0 and after.

The goal is 97% of suppliers right on a set not tuned on (`GOAL_SUPPLIER` in
benches/caption_eval.py). Floors are what the parser measurably meets, rounded down; raise
them when it improves.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights
from benches.caption_eval import GOAL_F1, GOAL_SUPPLIER, read_rows
from captions import PROFILES, agency_profile, parse_caption
from captions.embedded import EmbeddedCredit, with_embedded
from captions.profiles import profile_for_key
from captions.supplier_match import ONE_EDIT_FROM, edit_distance, own_word_bound
from captions.tolerant import phrase_key
from tests.labelled_sets import DATA, report_for

SETS = {
    "suppliers_tune.jsonl": {
        "min_rows": 150,
        # 1.15.0: supplier 0.983; agency 0.986, source 0.969, credit_line 1.000, byline 0.992,
        # handout 1.000, pool 1.000.
        # (blind, 1.14.0, these labels: supplier 0.707; agency 0.736, source 0.652,
        # credit_line 0.994, handout 0.727, pool 1.000, byline 0.968)
        "supplier": 0.97,
        "floors": {"agency": GOAL_F1, "source": GOAL_F1, "credit_line": GOAL_F1, "byline": GOAL_F1},
    },
    "suppliers_holdout.jsonl": {
        "min_rows": 60,
        # 1.15.0, not tuned on: supplier 0.987; agency 0.993, source 0.980, credit_line, byline,
        # handout and pool 1.000.
        # (blind, 1.14.0: supplier 0.623; agency 0.658, source 0.581, credit_line 0.993,
        # handout 0.800, pool 1.000, byline 0.923)
        "supplier": 0.97,
        "floors": {"agency": GOAL_F1, "source": GOAL_F1, "credit_line": GOAL_F1, "byline": GOAL_F1},
    },
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_supplier_set_is_substantial_and_labelled(name: str) -> None:
    rows = read_rows(DATA / name)
    assert len(rows) >= SETS[name]["min_rows"]
    for row in rows:
        expected = row["expected"]
        assert {"agency", "source", "credit_line", "byline", "handout", "pool"} <= set(expected)
        credit = expected["credit_line"]
        embedded = row.get("embedded") or {}
        assert credit is None or credit in row["caption"] or credit == embedded.get("credit")


@pytest.mark.parametrize("name", sorted(SETS))
def test_suppliers_read_right_meet_the_floor(name: str) -> None:
    report = report_for(name)
    floor = SETS[name]["supplier"]
    assert floor <= GOAL_SUPPLIER
    misses = [m for m in report.misses if m.field == "agency"]
    assert report.supplier_accuracy >= floor, (report.supplier_accuracy, misses)


@pytest.mark.parametrize(
    ("name", "field"), [(name, field) for name, spec in SETS.items() for field in spec["floors"]]
)
def test_supplier_set_fields_meet_their_floor(name: str, field: str) -> None:
    report = report_for(name)
    misses = [m for m in report.misses if m.field == field]
    assert report.f1(field) >= SETS[name]["floors"][field], (report.f1(field), misses)


# --- close spellings of known names only

_KNOWN_KEYS = sorted(
    {phrase_key(n) for p in PROFILES for n in (*p.aliases, *p.brands) if phrase_key(n)}
)
_KNOWN_COMPACT = sorted({key.replace(" ", "") for key in _KNOWN_KEYS})


def _near_a_known_name(word: str) -> bool:
    return any(edit_distance(word, known, 3) <= 3 for known in _KNOWN_COMPACT)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=14))
def test_an_unknown_word_never_becomes_an_agency(word: str) -> None:
    assume(not _near_a_known_name(word))
    assert profile_for_key(word) is None
    name = word.capitalize()
    parsed = parse_caption(f"A man walks in Paris, 3 May 2024. Photo: Jane Roe/{name} Images")
    assert parsed.agency is None or agency_profile(parsed.agency) is None, parsed


_LONG_NAMES = sorted(
    {
        (key, profile.name)
        for profile in PROFILES
        for key in (phrase_key(n) for n in (*profile.aliases, *profile.brands))
        if key.isalpha() and key.isascii() and len(key) >= ONE_EDIT_FROM
    }
)


def _one_edit(word: str, kind: int, at: int, letter: str) -> str:
    """One edit of `word` after its first letter: substitute, delete, insert or swap."""
    at = 1 + at % (len(word) - 1)
    if kind == 0:
        return word[:at] + letter + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    if kind == 2:
        return word[:at] + letter + word[at:]
    at = min(at, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_LONG_NAMES),
    st.integers(0, 3),
    st.integers(0, 40),
    st.sampled_from(string.ascii_lowercase),
)
def test_a_known_name_one_edit_off_is_still_its_supplier(
    known: tuple[str, str], kind: int, at: int, letter: str
) -> None:
    key, supplier = known
    edited = _one_edit(key, kind, at, letter)
    assume(edited != key)
    # Another supplier's name as near would make the spelling ambiguous: then none is read.
    own = agency_profile(supplier)
    others = [k.replace(" ", "") for k in _KNOWN_KEYS if profile_for_key(k) is not own]
    assume(not any(edit_distance(edited, other, 2) <= 2 for other in others))
    found = profile_for_key(edited)
    assert found is not None and found.name == supplier, (key, edited, found)


def test_bounds_grow_with_the_length_of_a_name() -> None:
    assert [own_word_bound(n) for n in (3, 5, 6, 9, 10, 14)] == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize(
    ("written", "supplier"),
    [
        ("Gettyimages", "Getty Images"),
        ("GettyImages", "Getty Images"),
        ("dpaBildfunk", "dpa"),
        ("dpa-Bildfunk", "dpa"),
        ("AFPPHOTO", "AFP"),
        ("AAPIMAGE", "AAP"),
        ("Shutterstock.com", "Shutterstock"),
        ("ZumaPress Wire", "ZUMA Press"),
        ("SipaUSA", "Sipa USA"),
        ("Rueters", "Reuters"),
        ("Anadolu Agancy", "Anadolu Agency"),
        ("THE CANADIAN PRES", "The Canadian Press"),
        ("Alamy Stock Foto", "Alamy"),
    ],
)
def test_joined_glued_and_misspelt_forms_name_their_supplier(written: str, supplier: str) -> None:
    found = profile_for_key(phrase_key(written))
    assert found is not None and found.name == supplier


@pytest.mark.parametrize(
    "written",
    [
        "Abaco",
        "Abaco Images",
        "Agencia Uno",
        "Agencia Seis",
        "Solaris Images",
        "Redux Picture",
        "APX",
    ],
)
def test_short_or_generic_near_misses_stay_unknown(written: str) -> None:
    assert profile_for_key(phrase_key(written)) is None


# --- sub-brands, libraries, desk markers


def test_a_sub_brand_is_its_agency_and_beside_it_the_source() -> None:
    alone = parse_caption("Crowds in London, 1966. (Photo by Jane Roe/WireImage)")
    assert (alone.agency, alone.source) == ("Getty Images", "Getty Images")
    beside = parse_caption("Crowds in London, 1966. (Photo by Hulton Archive/Getty Images)")
    assert (beside.agency, beside.source) == ("Getty Images", "Hulton Archive")


def test_a_library_first_holds_the_picture_for_the_owner_after_it() -> None:
    parsed = parse_caption("A still from Casablanca, 1942. Photo: Album / Warner Bros")
    assert (parsed.agency, parsed.source, parsed.byline) == ("Album", "Warner Bros", None)
    delivered = parse_caption("A still, 1942. Photo: Album / Warner Bros / Alamy Stock Photo")
    assert delivered.agency == "Alamy"


def test_a_supplier_between_desk_markers_is_read() -> None:
    parsed = parse_caption("Ein Zug fährt durch Hamburg. +++ dpa-Bildfunk +++")
    assert (parsed.agency, parsed.credit_line) == ("dpa", "dpa-Bildfunk")
    note = parse_caption("A man walks in Paris. +++ HANDOUT PHOTO +++")
    assert note.agency is None


# --- the Source and Credit fields


def _with(
    caption: str, credit: str | None = None, source: str | None = None
) -> tuple[str | None, str | None]:
    reading = with_embedded(parse_caption(caption), EmbeddedCredit(credit, source))
    return reading.agency, reading.source


def test_a_delivering_supplier_in_source_beats_the_originating_agency() -> None:
    assert _with("A man. AFP PHOTO / JOEL SAGET", "AFP", "Getty Images") == ("Getty Images", "AFP")
    assert _with("A man. (AP Photo/Jane Roe)", "Jane Roe/AP/Shutterstock", "Shutterstock") == (
        "Shutterstock",
        "AP",
    )


def test_source_naming_the_origin_or_the_agency_itself_changes_nothing() -> None:
    assert _with("A man.", "AFP via Getty Images", "AFP") == ("Getty Images", "AFP")
    assert _with("A man.", "REUTERS", "Reuters") == ("Reuters", "Reuters")
    assert _with("A man.", "EPA-EFE", "EPA") == ("EPA-EFE", "EPA-EFE")
    assert _with("A man.", "Getty Images", "Getty Images Europe") == (
        "Getty Images",
        "Getty Images",
    )


def test_via_in_the_credit_field_names_the_deliverer() -> None:
    caption = "A man. Sputnik/Jane Roe/Kremlin"
    assert _with(caption, "via REUTERS", "Sputnik") == ("Reuters", "Sputnik")


def test_an_unknown_supplier_stays_as_written_and_a_code_is_no_name() -> None:
    assert _with("A man.", "Pixsell", "Pixsell") == ("Pixsell", "Pixsell")
    assert agency_profile("Pixsell") is None
    assert _with("A man.", "REUTERS", "X02856") == ("Reuters", "Reuters")


def test_the_rights_record_reads_the_source_field_as_the_eval_does() -> None:
    embedded = EmbeddedMetadata(credit="AFP", source="Getty Images")
    record = read_rights("A man walks. AFP PHOTO / JOEL SAGET", embedded)
    assert (record.agency, record.source) == ("Getty Images", "AFP")
    assert record.agency_key == "getty images"


# --- holes found while attacking this change, older than it: kept as tests of their class


def test_residue_after_a_name_ending_in_pictures_is_not_dropped() -> None:
    parsed = parse_caption(
        "A still. Photo: REUTERS / Paramount Pictures - resale strictly prohibited"
    )
    assert parsed.restrictions
    assert parsed.credit_line == "REUTERS / Paramount Pictures"
