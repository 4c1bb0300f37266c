"""Classes of captions the parser once misread, each with captions constructed for this test.

One test per pattern: text after a credit line, unusual credit layouts, who is source and who
is photographer, handout wording in several languages, restriction phrases that must not be
lost, phrases split or merged wrongly, datelines and dates.
"""

from __future__ import annotations

import datetime as dt

import pytest

from benches.caption_eval import restriction_labels
from captions import parse_caption
from rights import Code


def codes(caption: str) -> set[str]:
    return {str(r.code) for r in parse_caption(caption).restrictions}


# 1. Text after the credit line is not part of it.


@pytest.mark.parametrize(
    ("caption", "credit", "byline"),
    [
        (
            "Rescuers search the rubble in Adana, Turkey, 12 March 2024.  "
            "EPA-EFE/ERDEM SAHIN ATTENTION: This Image is part of a PHOTO SET",
            "EPA-EFE/ERDEM SAHIN",
            "ERDEM SAHIN",
        ),
        (
            "Il presidente Mattarella al Quirinale, Roma, 2 giugno 2024. "
            "ANSA/UFFICIO STAMPA QUIRINALE/PAOLO GIANDOTTI +++ ANSA PROVIDES ACCESS TO THIS "
            "HANDOUT PHOTO TO BE USED SOLELY TO ILLUSTRATE NEWS REPORTING OR COMMENTARY ON THE "
            "FACTS OR EVENTS DEPICTED IN THIS IMAGE; NO ARCHIVING; NO LICENSING +++",
            "ANSA/UFFICIO STAMPA QUIRINALE/PAOLO GIANDOTTI",
            "PAOLO GIANDOTTI",
        ),
        (
            "Shoppers on Oxford Street in London. Photo credit should read: Jane Roe/PA Wire. "
            "Picture date: Saturday December 7, 2024.",
            "Jane Roe/PA Wire",
            "Jane Roe",
        ),
        (
            "Police at the scene in Leeds. West Yorkshire Police/PA Wire NOTE TO EDITORS: This "
            "handout photo may only be used for editorial reporting purposes. Reuse of the "
            "picture may require further permission from the copyright holder.",
            "West Yorkshire Police/PA Wire",
            None,
        ),
    ],
)
def test_credit_ends_before_notes(caption: str, credit: str, byline: str | None) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit
    assert parsed.byline == byline


def test_photo_set_note_is_no_restriction() -> None:
    parsed = parse_caption(
        "Flooded streets in Derna, Libya, 14 September 2023. "
        "EPA-EFE/STR ATTENTION: This Image is part of a PHOTO SET"
    )
    assert parsed.restrictions == ()
    assert parsed.unrecognised == ()


# 2. Credit layouts.


@pytest.mark.parametrize(
    ("caption", "agency", "credit", "source", "byline"),
    [
        (
            "Tennis - Wimbledon - All England Lawn Tennis and Croquet Club, London, Britain - "
            "July 2, 2024 Carlos Alcaraz in action Action Images via Reuters/Paul Childs",
            "Reuters",
            "Action Images via Reuters/Paul Childs",
            "Action Images",
            "Paul Childs",
        ),
        (
            "Crowds watch fireworks in Osaka on Aug. 3, 2024. (Kyodo) ==Kyodo",
            "Kyodo",
            "Kyodo",
            "Kyodo",
            None,
        ),
        (
            "Voters queue in Atlanta, Nov. 5, 2024 (AP Photo/Mike Stewart)ab",
            "AP",
            "AP Photo/Mike Stewart",
            "AP",
            "Mike Stewart",
        ),
        (
            "A suspect sought by detectives in Bristol. Avon and Somerset Police/PA Wire "
            "NOTE TO EDITORS: This handout photo may only be used for editorial reporting "
            "purposes.",
            "PA",
            "Avon and Somerset Police/PA Wire",
            "Avon and Somerset Police",
            None,
        ),
    ],
)
def test_credit_layouts(
    caption: str, agency: str, credit: str, source: str, byline: str | None
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.credit_line, parsed.source, parsed.byline) == (
        agency,
        credit,
        source,
        byline,
    )


