"""Agency profiles: each agency's house style is read from its profile file alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from captions import PROFILES, ParsedCaption, agency_profile, parse_caption
from captions.profiles import DEFAULT_ARCHIVE_RETENTION_DAYS, load_profiles
from captions.tolerant import phrase_key
from tests.captions_examples import GENERIC_CAPTIONS, PROFILE_CAPTIONS

REQUIRED_AGENCIES = [
    "EPA",
    "EPA-EFE",
    "Reuters",
    "AFP",
    "AP",
    "Getty Images",
    "Xinhua",
    "Anadolu Agency",
    "dpa",
    "ANSA",
    "EFE",
    "PA",
    "AAP",
    "Sipa",
    "ZUMA Press",
    "Shutterstock",
    "Kyodo",
    "Yonhap",
    "Bloomberg",
]


def _check(parsed: ParsedCaption, expected: dict[str, Any]) -> None:
    for name, want in expected.items():
        if name == "codes":
            assert {str(r.code) for r in parsed.restrictions} == want
            continue
        got = getattr(parsed, name)
        if name == "date" and isinstance(got, date):
            got = got.isoformat()
        assert got == want, f"{name}: expected {want!r}, got {got!r}"


@pytest.mark.parametrize("agency", REQUIRED_AGENCIES)
def test_every_required_agency_has_a_profile(agency: str) -> None:
    profile = agency_profile(agency)
    assert profile is not None
    # found by one of its own names, not by a near miss
    assert phrase_key(agency) in {phrase_key(alias) for alias in profile.aliases}


def test_every_profile_file_has_a_constructed_caption_in_the_tests() -> None:
    assert {profile.source_file for profile in PROFILES} <= set(PROFILE_CAPTIONS)


@pytest.mark.parametrize("profile_file", sorted(PROFILE_CAPTIONS))
def test_constructed_caption_in_house_style_is_read(profile_file: str) -> None:
    caption, expected = PROFILE_CAPTIONS[profile_file]
    _check(parse_caption(caption), expected)


@pytest.mark.parametrize(("caption", "expected"), GENERIC_CAPTIONS)
def test_handout_pool_courtesy_supplied_and_via_sources_are_read(
    caption: str, expected: dict[str, Any]
) -> None:
    _check(parse_caption(caption), expected)


def test_aliases_find_the_same_profile_whatever_the_case() -> None:
    assert agency_profile("picture alliance") is agency_profile("DPA")
    assert agency_profile("REX") is agency_profile("Shutterstock")
    assert agency_profile("Associated Press") is agency_profile("AP")
    assert agency_profile("Nobody Agency") is None


def test_profiles_carry_archive_retention_for_no_archives_with_a_30_day_default() -> None:
    reuters = agency_profile("Reuters")
    assert reuters is not None
    assert reuters.archive_retention_days == DEFAULT_ARCHIVE_RETENTION_DAYS == 30


def test_an_agency_is_added_by_a_profile_file_alone(tmp_path: Path) -> None:
    (tmp_path / "nordic.toml").write_text(
        'name = "Nordic Photo Wire"\n'
        'aliases = ["NPW", "Nordic Wire"]\n'
        "archive_retention_days = 7\n"
        "[[reference]]\n"
        "pattern = '^\\s*(npw\\d{6})\\b'\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.txt").write_text("not a profile", encoding="utf-8")
    (profile,) = load_profiles(tmp_path)
    assert profile.name == "Nordic Photo Wire"
    assert profile.aliases == ("Nordic Photo Wire", "NPW", "Nordic Wire")
    assert profile.archive_retention_days == 7
    match = profile.references[0].pattern.search("npw123456 Skiers in Oslo")
    assert match is not None and match.group(1) == "npw123456"


def test_a_caption_opening_with_an_epa_reference_names_epa_without_a_credit() -> None:
    parsed = parse_caption("epa01234567 Skiers race down the slope in Kitzbuehel, Austria.")
    assert parsed.agency == "EPA"
    assert parsed.agency_ref == "epa01234567"


def test_a_photographer_without_an_agency_is_a_byline_only() -> None:
    parsed = parse_caption(
        "Sunset over the bay in Cork, Ireland, 2 May 2024. (Photo by Aoife Byrne)"
    )
    assert parsed.byline == "Aoife Byrne"
    assert parsed.agency is None
    assert parsed.source is None


def test_a_distributor_after_via_is_the_agency_and_the_first_supplier_is_the_source() -> None:
    parsed = parse_caption("Goal celebrations. (Photo by Ana Ruiz/Europa Press via Getty Images)")
    assert parsed.agency == "Getty Images"
    assert parsed.source == "Europa Press"
    assert parsed.byline == "Ana Ruiz"
    assert parsed.credit_line == "Ana Ruiz/Europa Press via Getty Images"


def test_afp_handout_boilerplate_is_read_as_restrictions_and_an_advisory() -> None:
    parsed = parse_caption(
        "This handout picture released by the army on May 5, 2024 shows a convoy. (Photo by HANDOUT"
        ' / ARMY PRESS OFFICE / AFP) / RESTRICTED TO EDITORIAL USE - MANDATORY CREDIT "AFP PHOTO /'
        ' ARMY PRESS OFFICE" - NO MARKETING NO ADVERTISING CAMPAIGNS - DISTRIBUTED AS A SERVICE TO'
        " CLIENTS"
    )
    assert parsed.agency == "AFP"
    assert parsed.credit_line == "HANDOUT / ARMY PRESS OFFICE / AFP"
    assert parsed.source == "ARMY PRESS OFFICE"
    assert parsed.handout is True
    assert {str(r.code) for r in parsed.restrictions} == {
        "EDITORIAL_USE_ONLY",
        "MANDATORY_CREDIT",
        "NO_MARKETING",
        "NO_ADVERTISING",
        "OTHER",
    }
    assert parsed.unrecognised == ("DISTRIBUTED AS A SERVICE TO CLIENTS",)


@pytest.mark.parametrize(
    ("caption", "byline", "pool"),
    [
        ("Senators meet in Washington. (AP Photo/Jane Roe, Pool)", "Jane Roe", True),
        ("Senators meet in Washington. (AP Photo/Jane Roe, File)", "Jane Roe", False),
    ],
)
def test_ap_pool_and_file_suffixes_are_tags_not_names(
    caption: str, byline: str, pool: bool
) -> None:
    parsed = parse_caption(caption)
    assert parsed.byline == byline
    assert parsed.pool is pool
    assert parsed.agency == "AP"


def test_an_agency_opening_a_slash_credit_distributes_even_with_another_agency_after_it() -> None:
    parsed = parse_caption(
        "epa11000001 Officials meet in Moscow, Russia, 04 April 2024. EPA-EFE/KREMLIN POOL/SPUTNIK"
        " MANDATORY CREDIT HANDOUT EDITORIAL USE ONLY/NO SALES"
    )
    assert parsed.agency == "EPA-EFE"
    assert parsed.agency_ref == "epa11000001"
    assert parsed.pool is True


def test_third_party_picture_via_reuters_with_territory_and_unknown_instruction() -> None:
    caption = (
        "A launch at an undisclosed location, in this undated photo released on May 2, 2024."
        " KCNA via REUTERS ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY. REUTERS IS"
        " UNABLE TO INDEPENDENTLY VERIFY THIS IMAGE. NO THIRD PARTY SALES. SOUTH KOREA OUT."
        " NO COMMERCIAL OR EDITORIAL SALES IN SOUTH KOREA."
    )
    parsed = parse_caption(caption)
    assert parsed.agency == "Reuters"
    assert parsed.source == "KCNA"
    assert parsed.credit_line == "KCNA via REUTERS"
    assert parsed.date is None
    assert parsed.territories == ("KR",)
    assert parsed.unrecognised == (
        "THIS IMAGE WAS PROVIDED BY A THIRD PARTY",
        "REUTERS IS UNABLE TO INDEPENDENTLY VERIFY THIS IMAGE",
        "NO COMMERCIAL OR EDITORIAL SALES IN SOUTH KOREA",
    )
