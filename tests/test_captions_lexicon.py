"""The restriction lexicon: every language, any case or punctuation, nothing dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from captions import parse_caption
from captions.lexicon import LANGUAGES
from rights import Code
from tests.captions_examples import LANGUAGE_CAPTIONS


def codes(caption: str) -> set[Code]:
    return {r.code for r in parse_caption(caption).restrictions}


def test_every_lexicon_language_has_a_constructed_caption() -> None:
    assert set(LANGUAGES) == set(LANGUAGE_CAPTIONS)


@pytest.mark.parametrize("language", sorted(LANGUAGE_CAPTIONS))
def test_restrictions_in_each_language_are_read(language: str) -> None:
    caption, expected = LANGUAGE_CAPTIONS[language]
    parsed = parse_caption(caption)
    assert {str(r.code) for r in parsed.restrictions} == expected
    assert parsed.unrecognised == ()


@pytest.mark.parametrize(
    "phrase",
    [
        "EDITORIAL USE ONLY/NO SALES",
        "Editorial use only. No sales.",
        "editorial-use-only, no-sales",
        "EDITORIAL USE ONLY - NO SALES",
        "RESTRICTED TO EDITORIAL USE. NOT FOR SALE",
    ],
)
def test_case_and_punctuation_do_not_matter(phrase: str) -> None:
    assert codes(f"A crowd in Rome, Italy, 2 June 2024. ANSA/FABIO FRUSTACI {phrase}") == {
        Code.EDITORIAL_USE_ONLY,
        Code.NO_SALES,
    }


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("NUR ZUR REDAKTIONELLEN VERWENDUNG", Code.EDITORIAL_USE_ONLY),
        ("Usage editorial uniquement", Code.EDITORIAL_USE_ONLY),
        ("SÓLO USO EDITORIAL", Code.EDITORIAL_USE_ONLY),
        ("solo per uso editoriale", Code.EDITORIAL_USE_ONLY),
        ("ΜΟΝΟ ΓΙΑ ΣΥΝΤΑΚΤΙΚΗ ΧΡΗΣΗ", Code.EDITORIAL_USE_ONLY),
        ("μόνο για συντακτική χρήση", Code.EDITORIAL_USE_ONLY),
        ("NO RESALES. NO ARCHIVES", Code.NO_RESALES),
        ("NO THIRD PARTY SALES", Code.NO_RESALES),
        ("MANDATORY CREDIT", Code.MANDATORY_CREDIT),
        ("MUST COURTESY", Code.MANDATORY_CREDIT),
        ("NO COMMERCIAL USE", Code.NO_COMMERCIAL_USE),
        ("NO SYNDICATION", Code.NO_SYNDICATION),
        ("PAS D'ARCHIVAGE", Code.NO_ARCHIVES),
        ("PAS D’ARCHIVAGE", Code.NO_ARCHIVES),
    ],
)
def test_single_phrases_give_their_code(phrase: str, expected: Code) -> None:
    assert expected in codes(f"Fans in Vienna, Austria, 9 May 2024. APA/HANS KLAUS {phrase}")


def test_one_phrase_may_carry_two_codes() -> None:
    found = codes("Launch event in Paris. NO MARKETING NO ADVERTISING CAMPAIGNS")
    assert found == {Code.NO_MARKETING, Code.NO_ADVERTISING}
    assert codes("Launch event. NO MARKETING OR ADVERTISING") == {
        Code.NO_MARKETING,
        Code.NO_ADVERTISING,
    }


def test_repeated_phrase_is_one_restriction_with_every_span_as_evidence() -> None:
    caption = "Rally in Lima. EFE/PAOLO AGUILAR NO SALES. Repeated: NO SALES. no sales"
    (restriction,) = parse_caption(caption).restrictions
    assert restriction.code is Code.NO_SALES
    assert [e.text for e in restriction.evidence] == ["NO SALES", "NO SALES", "no sales"]
    for evidence in restriction.evidence:
        assert evidence.start is not None and evidence.end is not None
        assert caption[evidence.start : evidence.end] == evidence.text


def test_embargo_time_becomes_a_timezone_aware_embargo_until() -> None:
    parsed = parse_caption("New rail line opens. EMBARGOED UNTIL 0001 GMT 12 MARCH 2024. PA Wire")
    (embargo,) = [r for r in parsed.restrictions if r.code is Code.EMBARGO]
    assert embargo.text == "EMBARGOED UNTIL 0001 GMT 12 MARCH 2024"
    assert embargo.embargo_until == datetime(2024, 3, 12, 0, 1, tzinfo=UTC)
    assert parsed.embargo_until == embargo.embargo_until


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("EMBARGOED UNTIL 22:00 BST, 3 JUNE 2024", datetime(2024, 6, 3, 21, 0, tzinfo=UTC)),
        (
            "Sperrfrist 12. März 2024, 00.01 Uhr MEZ",
            datetime(2024, 3, 12, 0, 1, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("EMBARGO JUSQU'AU 5 avril 2024 06h00 GMT", datetime(2024, 4, 5, 6, 0, tzinfo=UTC)),
        (
            "EMBARGADO HASTA el 9 de mayo de 2024 a las 10:30 GMT",
            datetime(2024, 5, 9, 10, 30, tzinfo=UTC),
        ),
    ],
)
def test_embargoes_in_other_forms_and_languages(phrase: str, expected: datetime) -> None:
    parsed = parse_caption(f"The report is published. {phrase}")
    assert parsed.embargo_until == expected
    assert parsed.embargo_until is not None and parsed.embargo_until.tzinfo is not None


def test_embargo_in_prose_is_not_an_instruction() -> None:
    assert codes("Ministers discuss the arms embargo on Iran in Brussels, 3 May 2024.") == set()


@pytest.mark.parametrize(
    ("phrase", "excluded"),
    [
        ("NO USE IN GERMANY", ("DE",)),
        ("No use in Germany", ("DE",)),
        ("OUT: UK, IRELAND", ("GB", "IE")),
        ("JAPAN OUT", ("JP",)),
        ("FRANCE AND BELGIUM OUT", ("FR", "BE")),
        ("NOT FOR USE IN SPAIN OR PORTUGAL", ("ES", "PT")),
        ("PAS D'UTILISATION EN FRANCE", ("FR",)),
        ("KEINE VERWENDUNG IN ÖSTERREICH", ("AT",)),
        ("SCANDINAVIA OUT", ("DK", "NO", "SE")),
    ],
)
def test_territory_phrases_exclude_countries(phrase: str, excluded: tuple[str, ...]) -> None:
    parsed = parse_caption(f"Match in Turin, 4 May 2024. ANSA/ALESSANDRO DI MARCO {phrase}")
    (territory,) = [r for r in parsed.restrictions if r.code is Code.TERRITORY]
    assert territory.countries_excluded == excluded
    assert territory.text == phrase
    assert parsed.territories == excluded


def test_for_use_in_a_country_only_includes_it() -> None:
    parsed = parse_caption("Concert in Dublin. PA Wire FOR USE IN UK ONLY")
    (territory,) = parsed.restrictions
    assert territory.countries_included == ("GB",)
    assert territory.text == "FOR USE IN UK ONLY"


def test_a_broadcaster_out_is_kept_verbatim_as_other_not_a_territory() -> None:
    parsed = parse_caption("Parade in Beijing, 1 October 2024. REUTERS/Tingshu Wang CCTV OUT")
    (other,) = parsed.restrictions
    assert other.code is Code.OTHER
    assert other.text == "CCTV OUT"
    assert parsed.unrecognised == ("CCTV OUT",)


def test_unknown_upper_case_instruction_at_the_end_is_kept_as_other() -> None:
    caption = "Stage view in Avignon, 5 July 2024. AFP PHOTO / JOHN SMITH NO USE ON COVERS OF BOOKS"
    parsed = parse_caption(caption)
    assert parsed.credit_line == "AFP PHOTO / JOHN SMITH"
    (other,) = parsed.restrictions
    assert other.code is Code.OTHER
    assert other.text == "NO USE ON COVERS OF BOOKS"
    assert other.start is not None and caption[other.start : other.end] == other.text
    assert parsed.unrecognised == ("NO USE ON COVERS OF BOOKS",)


def test_advisories_keep_their_whole_sentence_as_other() -> None:
    parsed = parse_caption(
        "Smoke over the city. Handout via REUTERS ATTENTION EDITORS -"
        " THIS IMAGE HAS BEEN SUPPLIED BY"
        " A THIRD PARTY. QUALITY FROM SOURCE. NO RESALES"
    )
    texts = [r.text for r in parsed.restrictions if r.code is Code.OTHER]
    assert texts == ["THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY", "QUALITY FROM SOURCE"]
    assert Code.NO_RESALES in {r.code for r in parsed.restrictions}
    assert parsed.credit_line == "Handout via REUTERS"


def test_desk_tags_are_neither_restrictions_nor_unrecognised() -> None:
    parsed = parse_caption(
        "Fans in Doha, Qatar, 18 December 2022. REUTERS/Kai Pfaffenbach TPX IMAGES OF THE DAY"
    )
    assert parsed.restrictions == ()
    assert parsed.unrecognised == ()
    assert parsed.credit_line == "REUTERS/Kai Pfaffenbach"


@pytest.mark.parametrize(
    "notice",
    [
        "MANDATORY KILL",
        "KILL - PLEASE DELETE",
        "Kill notice: please delete this image",
        "BITTE LÖSCHEN",
    ],
)
def test_kill_notices_set_kill_and_are_not_restrictions(notice: str) -> None:
    parsed = parse_caption(f"{notice} Protest in Kyiv, 2 May 2024. REUTERS/Gleb Garanich")
    assert parsed.kill is True
    assert parsed.restrictions == ()


def test_restriction_text_keeps_the_phrases_as_written() -> None:
    parsed = parse_caption(
        "Flood in Kerala. Handout via REUTERS ATTENTION EDITORS - NO RESALES. NO ARCHIVES."
    )
    assert parsed.restriction_text == "ATTENTION EDITORS - NO RESALES. NO ARCHIVES."


def test_two_advisories_in_one_sentence_are_one_other_restriction() -> None:
    parsed = parse_caption(
        "Smoke rises. Social Media/via REUTERS ATTENTION EDITORS - THIS IMAGE HAS BEEN SUPPLIED"
        " BY A THIRD PARTY. IT IS DISTRIBUTED, EXACTLY AS RECEIVED BY REUTERS, AS A SERVICE TO"
        " CLIENTS. NO RESALES. NO ARCHIVES."
    )
    assert parsed.credit_line == "Social Media/via REUTERS"
    assert parsed.unrecognised == (
        "THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY",
        "IT IS DISTRIBUTED, EXACTLY AS RECEIVED BY REUTERS, AS A SERVICE TO CLIENTS",
    )