# 3. Source and byline in the right slots.


@pytest.mark.parametrize(
    ("caption", "source", "byline"),
    [
        (
            "Shelling near Kherson, Ukraine, Monday, June 3, 2024. (AP Photo/Evgeniy)",
            "AP",
            "Evgeniy",
        ),
        (
            "Guests arrive for the gala in New York City. (Photo by Jane Roe/Getty Images for "
            "The Costume Institute/Vogue)",
            "Getty Images",
            "Jane Roe",
        ),
        (
            "Smoke rises over the port in Beirut, Lebanon, August 4, 2024 in this picture "
            "obtained from social media. Karim Haddad/via REUTERS",
            "Karim Haddad",
            "Karim Haddad",
        ),
        (
            "Foto cedida por la Guardia Civil de la operación en Málaga, el 3 de mayo de 2024. "
            "EFE/ Guardia Civil SOLO USO EDITORIAL",
            "Guardia Civil",
            None,
        ),
        (
            "Handout photo issued by Buckingham Palace of the King at his desk in London. "
            "EDITORIAL USE ONLY. PA Wire/PA Images",
            "Buckingham Palace",
            None,
        ),
    ],
)
def test_source_and_byline_slots(caption: str, source: str, byline: str | None) -> None:
    parsed = parse_caption(caption)
    assert (parsed.source, parsed.byline) == (source, byline)


# 4. Handout wording in other languages.


@pytest.mark.parametrize(
    "caption",
    [
        "Fotografía cedida por el Ministerio de Defensa de un ejercicio en Zaragoza. "
        "EFE/Ministerio de Defensa",
        "Photo fournie par la présidence du sommet à Paris, le 3 mai 2024. AFP",
        "Das vom Bundeskanzleramt zur Verfügung gestellte Foto zeigt das Treffen in Berlin. "
        "Foto: -/Bundesregierung/dpa",
        "Foto concessa da Palazzo Chigi dell'incontro a Roma, 3 maggio 2024. ANSA/PALAZZO CHIGI",
        "Foto cedida pelo Palácio do Planalto do encontro em Brasília. Lusa",
        "Foto: Divulgação/Governo do Estado. Lusa",
    ],
)
def test_handout_wording_in_other_languages(caption: str) -> None:
    assert parse_caption(caption).handout


def test_named_supplier_in_spanish_handout() -> None:
    parsed = parse_caption(
        "Imagen cedida por la Policía Nacional de la detención en Sevilla. EFE/ Policía Nacional"
    )
    assert parsed.handout
    assert parsed.source == "Policía Nacional"
    assert parsed.byline is None


# 5. Restriction phrases that must not be dropped.


@pytest.mark.parametrize(
    ("caption", "wanted"),
    [
        (
            "Minister in Bonn. Foto: Jane Roe/Bundesregierung/dpa - ACHTUNG: Nur zur "
            "redaktionellen Verwendung und nur mit vollständiger Nennung des vorstehenden Credits",
            {"EDITORIAL_USE_ONLY", "MANDATORY_CREDIT"},
        ),
        (
            "Marchers in Denver, Colorado. (Credit Image: © Jane Roe/ZUMA Press Wire) "
            "Not for Commercial USAGE!",
            {"NO_COMMERCIAL_USE"},
        ),
        (
            "Shoppers in Leeds. Photo credit should read: Jane Roe/PA Wire",
            {"MANDATORY_CREDIT"},
        ),
        (
            "Il premier a Roma. ANSA/UFFICIO STAMPA +++ ANSA PROVIDES ACCESS TO THIS HANDOUT "
            "PHOTO TO BE USED SOLELY TO ILLUSTRATE NEWS REPORTING OR COMMENTARY ON THE FACTS OR "
            "EVENTS DEPICTED IN THIS IMAGE; NO ARCHIVING; NO LICENSING +++",
            {"EDITORIAL_USE_ONLY", "NO_ARCHIVES", "NO_RESALES"},
        ),
    ],
)
def test_restriction_phrases_are_read(caption: str, wanted: set[str]) -> None:
    assert codes(caption) >= wanted


