"""Dates, places, bylines and the handout/pool flags read from caption text."""

from __future__ import annotations

from datetime import date

import pytest

from captions import parse_caption


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("09 January 2022", date(2022, 1, 9)),
        ("Jan. 9, 2022", date(2022, 1, 9)),
        ("January 9th, 2022", date(2022, 1, 9)),
        ("Sunday, January 9, 2022", date(2022, 1, 9)),
        ("9.1.2022", date(2022, 1, 9)),
        ("2022-01-09", date(2022, 1, 9)),
        ("9 janvier 2022", date(2022, 1, 9)),
        ("le 1er mai 2024", date(2024, 5, 1)),
        ("9. Januar 2022", date(2022, 1, 9)),
        ("12. März 2024", date(2024, 3, 12)),
        ("9 de enero de 2022", date(2022, 1, 9)),
        ("9 gennaio 2022", date(2022, 1, 9)),
        ("9 de janeiro de 2022", date(2022, 1, 9)),
        ("9 Ιανουαρίου 2022", date(2022, 1, 9)),
        ("September 2013", "2013-09"),
        ("in November 2021", "2021-11"),
    ],
)
def test_caption_dates_in_many_formats_and_languages(written: str, expected: date | str) -> None:
    assert (
        parse_caption(f"Workers clear snow in the town, {written}. EPA/JOHN DOE").date == expected
    )


@pytest.mark.parametrize(
    "caption",
    [
        "Crowds gather in Seoul on March 4. (Yonhap)",
        "The tower was built in 1912. REUTERS/Jane Doe",
        "In this undated photo released on May 2, 2024, the leader waves. REUTERS/KCNA",
        "A February 30, 2024 date does not exist. AFP",
    ],
)
def test_no_date_without_a_year_or_for_undated_pictures(caption: str) -> None:
    assert parse_caption(caption).date is None


def test_embargo_date_is_not_the_picture_date() -> None:
    parsed = parse_caption("Ministers meet. EMBARGOED UNTIL 0001 GMT 12 MARCH 2024. PA Wire")
    assert parsed.date is None


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        ("Fans cheer in Madrid, Spain, March 3, 2024. REUTERS/Ana Beltran", "Madrid, Spain"),
        (
            "Lights at the harbour on June 2, 2024 in Sydney, Australia."
            " (Photo by Jo Lee/Getty Images)",
            "Sydney, Australia",
        ),
        ("Voters queue, Tuesday, Nov. 5, 2024, in Atlanta. (AP Photo/Mike Stewart)", "Atlanta"),
        ("Des manifestants à Lyon, le 4 mai 2024 (AFP / Jean Dupont)", "Lyon"),
        ("Aficionados en Sevilla, el 2 de junio de 2024. EFE/Raúl Caro", "Sevilla"),
        (
            "Troops at an undisclosed location, June 1, 2024. Handout via REUTERS",
            "undisclosed location",
        ),
    ],
)
def test_dateline_place(caption: str, place: str) -> None:
    assert parse_caption(caption).place == place


def test_no_place_when_the_caption_names_none() -> None:
    assert parse_caption("A woman holds a flag. (AFP Photo/Karen Doe)").place is None


@pytest.mark.parametrize(
    ("caption", "handout"),
    [
        ("In this photo provided by the Navy, a ship sails. (U.S. Navy via AP)", True),
        ("A ship sails, courtesy of the port authority. REUTERS/Jane Doe", True),
        ("A handout picture shows the rover. NASA/Handout via REUTERS", True),
        ("THIS PICTURE WAS PROVIDED BY A THIRD PARTY. REUTERS/Jane Doe", False),
        ("Officers show social courtesies in Rome. ANSA/ETTORE FERRARI", False),
    ],
)
def test_handout_only_when_the_caption_says_handout_provided_by_or_courtesy(
    caption: str, handout: bool
) -> None:
    assert parse_caption(caption).handout is handout


def test_handout_with_no_named_issuer_has_no_source() -> None:
    parsed = parse_caption("A yacht at sea off Malta. Handout via REUTERS")
    assert parsed.handout is True
    assert parsed.source is None
    assert parsed.agency == "Reuters"


