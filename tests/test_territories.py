"""Territories: only assigned ISO 3166-1 codes are countries, and an exclusion reaches what its
country covers (rights/territories.toml): a dependency never passes its parent's exclusion."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from captions import parse_caption
from rights import Code, Outcome, Override, Purpose, Use, evaluate
from rights.territory import (
    ALIASES,
    ASSIGNED,
    COVERS,
    UnknownTerritory,
    read_territory,
    territory_code,
)
from tests.rights_builders import T0, agency_record, restriction

ALLOW, REVIEW, DENY = Outcome.ALLOW, Outcome.REVIEW, Outcome.DENY
COVERED = sorted((parent, child) for parent, children in COVERS.items() for child in children)
USER_ASSIGNED = (
    ["AA", "ZZ"] + [f"Q{c}" for c in "MNOPQRSTUVWXYZ"] + [f"X{c}" for c in string.ascii_uppercase]
)
NOT_COUNTRIES = [*USER_ASSIGNED, "EU", "EN", "UN", "SU", "YU", "CS", "AN", "FX", "EZ", "IC"]
ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")


def excluding(*codes: str, text: str = "NO USE IN THERE") -> object:
    return agency_record(restriction(Code.TERRITORY, text, countries_excluded=codes))


def including(*codes: str, text: str = "FOR USE THERE ONLY") -> object:
    return agency_record(restriction(Code.TERRITORY, text, countries_included=codes))


def decide(record: object, territory: str | None, leases: tuple[Override, ...] = ()) -> Outcome:
    use = Use(Purpose.EDITORIAL, territory=territory)
    return evaluate(record, use, leases, now=T0).decision  # type: ignore[arg-type]


# --- the table --------------------------------------------------------------------------------


def test_the_table_holds_the_249_assigned_codes_and_nothing_else() -> None:
    assert len(ASSIGNED) == 249
    assert all(len(c) == 2 and c.isascii() and c.isupper() for c in ASSIGNED)
    assert not set(NOT_COUNTRIES) & ASSIGNED
    assert set(ALIASES) == {"UK", "EL"} and set(ALIASES.values()) <= ASSIGNED


def test_the_table_agrees_with_the_iso_codes_data_where_installed() -> None:
    if not ISO_CODES.exists():
        pytest.skip("the iso-codes data set is not installed on this machine")
    published = {e["alpha_2"] for e in json.loads(ISO_CODES.read_text())["3166-1"]}
    assert published == ASSIGNED


def test_covered_territories_are_assigned_and_not_covering_themselves() -> None:
    for parent, child in COVERED:
        assert parent in ASSIGNED and child in ASSIGNED
        assert child not in COVERS, f"{child} covers others: one level only"
        assert parent != child


@pytest.mark.parametrize("code", NOT_COUNTRIES)
def test_codes_that_name_no_country_are_refused_with_the_value_named(code: str) -> None:
    assert territory_code(code) is None
    with pytest.raises(UnknownTerritory, match=f"^'{code.lower()}' is not an ISO 3166-1"):
        read_territory(code.lower())


@given(st.text(alphabet=string.ascii_letters, min_size=2, max_size=2))
def test_any_two_letters_are_a_country_exactly_when_assigned_or_an_alias(text: str) -> None:
    code = text.upper()
    expected = ALIASES.get(code, code) if ALIASES.get(code, code) in ASSIGNED else None
    assert territory_code(text) == expected


def test_aliases_are_read_as_their_country() -> None:
    assert (read_territory("uk"), read_territory(" UK "), read_territory("EL")) == (
        "GB",
        "GB",
        "GR",
    )


# --- exclusions reach dependencies --------------------------------------------------------------


@pytest.mark.parametrize(("parent", "child"), COVERED, ids=[f"{p}>{c}" for p, c in COVERED])
def test_every_dependency_is_denied_under_its_parents_exclusion(parent: str, child: str) -> None:
    record = excluding(parent)
    assert decide(record, child) is DENY
    assert decide(record, parent) is DENY
    # ... and an exclusion of the dependency alone leaves its parent free.
    assert decide(excluding(child), parent) is ALLOW


@pytest.mark.parametrize(("parent", "child"), COVERED, ids=[f"{p}>{c}" for p, c in COVERED])
def test_an_inclusion_of_the_parent_leaves_a_dependency_to_a_person(
    parent: str, child: str
) -> None:
    record = including(parent)
    assert decide(record, parent) is ALLOW
    assert decide(record, child) is REVIEW


@pytest.mark.parametrize(
    ("caption", "territories"),
    [
        ("Paris, 3 May. NO USE IN FRANCE. EPA/JOHN DOE", ["GP", "RE", "MC", "MQ", "NC", "FR"]),
        ("London. NOT FOR USE IN THE UK. REUTERS/Jane Doe", ["IM", "JE", "GG", "GI", "GB"]),
        ("Washington. NO USE IN USA. AFP PHOTO / JOHN DOE", ["PR", "GU", "VI"]),
        ("Copenhagen. NO USE IN DENMARK. EPA/JOHN DOE", ["GL", "FO"]),
        ("Beijing. NO USE IN CHINA. EPA/JOHN DOE", ["HK", "MO"]),
    ],
)
def test_a_caption_exclusion_denies_a_use_in_the_countrys_dependencies(
    caption: str, territories: list[str]
) -> None:
    from assets.metadata import EmbeddedMetadata
    from assets.rights_reading import read_rights

    parsed = parse_caption(caption)
    assert any(r.code == Code.TERRITORY for r in parsed.restrictions), parsed.restrictions
    record = read_rights(caption, EmbeddedMetadata())
    for territory in territories:
        assert decide(record, territory) is DENY, territory


@given(
    excluded=st.lists(st.sampled_from(sorted(COVERS)), min_size=1, max_size=3),
    pick=st.data(),
)
def test_a_use_in_any_territory_an_exclusion_reaches_is_never_allowed(excluded, pick) -> None:
    reached = sorted({c for p in excluded for c in (p, *COVERS[p])})
    territory = pick.draw(st.sampled_from(reached))
    assert decide(excluding(*excluded), territory) is DENY


# --- what cannot be read stays closed ------------------------------------------------------------


@pytest.mark.parametrize("written", ["EU", "ZZ", "France", "XX"])
def test_an_exclusion_naming_no_country_never_allows(written: str) -> None:
    record = excluding(written)
    for territory in ("FR", "GB", "US", "RE"):
        assert decide(record, territory) is REVIEW


def test_an_unreadable_entry_beside_a_country_still_denies_that_country() -> None:
    record = excluding("FR", "EU")
    assert decide(record, "RE") is DENY
    assert decide(record, "DE") is REVIEW


def test_an_inclusion_naming_no_country_reviews_what_it_does_not_name() -> None:
    record = including("GB", "EU")
    assert decide(record, "GB") is ALLOW
    assert decide(record, "DE") is REVIEW


@pytest.mark.parametrize("territory", ["ZZ", "EU", "XA", "QM", "AA"])
def test_a_use_in_no_country_is_never_allowed_under_a_territory_rule(territory: str) -> None:
    assert decide(excluding("DE"), territory) is REVIEW
    assert decide(including("DE"), territory) is REVIEW


# --- leases -------------------------------------------------------------------------------------


def test_a_deny_lease_on_a_country_holds_its_dependencies_too() -> None:
    hold = Override(Outcome.DENY, "legal hold in France", territories=("FR",), id="L1")
    assert decide(agency_record(), "RE", (hold,)) is DENY
    assert decide(agency_record(), "MC", (hold,)) is DENY
    assert decide(agency_record(), "DE", (hold,)) is ALLOW


def test_an_allow_lease_on_a_country_lifts_nothing_in_its_dependencies() -> None:
    record = excluding("FR", text="NO USE IN FRANCE")
    grant = Override(Outcome.ALLOW, "France licensed", territories=("FR",), id="L1")
    assert decide(record, "FR", (grant,)) is ALLOW
    assert decide(record, "RE", (grant,)) is DENY


def test_a_deny_lease_naming_no_country_sends_other_territories_to_review() -> None:
    hold = Override(Outcome.DENY, "hold", territories=("EU",), id="L1")
    assert decide(agency_record(), "FR", (hold,)) is REVIEW