def test_reporting_context_is_kept_as_other() -> None:
    parsed = parse_caption(
        "HANDOUT - 3.4.2024, Berlin: Treffen. Foto: Jane Roe/Bundesregierung/dpa - ACHTUNG: Nur "
        "zur redaktionellen Verwendung im Zusammenhang mit der aktuellen Berichterstattung"
    )
    labels = {label.lower() for label in restriction_labels(parsed)}
    assert "other:im zusammenhang mit der aktuellen berichterstattung" in labels
    assert "EDITORIAL_USE_ONLY" in restriction_labels(parsed)


def test_mixed_case_permission_sentence_in_note_is_kept() -> None:
    parsed = parse_caption(
        "A missing teenager from Kent. Kent Police/PA Wire NOTE TO EDITORS: This handout photo "
        "may only be used for editorial reporting purposes. Reuse of the picture may require "
        "further permission from the copyright holder."
    )
    others = [r.text for r in parsed.restrictions if r.code is Code.OTHER]
    assert any(text.startswith("Reuse of the picture") for text in others)
    assert Code.EDITORIAL_USE_ONLY in {r.code for r in parsed.restrictions}


# 6. Phrases split or merged wrongly.


def test_slash_inside_one_instruction_keeps_it_whole() -> None:
    parsed = parse_caption(
        "Football - Bundesliga - Munich, Germany - May 4, 2024 REUTERS/Jane Roe DFL REGULATIONS "
        "PROHIBIT ANY USE OF PHOTOGRAPHS AS IMAGE SEQUENCES. NO USE IN BETTING, GAMES OR SINGLE "
        "CLUB/LEAGUE/PLAYER PUBLICATIONS."
    )
    others = [r.text for r in parsed.restrictions if r.code is Code.OTHER]
    assert "NO USE IN BETTING, GAMES OR SINGLE CLUB/LEAGUE/PLAYER PUBLICATIONS" in others
    assert not any(text in {"LEAGUE", "PLAYER PUBLICATIONS"} for text in others)


def test_spaced_slash_separates_two_advisories() -> None:
    parsed = parse_caption(
        "A parade in Pyongyang. (Photo by STR / KCNA VIA KNS / AFP) RESTRICTED TO EDITORIAL USE "
        "- DISTRIBUTED AS A SERVICE TO CLIENTS / THIS PICTURE WAS MADE AVAILABLE BY A THIRD PARTY."
    )
    others = {r.text for r in parsed.restrictions if r.code is Code.OTHER}
    assert "DISTRIBUTED AS A SERVICE TO CLIENTS" in others
    assert "THIS PICTURE WAS MADE AVAILABLE BY A THIRD PARTY" in others


@pytest.mark.parametrize(
    ("phrase", "country"),
    [
        ("REPUBLIC OF KOREA OUT", "KR"),
        ("PEOPLE'S REPUBLIC OF CHINA OUT", "CN"),
        ("RUSSIAN FEDERATION OUT", "RU"),
    ],
)
def test_country_names_of_several_words_before_out(phrase: str, country: str) -> None:
    parsed = parse_caption(f"A factory in Kaesong. (Photo by STR / AFP) / {phrase}")
    assert parsed.territories == (country,)
    assert parsed.unrecognised == ()