def test_a_provided_by_phrase_names_the_source_when_the_credit_names_only_the_agency() -> None:
    parsed = parse_caption(
        "Ministers meet at the defense ministry in Seoul on May 3, 2024, in this photo provided by"
        " the ministry. (PHOTO NOT FOR SALE) (Yonhap)"
    )
    assert parsed.agency == "Yonhap"
    assert parsed.source == "defense ministry"
    assert parsed.credit_line == "(PHOTO NOT FOR SALE) (Yonhap)"
    assert [str(r.code) for r in parsed.restrictions] == ["NO_SALES"]


@pytest.mark.parametrize(
    ("caption", "pool"),
    [
        ("Leaders meet in Rome. REUTERS/Remo Casilli/Pool", True),
        ("Leaders meet in Seoul. (Pool photo) (Yonhap)", True),
        ("Children swim in the pool in Nice. AFP PHOTO / VALERY HACHE", False),
    ],
)
def test_pool_flag(caption: str, pool: bool) -> None:
    assert parse_caption(caption).pool is pool


@pytest.mark.parametrize(
    ("caption", "byline", "source"),
    [
        ("Game night. (Photo by Tim Nwachukwu/Getty Images)", "Tim Nwachukwu", "Getty Images"),
        ("Smoke rises. Sputnik/Mikhail Metzel/Kremlin via REUTERS", "Mikhail Metzel", "Sputnik"),
        ("The summit. Aris Messinis - AFP", "Aris Messinis", "AFP"),
        ("Cherry trees bloom. AFP-Yonhap", None, "AFP"),
        ("Die Kanzlerin spricht. Foto: Kay Nietfeld/dpa", "Kay Nietfeld", "dpa"),
    ],
)
def test_byline_and_source_from_the_credit_chain(
    caption: str, byline: str | None, source: str
) -> None:
    parsed = parse_caption(caption)
    assert parsed.byline == byline
    assert parsed.source == source


@pytest.mark.parametrize(
    ("caption", "agency", "byline"),
    [
        ("Protesters in Nairobi. Photo: Jane Doe | Getty Images", "Getty Images", "Jane Doe"),
        (
            "The senator in Washington. (Jane Doe for The Washington Post)",
            "The Washington Post",
            "Jane Doe",
        ),
        (
            "The minister in Westminster. Photograph: Jane Doe/The Guardian",
            "The Guardian",
            "Jane Doe",
        ),
        (
            "Athletes at the start. (Photo by Jo Li/Icon Sportswire via Getty Images)",
            "Getty Images",
            "Jo Li",
        ),
    ],
)
def test_newspaper_and_web_credit_styles(caption: str, agency: str, byline: str) -> None:
    parsed = parse_caption(caption)
    assert parsed.agency == agency
    assert parsed.byline == byline


@pytest.mark.parametrize(
    ("caption", "agency", "credit_line", "byline"),
    [
        (
            "Crowds at the court in Seoul, Monday. Korea Times photo by Shim Hyun-chul",
            "Korea Times",
            "Korea Times photo by Shim Hyun-chul",
            "Shim Hyun-chul",
        ),
        (
            "Farmers protest near Delhi. (Express Photo by Praveen Khanna)",
            "Express",
            "Express Photo by Praveen Khanna",
            "Praveen Khanna",
        ),
    ],
)
def test_an_owner_before_photo_by_is_the_agency(
    caption: str, agency: str, credit_line: str, byline: str
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.credit_line, parsed.byline) == (agency, credit_line, byline)


def test_a_courtesy_credit_names_its_supplier() -> None:
    parsed = parse_caption(
        "New phones at a store in Seoul, Sunday. Courtesy of Samsung Electronics"
    )
    assert parsed.credit_line == "Courtesy of Samsung Electronics"
    assert parsed.source == "Samsung Electronics"
    assert parsed.handout is True


def test_byline_keeps_the_photographers_own_spelling_when_the_credit_shouts_it() -> None:
    parsed = parse_caption(
        "Night view of a glacier, on May 8, 2024. (Photo by Anna KOVAC / AFP) ... More"
        " (Photo by ANNA KOVAC/AFP via Getty Images)"
    )
    assert parsed.credit_line == "ANNA KOVAC/AFP via Getty Images"
    assert parsed.byline == "Anna KOVAC"