# 7. Places.


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        (
            "12.05.2024, Hessen, Frankfurt am Main: Fans feiern auf dem Römerberg. "
            "Foto: Jane Roe/dpa",
            "Hessen, Frankfurt am Main",
        ),
        (
            "May 2, 2024, Austin, Texas, USA: Students march. (Credit Image: © Jane Roe/ZUMA "
            "Press Wire)",
            "Austin, Texas, USA",
        ),
        (
            "Mandatory Credit: Photo by Jane Roe/Shutterstock (12345678b)\n"
            "Fans at the final, Wembley Stadium, London, UK - 01 Jun 2024",
            "Wembley Stadium, London, UK",
        ),
        ("Turisti in fila a Firenze, 3 agosto 2024.  ANSA / JANE ROE", "Firenze"),
        (
            "The King arrives at 11 Downing Street, London. Picture date: Monday June 3, 2024. "
            "Jane Roe/PA Wire",
            "11 Downing Street, London",
        ),
        ("Fans leave the ground after the match, Sunday 4 August 2024, Edinburgh.", "Edinburgh"),
        (
            "This photo taken on May 1, 2024 and released by North Korea's official Korean "
            "Central News Agency on May 2 shows a parade in Wonsan. (Photo by STR / KCNA VIA KNS "
            "/ AFP)",
            "Wonsan",
        ),
    ],
)
def test_dateline_places(caption: str, place: str) -> None:
    assert parse_caption(caption).place == place


def test_no_place_from_possessive_or_article() -> None:
    parsed = parse_caption(
        "This photo, provided by the ministry on May 5, 2024, shows a North Korean missile "
        "launch. (Yonhap)"
    )
    assert parsed.place is None


# 8. Dates.


def test_uk_short_date_is_day_first() -> None:
    parsed = parse_caption(
        "Handout CCTV image dated 7/3/24 issued by Thames Valley Police of a van in Reading. "
        "Thames Valley Police/PA Wire"
    )
    assert parsed.date == dt.date(2024, 3, 7)


def test_issue_date_is_not_the_picture_date() -> None:
    parsed = parse_caption(
        "Handout photo issued by Clarence House of the King in his garden. Issue date: Monday "
        "April 1, 2024. EDITORIAL USE ONLY. PA Wire/PA Images"
    )
    assert parsed.date is None


@pytest.mark.parametrize(
    "caption",
    [
        "EMBARGOED UNTIL 0001 GMT 12 MARCH. A ship in Oslo. REUTERS/Jane Roe",
        "Embargoed until 22:00 BST on Thursday 4 July -- Polls close in Leeds. (Photo by Jane "
        "Roe/Getty Images)",
        "Embargoed until further notice. A ship in Oslo. REUTERS/Jane Roe",
    ],
)
def test_embargo_without_a_year_is_kept_for_review(caption: str) -> None:
    parsed = parse_caption(caption)
    embargoes = [r for r in parsed.restrictions if r.code is Code.EMBARGO]
    assert embargoes
    assert parsed.embargo_until is None


def test_embargo_reads_its_time_from_its_own_sentence() -> None:
    parsed = parse_caption(
        "Embargoed until further notice. A ship in Oslo, 3 March 2024. REUTERS/Jane Roe"
    )
    assert parsed.embargo_until is None
    assert parsed.date == dt.date(2024, 3, 3)


def test_turkish_dateline_before_a_locative() -> None:
    parsed = parse_caption(
        "Gazze'nin güneyindeki Han Yunus kentinde yardım dağıtımı yapıldı. (Jane Roe - Anadolu "
        "Ajansı)"
    )
    assert parsed.place == "Han Yunus"


def test_agency_closing_a_long_first_segment_leads_the_credit() -> None:
    parsed = parse_caption(
        "Soccer Football - Serie A - Inter Milan v Juventus - San Siro, Milan, Italy - February "
        "4, 2024 Inter Milan's Lautaro Martinez REUTERS/Jane Roe"
    )
    assert (parsed.agency, parsed.credit_line, parsed.byline) == (
        "Reuters",
        "REUTERS/Jane Roe",
        "Jane Roe",
    )


def test_named_supplier_stops_at_a_second_connector() -> None:
    parsed = parse_caption(
        "Handout photo issued by the Ministry of Defence of British troops in Estonia. "
        "PA Wire/PA Images"
    )
    assert parsed.source == "Ministry of Defence"


def test_embargo_day_without_year_is_not_dated_by_a_later_date() -> None:
    parsed = parse_caption(
        "EMBARGOED TO 0001 FRIDAY JUNE 7 File photo dated 03/02/22 of a classroom in Leeds. "
        "Jane Roe/PA Wire"
    )
    assert parsed.embargo_until is None
    assert [r.code for r in parsed.restrictions] == [Code.EMBARGO]
    assert parsed.date == dt.date(2022, 2, 3)


def test_advisory_text_loses_its_rule_marks() -> None:
    parsed = parse_caption(
        "A rally in Tehran. (Photo by Iranian Presidency / AFP) / === RESTRICTED TO EDITORIAL "
        "USE - DISTRIBUTED AS A SERVICE TO CLIENTS ==="
    )
    others = [r.text for r in parsed.restrictions if r.code is Code.OTHER]
    assert others == ["DISTRIBUTED AS A SERVICE TO CLIENTS"]


def test_single_name_photographer_with_a_file_tag() -> None:
    parsed = parse_caption("Shelling near Kherson, Ukraine, May 2024 (AP Photo/Evgeniy, File)")
    assert (parsed.source, parsed.byline) == ("AP", "Evgeniy")


def test_place_after_an_opening_instruction() -> None:
    parsed = parse_caption("NO USE IN FRANCE. A rider in action in Nice. REUTERS/Jane Roe")
    assert parsed.place == "Nice"
    assert parsed.territories == ("FR",)


def test_credit_after_a_marker_ends_with_its_sentence() -> None:
    parsed = parse_caption(
        "Ein Treffen in Bonn. Foto: Jane Roe/dpa. Verwendung nur mit Genehmigung des Fotografen."
    )
    assert parsed.credit_line == "Jane Roe/dpa"
    assert [r.text for r in parsed.restrictions if r.code is Code.OTHER] == [
        "Verwendung nur mit Genehmigung des Fotografen"
    ]


def test_mixed_case_restriction_sentence_after_the_credit_is_kept() -> None:
    parsed = parse_caption(
        "A rally in Leeds. Jane Roe/PA Wire. This picture must not be reproduced without the "
        "written consent of the owner."
    )
    assert parsed.unrecognised == (
        "This picture must not be reproduced without the written consent of the owner",
    )


def test_description_after_the_credit_is_no_restriction() -> None:
    parsed = parse_caption(
        "Mandatory Credit: Photo by Jane Roe/Shutterstock (1234567a)\n"
        "Fans may only be used to waiting, says the coach, London, UK - 01 Jun 2024"
    )
    assert [str(r.code) for r in parsed.restrictions] == ["MANDATORY_CREDIT"]
    assert parsed.unrecognised == ()


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        (
            "Encontro no Porto, 3 de maio de 2024. LUSA/JANE ROE. Uso exclusivo editorial. "
            "Proibida a venda.",
            "LUSA/JANE ROE",
        ),
        (
            "A rally in Hull. Jane Roe/PA Wire. Editorial use only. No use in any advertising.",
            "Jane Roe/PA Wire",
        ),
        (
            "Le président à Lyon, le 3 mai 2024. AFP PHOTO / JANE ROE / USAGE STRICTEMENT "
            "ÉDITORIAL - CRÉDIT OBLIGATOIRE",
            "AFP PHOTO / JANE ROE",
        ),
    ],
)
def test_credit_before_restriction_sentences(caption: str, credit: str) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit
    assert Code.EDITORIAL_USE_ONLY in {r.code for r in parsed.restrictions}
