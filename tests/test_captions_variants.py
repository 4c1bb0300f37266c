"""Caption styles seen in agency feeds, each written in several variants (agency, spacing,
punctuation, language), so that a fix covers the style and not one caption."""

from __future__ import annotations

import pytest

from captions import parse_caption
from rights import Code


def _codes(caption: str) -> set[str]:
    return {str(r.code) for r in parse_caption(caption).restrictions}


# Desk markers around restriction phrases ("+++ ... +++") do not hide the phrases.


@pytest.mark.parametrize(
    ("caption", "codes"),
    [
        (
            "Il premier a Roma, 10 marzo 2026. ANSA/UFFICIO STAMPA PALAZZO CHIGI +++ NO SALES,"
            " EDITORIAL USE ONLY +++",
            {"NO_SALES", "EDITORIAL_USE_ONLY"},
        ),
        (
            "Ein Zug in Köln. Foto: -/Deutsche Bahn/dpa +++ NUR ZUR REDAKTIONELLEN VERWENDUNG +++",
            {"EDITORIAL_USE_ONLY"},
        ),
    ],
)
def test_phrases_between_desk_markers_count(caption: str, codes: set[str]) -> None:
    assert _codes(caption) == codes


def test_a_desk_marker_around_a_desk_note_is_no_restriction() -> None:
    parsed = parse_caption("Demo in Leipzig. Foto: Jan Woitas/dpa +++ dpa-Bildfunk +++")
    assert (parsed.credit_line, parsed.restrictions) == ("Jan Woitas/dpa", ())


# A dash that sets the credit off from the caption is not part of the credit line.


@pytest.mark.parametrize(
    ("caption", "credit_line", "byline"),
    [
        (
            "Fans in Nairobi on March 9, 2022.  - AFP PHOTO / SIMON MAINA",
            "AFP PHOTO / SIMON MAINA",
            "SIMON MAINA",
        ),
        (
            "Fans in Nairobi on March 9, 2022. -- AFP PHOTO/TONY KARUMBA",
            "AFP PHOTO/TONY KARUMBA",
            "TONY KARUMBA",
        ),
        ("Fans in Lagos on March 9, 2022. – REUTERS/Jane Doe", "REUTERS/Jane Doe", "Jane Doe"),
        ("Soldaten in Munster. Foto: -/Bundeswehr/dpa", "-/Bundeswehr/dpa", None),
    ],
)
def test_a_dash_before_the_credit_is_left_out(
    caption: str, credit_line: str, byline: str | None
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.byline) == (credit_line, byline)


# "Japan OUT" in mixed case after a credit: a territory, not part of the credit.


@pytest.mark.parametrize(
    ("caption", "credit_line", "country", "text"),
    [
        (
            "Cherry blossoms in Tokyo on April 1, 2026. (Photo by JIJI PRESS / AFP) / Japan OUT",
            "JIJI PRESS / AFP",
            "JP",
            "Japan OUT",
        ),
        (
            "A market in Seoul on April 1, 2026. (Photo by YONHAP / AFP) / South Korea OUT",
            "YONHAP / AFP",
            "KR",
            "South Korea OUT",
        ),
        (
            "A parade in Paris. (Photo by Jane Doe/Getty Images)\nFrance OUT",
            "Jane Doe/Getty Images",
            "FR",
            "France OUT",
        ),
    ],
)
def test_mixed_case_country_out_after_a_credit(
    caption: str, credit_line: str, country: str, text: str
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit_line
    assert parsed.territories == (country,)
    assert parsed.restriction_text == text


def test_country_out_in_prose_is_no_territory() -> None:
    assert (
        parse_caption("Tickets for the Japan OUT tour sold out. REUTERS/Jane Doe").territories == ()
    )


# EPA handout credits: the issuer's "HANDOUT" stays in the credit when the restriction block
# carries its own ("... HANDOUT MANDATORY CREDIT HANDOUT EDITORIAL USE ONLY/NO SALES").


@pytest.mark.parametrize(
    ("tail", "credit_line", "source"),
    [
        (
            "EPA-EFE/ROYAL THAI POLICE HANDOUT MANDATORY CREDIT HANDOUT EDITORIAL USE ONLY/NO"
            " SALES",
            "EPA-EFE/ROYAL THAI POLICE HANDOUT",
            "ROYAL THAI POLICE",
        ),
        (
            "EPA/ISRAEL DEFENSE FORCES HANDOUT -- MANDATORY CREDIT -- HANDOUT EDITORIAL USE ONLY/NO"
            " SALES",
            "EPA/ISRAEL DEFENSE FORCES HANDOUT",
            "ISRAEL DEFENSE FORCES",
        ),
        (
            "EPA/STATE EMERGENCY SERVICE/HANDOUT MANDATORY CREDIT HANDOUT EDITORIAL USE ONLY/NO"
            " SALES",
            "EPA/STATE EMERGENCY SERVICE/HANDOUT",
            "STATE EMERGENCY SERVICE",
        ),
        (
            "EPA-EFE/US NAVY HANDOUT  HANDOUT EDITORIAL USE ONLY/NO SALES HANDOUT EDITORIAL USE"
            " ONLY/NO SALES",
            "EPA-EFE/US NAVY HANDOUT",
            "US NAVY",
        ),
    ],
)
def test_epa_handout_credit_keeps_its_handout(tail: str, credit_line: str, source: str) -> None:
    parsed = parse_caption(f"epa11055512 A handout photo shows a ship, 09 January 2025.  {tail}")
    assert (parsed.credit_line, parsed.source, parsed.handout) == (credit_line, source, True)
    assert {str(r.code) for r in parsed.restrictions} == {
        "EDITORIAL_USE_ONLY",
        "NO_SALES",
        *(["MANDATORY_CREDIT"] if "MANDATORY" in tail else []),
    }


@pytest.mark.parametrize(
    ("caption", "credit_line", "text"),
    [
        (
            "epa11377001 A serviceman fires, 14 March 2026.  EPA/RUSSIAN DEFENCE MINISTRY PRESS"
            " SERVICE HANDOUT -- MANDATORY CREDIT: RUSSIAN DEFENCE MINISTRY PRESS SERVICE -- BEST"
            " QUALITY AVAILABLE -- HANDOUT EDITORIAL USE ONLY/NO SALES",
            "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE HANDOUT",
            "MANDATORY CREDIT: RUSSIAN DEFENCE MINISTRY PRESS SERVICE -- BEST QUALITY AVAILABLE --"
            " HANDOUT EDITORIAL USE ONLY/NO SALES",
        ),
        (
            "epa11377002 Soldiers in Gaza, 14 March 2026.  EPA-EFE/ISRAELI ARMY HANDOUT --"
            " MANDATORY CREDIT: ISRAELI ARMY -- HANDOUT EDITORIAL USE ONLY/NO SALES",
            "EPA-EFE/ISRAELI ARMY HANDOUT",
            "MANDATORY CREDIT: ISRAELI ARMY -- HANDOUT EDITORIAL USE ONLY/NO SALES",
        ),
    ],
)
def test_a_credit_demand_names_the_credit_to_print(
    caption: str, credit_line: str, text: str
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit_line
    assert parsed.unrecognised == ("BEST QUALITY AVAILABLE",) * ("BEST" in caption)
    assert parsed.restriction_text == text
    assert Code.MANDATORY_CREDIT in {r.code for r in parsed.restrictions}


# A credit named only inside a credit demand, quoted or after "Mandatory credit".


@pytest.mark.parametrize(
    ("caption", "agency", "credit_line", "source"),
    [
        (
            "Jets land on a carrier in the Arabian Sea on March 2, 2026. - RESTRICTED TO EDITORIAL"
            ' USE - MANDATORY CREDIT "AFP PHOTO / US NAVY" - NO MARKETING - NO ADVERTISING'
            " CAMPAIGNS - DISTRIBUTED AS A SERVICE TO CLIENTS",
            "AFP",
            "AFP PHOTO / US NAVY",
            "US NAVY",
        ),
        (
            "Rescuers in Kochi, Japan, on August 30, 2025. Mandatory credit Kyodo/via REUTERS"
            " ATTENTION EDITORS - THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY. JAPAN OUT.",
            "Reuters",
            "Kyodo/via REUTERS",
            "Kyodo",
        ),
        (
            "Rescuers in Kochi, Japan, on August 30, 2025. Must credit KYODO/via REUTERS",
            "Reuters",
            "KYODO/via REUTERS",
            "Kyodo",
        ),
    ],
)
def test_a_credit_named_in_a_credit_demand(
    caption: str, agency: str, credit_line: str, source: str
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.credit_line, parsed.source) == (agency, credit_line, source)


# Portuguese and Brazilian handout credits.


@pytest.mark.parametrize(
    ("caption", "agency", "source", "byline"),
    [
        (
            "Fotografia cedida pela Presidência da República da visita a Maputo, 24 de junho de"
            " 2025. MIGUEL FIGUEIREDO LOPES/PRESIDÊNCIA DA REPÚBLICA/LUSA",
            "Lusa",
            "PRESIDÊNCIA DA REPÚBLICA",
            "MIGUEL FIGUEIREDO LOPES",
        ),
        (
            "Foto cedida pelo Palácio do Planalto do encontro em Brasília. Lusa",
            "Lusa",
            "Palácio do Planalto",
            None,
        ),
        (
            "O presidente em Brasília, 10 de março de 2026. Foto: Ricardo Stuckert/Divulgação",
            None,
            None,
            "Ricardo Stuckert",
        ),
        (
            "O presidente em Brasília, 10 de março de 2026. Foto: Divulgação/Palácio do Planalto",
            "Palácio do Planalto",
            "Palácio do Planalto",
            None,
        ),
    ],
)
def test_portuguese_handout_credits(
    caption: str, agency: str | None, source: str | None, byline: str | None
) -> None:
    parsed = parse_caption(caption)
    assert parsed.handout
    assert (parsed.agency, parsed.source, parsed.byline) == (agency, source, byline)


@pytest.mark.parametrize(
    ("caption", "credit_line", "source"),
    [
        (
            "A burnt house in Bilpin, 14 January 2026. (Supplied: NSW Rural Fire Service)",
            "Supplied: NSW Rural Fire Service",
            "NSW Rural Fire Service",
        ),
        (
            "A flooded road near Lismore. (Supplied: Queensland Police Service)",
            "Supplied: Queensland Police Service",
            "Queensland Police Service",
        ),
    ],
)
def test_a_supplied_credit_names_its_supplier(caption: str, credit_line: str, source: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.credit_line, parsed.source) == (source, credit_line, source)


def test_a_common_noun_after_released_by_names_no_source() -> None:
    parsed = parse_caption("undated picture of the missing yacht released by the family.")
    assert parsed.source is None


# restriction_text: the restriction phrases as written, whole sentences and subjects included.


@pytest.mark.parametrize(
    ("caption", "text"),
    [
        (
            "Il premier a Roma, 10 ottobre 2024. ANSA/UFFICIO STAMPA PALAZZO CHIGI/FILIPPO ATTILI"
            " +++ ANSA PROVIDES ACCESS TO THIS HANDOUT PHOTO TO BE USED SOLELY TO ILLUSTRATE NEWS"
            " REPORTING OR COMMENTARY ON THE FACTS OR EVENTS DEPICTED IN THIS IMAGE; NO ARCHIVING;"
            " NO LICENSING +++",
            "ANSA PROVIDES ACCESS TO THIS HANDOUT PHOTO TO BE USED SOLELY TO ILLUSTRATE NEWS"
            " REPORTING OR COMMENTARY ON THE FACTS OR EVENTS DEPICTED IN THIS IMAGE; NO ARCHIVING;"
            " NO LICENSING",
        ),
        (
            "Ein Polizeiwagen in Stuttgart. Foto: Bernd Weißbrod/dpa - ACHTUNG: Nur zur"
            " redaktionellen Verwendung und nur mit vollständiger Nennung des vorstehenden Credits",
            "ACHTUNG: Nur zur redaktionellen Verwendung und nur mit vollständiger Nennung des"
            " vorstehenden Credits",
        ),
        (
            "Sailors aboard HMS Prince of Wales. Issue date: Thursday March 12, 2026. Jane Roe/MoD"
            " Crown Copyright/PA Wire NOTE TO EDITORS: This handout photo may only be used for"
            " editorial reporting purposes for the contemporaneous illustration of events, things"
            " or the people in the image or facts mentioned in the caption. Reuse of the picture"
            " may require further permission from the copyright holder.",
            "NOTE TO EDITORS: This handout photo may only be used for editorial reporting purposes"
            " for the contemporaneous illustration of events, things or the people in the image or"
            " facts mentioned in the caption. Reuse of the picture may require further permission"
            " from the copyright holder.",
        ),
        (
            "Commuters at Waterloo station. Photo credit should read: Yui Mok/PA Wire. Picture"
            " date: Wednesday February 1, 2023.",
            "Photo credit should read: Yui Mok/PA Wire.",
        ),
        (
            "Der Zug in Krefeld. Sperrfrist: 20. Februar 2026, 00:01 Uhr. Foto: Rolf Roe/dpa",
            "Sperrfrist: 20. Februar 2026, 00:01 Uhr.",
        ),
    ],
)
def test_restriction_text_as_written(caption: str, text: str) -> None:
    assert parse_caption(caption).restriction_text == text


def test_a_sentence_right_after_a_phrase_is_kept_as_a_restriction() -> None:
    parsed = parse_caption(
        "Fans at Anfield, Liverpool. Picture date: Saturday November 8, 2025. Peter Byrne/PA Wire."
        " RESTRICTIONS: EDITORIAL USE ONLY No use with unauthorised audio, video, data, fixture"
        ' lists, club/league logos or "live" services. Online in-match use limited to 120 images,'
        " no video emulation. No use in betting, games or single club/league/player publications."
    )
    assert parsed.unrecognised == (
        'No use with unauthorised audio, video, data, fixture lists, club/league logos or "live"'
        " services",
        "Online in-match use limited to 120 images, no video emulation",
        "No use in betting, games or single club/league/player publications",
    )
    assert parsed.restriction_text is not None
    assert parsed.restriction_text.startswith("RESTRICTIONS: EDITORIAL USE ONLY No use with")


def test_an_embargo_after_a_german_date_ends_with_its_time() -> None:
    parsed = parse_caption("Der Zug. SPERRFRIST: 20. Februar 2026, 00:01 Uhr. Foto: Jan Roe/dpa")
    assert parsed.date is None
    assert parsed.embargo_until is not None
    assert (parsed.embargo_until.day, parsed.embargo_until.minute) == (20, 1)


# Desk notes after a credit are not part of it.


@pytest.mark.parametrize(
    ("caption", "credit_line"),
    [
        (
            "Fans in Damascus, Syria, December 8, 2024. REUTERS/Amr Abdallah Dalsh SEARCH"
            ' "SYRIA WIDER" FOR THIS STORY. SEARCH "WIDER IMAGE" FOR ALL STORIES.',
            "REUTERS/Amr Abdallah Dalsh",
        ),
        (
            "Messi celebrates in Miami on March 2, 2024. (Photo by CHANDAN KHANNA / AFP) / TO GO"
            " WITH AFP STORY BY Jane ROE",
            "CHANDAN KHANNA / AFP",
        ),
        ("The Diet in Tokyo on March 5, 2024. (Kyodo)==Kyodo", "Kyodo"),
    ],
)
def test_desk_notes_after_the_credit(caption: str, credit_line: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.restrictions) == (credit_line, ())


@pytest.mark.parametrize(
    ("caption", "agency", "source", "byline"),
    [
        (
            "A logo in this illustration taken March 8, 2023. REUTERS/Dado Ruvic/Illustration",
            "Reuters",
            "Reuters",
            "Dado Ruvic",
        ),
        ("Fans in London. Credit: Sipa USA/Alamy Live News", "Alamy", "Sipa USA", None),
    ],
)
def test_tags_and_closing_distributors(
    caption: str, agency: str, source: str, byline: str | None
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.source, parsed.byline) == (agency, source, byline)


@pytest.mark.parametrize(
    ("caption", "credit_line", "source"),
    [
        (
            "epa11199999 Putin at the Kremlin in Moscow, Russia, 05 March 2024.  EPA-EFE/GAVRIIL"
            " GRIGOROV/SPUTNIK/KREMLIN POOL MANDATORY CREDIT",
            "EPA-EFE/GAVRIIL GRIGOROV/SPUTNIK/KREMLIN POOL",
            "Sputnik",
        ),
        (
            "President Yoon at a meeting. (Photo courtesy of the presidential office) (PHOTO NOT"
            " FOR SALE) (Yonhap)",
            "(Photo courtesy of the presidential office) (PHOTO NOT FOR SALE) (Yonhap)",
            "presidential office",
        ),
    ],
)
def test_pool_and_courtesy_notes_name_the_supplier(
    caption: str, credit_line: str, source: str
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.source) == (credit_line, source)


@pytest.mark.parametrize(
    ("caption", "credit_line", "byline"),
    [
        (
            "Players celebrate at Wembley, London, Britain, March 5, 2024. Action Images via"
            " Reuters/John Sibley EDITORIAL USE ONLY. No use with unauthorized audio, video, data,"
            " fixture lists, club/league logos or 'live' services. Online in-match use limited to"
            " 45 images, no video emulation. No use in betting, games or single club/league/player"
            " publications. Please contact your account representative for further details.",
            "Action Images via Reuters/John Sibley",
            "John Sibley",
        ),
        (
            "A view of the site. (Photo by - / RUSSIAN DEFENCE MINISTRY / AFP)",
            "- / RUSSIAN DEFENCE MINISTRY / AFP",
            None,
        ),
        ("Il ministro a Roma. Foto Roberto Monaldo / LaPresse", None, "Roberto Monaldo"),
    ],
)
def test_more_credit_styles(caption: str, credit_line: str | None, byline: str | None) -> None:
    parsed = parse_caption(caption)
    if credit_line is not None:
        assert parsed.credit_line == credit_line
    assert parsed.byline == byline


def test_an_advisory_between_handout_tags_leaves_them_to_credit_and_block() -> None:
    parsed = parse_caption(
        "epa11200012 A still image shows a tank. EPA-EFE/RUSSIAN DEFENCE MINISTRY PRESS SERVICE /"
        " HANDOUT BEST QUALITY AVAILABLE HANDOUT EDITORIAL USE ONLY/NO SALES"
    )
    assert parsed.credit_line == "EPA-EFE/RUSSIAN DEFENCE MINISTRY PRESS SERVICE / HANDOUT"
    assert parsed.unrecognised == ("BEST QUALITY AVAILABLE",)


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        ("Merz spricht im Bundestag. Berlin, 15.01.2026. Foto: Kay Nietfeld/dpa", "Berlin"),
        ("Il premier in Senato. Roma, 10 marzo 2026. ANSA/FABIO FRUSTACI", "Roma"),
        (
            "Soldaten üben am 4. Februar 2026 auf dem Truppenübungsplatz Munster. Foto: -/dpa",
            "Truppenübungsplatz Munster",
        ),
        (
            "Demonstranten am 3. März 2026 durch die Innenstadt von Leipzig. Foto: Jan Roe/dpa",
            "Leipzig",
        ),
        (
            "Mattarella riceve il premier al Quirinale, 10 marzo 2026. ANSA/PAOLO GIANDOTTI",
            "Quirinale",
        ),
    ],
)
def test_dateline_places_in_german_and_italian(caption: str, place: str) -> None:
    found = parse_caption(caption).place
    assert found is not None and place in found


@pytest.mark.parametrize(
    ("caption", "agency", "source", "handout"),
    [
        (
            "A satellite image of the port. Satellite image ©2024 Maxar Technologies/Handout via"
            " REUTERS",
            "Reuters",
            "Maxar Technologies",
            True,
        ),
        (
            "The Prime Minister in Ottawa. THE CANADIAN PRESS/HO-Department of National Defence",
            "The Canadian Press",
            "Department of National Defence",
            True,
        ),
        (
            "The Prime Minister in Ottawa. THE CANADIAN PRESS/Sean Kilpatrick",
            "The Canadian Press",
            "The Canadian Press",
            False,
        ),
    ],
)
def test_owner_signs_and_handout_prefixes(
    caption: str, agency: str, source: str, handout: bool
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.source, parsed.handout) == (agency, source, handout)


@pytest.mark.parametrize(
    ("caption", "credit_line", "codes", "unrecognised"),
    [
        (
            "Fans in Rome. ANSA/ HANDOUT PHOTO - NO SALES - EDITORIAL USE ONLY",
            "ANSA/ HANDOUT PHOTO",
            {"NO_SALES", "EDITORIAL_USE_ONLY"},
            (),
        ),
        (
            "Fans at Roland Garros. (Photo by JANE ROE / AFP) / RESTRICTED TO EDITORIAL USE -"
            " STRICTLY NO COMMERCIAL USE",
            "JANE ROE / AFP",
            {"EDITORIAL_USE_ONLY", "NO_COMMERCIAL_USE"},
            (),
        ),
        ("Ein Mann in Berlin. Foto: Jane Roe/dpa - Verwendung weltweit", "Jane Roe/dpa", set(), ()),
        ("President Lee speaks in Seoul. (Yonhap) (END)", "Yonhap", set(), ()),
    ],
)
def test_words_around_phrases_that_are_no_instruction(
    caption: str, credit_line: str, codes: set[str], unrecognised: tuple[str, ...]
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit_line
    assert _codes(caption) == codes
    assert parsed.unrecognised == unrecognised


@pytest.mark.parametrize(
    "caption",
    [
        "A man in Gaza on March 5, 2024. REUTERS/Mohammed Salem REFILE - CORRECTING DATE",
        "REFILE - ADDING INFORMATION A man in Gaza on March 5, 2024. REUTERS/Mohammed Salem",
        "A man in Gaza on March 5, 2024. REUTERS/Mohammed Salem Purchase Licensing Rights, opens"
        " new tab",
    ],
)
def test_reuters_desk_notes_are_no_restrictions(caption: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.restrictions) == ("REUTERS/Mohammed Salem", ())


@pytest.mark.parametrize(
    ("caption", "agency", "credit_line", "byline"),
    [
        ("Protesters march in Kuala Lumpur. — AFP pic", "AFP", "AFP pic", None),
        ("Protesters march in Kuala Lumpur. — Reuters pic", "Reuters", "Reuters pic", None),
        (
            "Protesters march in Hong Kong. Credit...Lam Yik Fei for The New York Times",
            "The New York Times",
            "Lam Yik Fei for The New York Times",
            "Lam Yik Fei",
        ),
    ],
)
def test_web_page_credit_styles(
    caption: str, agency: str, credit_line: str, byline: str | None
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.credit_line, parsed.byline) == (agency, credit_line, byline)


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        ("Un hombre camina por Madrid este martes. EFE/Jane Roe", "Madrid"),
        ("Ein Mann geht am Dienstag (05.03.2024) durch Berlin. Foto: Jane Roe/dpa", "Berlin"),
        ("Il presidente a Roma il 5 marzo 2024. ANSA/JANE ROE", "Roma"),
        (
            "(240305) -- BEIJING, March 5, 2024 (Xinhua) -- A man walks. (Xinhua/Jane Roe)",
            "BEIJING",
        ),
    ],
)
def test_more_dateline_places(caption: str, place: str) -> None:
    assert parse_caption(caption).place == place


@pytest.mark.parametrize(
    ("caption", "credit_line", "unrecognised"),
    [
        (
            "Fans cheer in Dallas. (Jane Roe/The Dallas Morning News via AP) LOCAL TELEVISION OUT;"
            " LOCAL INTERNET OUT; MANDATORY CREDIT",
            "Jane Roe/The Dallas Morning News via AP",
            ("LOCAL TELEVISION OUT", "LOCAL INTERNET OUT"),
        ),
        (
            "Fans cheer in Salt Lake City. (Jane Roe/The Deseret News via AP) LOCAL TV OUT; MAGS"
            " OUT",
            "Jane Roe/The Deseret News via AP",
            ("LOCAL TV OUT", "MAGS OUT"),
        ),
        (
            "Fans cheer in Washington. (AP Photo/Jane Roe)  THIS CONTENT IS SUBJECT TO COPYRIGHT",
            "AP Photo/Jane Roe",
            ("THIS CONTENT IS SUBJECT TO COPYRIGHT",),
        ),
    ],
)
def test_ap_member_credits_and_their_local_restrictions(
    caption: str, credit_line: str, unrecognised: tuple[str, ...]
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.unrecognised) == (credit_line, unrecognised)


def test_shutterstock_restrictions_before_the_credit_are_kept() -> None:
    parsed = parse_caption(
        "Editorial use only. No book publishing.\nMandatory Credit: Photo by Jane Roe/Shutterstock"
        " (14377838a)\nFilm still, 2024"
    )
    assert parsed.unrecognised == ("No book publishing",)
    assert parsed.credit_line == "Jane Roe/Shutterstock"


def test_a_photo_agency_before_via_is_the_source() -> None:
    parsed = parse_caption(
        "March 5, 2024 - Paris, France - Protesters march. (Credit Image: © Jane Roe/Le Pictorium"
        " via ZUMA Press)"
    )
    assert (parsed.agency, parsed.source, parsed.byline) == (
        "ZUMA Press",
        "Le Pictorium",
        "Jane Roe",
    )


@pytest.mark.parametrize(
    ("caption", "codes"),
    [
        (
            "Un homme à Paris. Photo Jane Roe / AFP - POUR USAGE ÉDITORIAL SEULEMENT - PAS DE"
            " VENTE",
            {"EDITORIAL_USE_ONLY", "NO_SALES"},
        ),
        (
            "Um homem em Brasília. Foto: Jane Roe/Agência Brasil - USO PROIBIDO PARA FINS"
            " COMERCIAIS",
            {"NO_COMMERCIAL_USE"},
        ),
        ("Un uomo a Roma. ANSA/JANE ROE - PER USO EDITORIALE SOLTANTO", {"EDITORIAL_USE_ONLY"}),
    ],
)
def test_only_words_and_commercial_bans_in_other_languages(caption: str, codes: set[str]) -> None:
    parsed = parse_caption(caption)
    assert _codes(caption) == codes
    assert parsed.unrecognised == ()


def test_a_government_seat_after_efe_is_the_supplier() -> None:
    parsed = parse_caption("Un hombre en Madrid. EFE/ Moncloa SOLO USO EDITORIAL")
    assert (parsed.source, parsed.byline) == ("Moncloa", None)


@pytest.mark.parametrize(
    ("caption", "source", "byline"),
    [
        ("The King at Windsor. (Photo by Jane Roe - WPA Pool/Getty Images)", "WPA", "Jane Roe"),
        (
            "The King at Windsor. (Photo by Jane Roe - Pool/Getty Images)",
            "Getty Images",
            "Jane Roe",
        ),
    ],
)
def test_a_photographer_dashed_to_a_pool(caption: str, source: str, byline: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.source, parsed.byline, parsed.pool) == (source, byline, True)


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        (
            "Migrants board a boat in the English Channel off the beach of Gravelines, northern"
            " France, on August 12, 2025. (Photo by Jane Roe / AFP)",
            "Gravelines, northern France",
        ),
        (
            "Ships are moored at the port of Odesa, Ukraine, March 5, 2024. REUTERS/Jane Roe",
            "Odesa, Ukraine",
        ),
    ],
)
def test_a_place_named_after_a_common_noun(caption: str, place: str) -> None:
    assert parse_caption(caption).place == place


@pytest.mark.parametrize(
    ("caption", "agency", "source"),
    [
        ("People visit the park in Beijing. Xinhua/Li He/Sipa USA", "Sipa USA", "Xinhua"),
        (
            "Protesters in Paris. Photo by Jane Roe/Pool/ABACAPRESS.COM",
            "Abaca Press",
            "Abaca Press",
        ),
        ("Protesters in Paris. Xinhua/ABACAPRESS.COM", "Abaca Press", "Xinhua"),
    ],
)
def test_distributors_that_close_their_credits(caption: str, agency: str, source: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.source) == (agency, source)


@pytest.mark.parametrize(
    ("caption", "credit_line"),
    [
        ("REUTERS/Jane Roe. A man walks in Paris on March 5, 2024.", "REUTERS/Jane Roe"),
        ("AFP PHOTO / JANE ROE. Fans in Lagos on March 5, 2024.", "AFP PHOTO / JANE ROE"),
        ("A Reuters/Ipsos poll shows support fell. Voters in Ohio.", None),
    ],
)
def test_a_credit_that_opens_the_caption(caption: str, credit_line: str | None) -> None:
    assert parse_caption(caption).credit_line == credit_line


def test_an_afp_keyword_slug_is_no_restriction() -> None:
    parsed = parse_caption(
        "Macron speaks in Paris on March 5, 2024. (Photo by Ludovic MARIN / AFP)\n"
        "FRANCE-POLITICS-GOVERNMENT"
    )
    assert (parsed.credit_line, parsed.restrictions) == ("Ludovic MARIN / AFP", ())


def test_pa_royal_handout_notes_close_the_caption() -> None:
    parsed = parse_caption(
        "Handout photo issued by Kensington Palace of the Prince and Princess of Wales. Issue date:"
        " Sunday December 15, 2024. Kensington Palace/PA Wire NOTE TO EDITORS: This handout photo"
        " may only be used in for editorial reporting purposes for the contemporaneous"
        " illustration of events, things or the people in the image or facts mentioned in the"
        " caption. Reuse of the picture may require further permission from the copyright holder."
        " The photograph must not be digitally enhanced, manipulated or modified in any manner or"
        " form and must include all of the individuals in the photograph when published."
    )
    assert (parsed.credit_line, parsed.source) == ("Kensington Palace/PA Wire", "Kensington Palace")
    assert len(parsed.unrecognised) == 2


def test_pa_entertainment_restrictions_on_their_own_line() -> None:
    parsed = parse_caption(
        "Members of the Royal Family at Buckingham Palace. Picture date: Saturday June 15, 2024."
        " Photo credit should read: Aaron Chown/PA Wire\nRESTRICTIONS: Use subject to"
        " restrictions. Editorial use only, no commercial use without prior consent from rights"
        " holder."
    )
    assert parsed.unrecognised == ("Use subject to restrictions",)
    assert _codes(
        "A party. Jane Roe/PA Wire. Editorial use only, no commercial use without prior consent"
        " from rights holder."
    ) == {"EDITORIAL_USE_ONLY", "NO_COMMERCIAL_USE"}


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        ("Cumhurbaşkanı Erdoğan, Ankara'da konuştu. (Murat Kula - Anadolu Ajansı)", "Ankara"),
        ("Vatandaşlar İzmir'de yürüdü. (Jane Roe - Anadolu Ajansı)", "İzmir"),
    ],
)
def test_turkish_places_with_a_locative_ending(caption: str, place: str) -> None:
    assert parse_caption(caption).place == place


@pytest.mark.parametrize(
    "caption",
    [
        "A man in Paris. [EDITORIAL USE ONLY] REUTERS/Jane Roe",
        "A man in Paris. EDITORIAL USE ONLY - REUTERS/Jane Roe",
    ],
)
def test_a_restriction_before_the_credit_in_its_sentence(caption: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, _codes(caption)) == ("REUTERS/Jane Roe", {"EDITORIAL_USE_ONLY"})


def test_a_dpa_restriction_sentence_is_kept_whole() -> None:
    parsed = parse_caption(
        "Der Kanzler in Kiew. Foto: Jane Roe/Bundesregierung/dpa - ACHTUNG: Nur zur redaktionellen"
        " Verwendung im Zusammenhang mit der aktuellen Berichterstattung über den Besuch und nur"
        " mit vollständiger Nennung des vorstehenden Credits"
    )
    assert parsed.restriction_text == (
        "ACHTUNG: Nur zur redaktionellen Verwendung im Zusammenhang mit der aktuellen"
        " Berichterstattung über den Besuch und nur mit vollständiger Nennung des vorstehenden"
        " Credits"
    )


def test_a_symbol_picture_tag_names_nobody() -> None:
    parsed = parse_caption("Ein Zug in Köln. Foto: Sina Schuldt/dpa/Symbolbild")
    assert (parsed.source, parsed.byline) == ("dpa", "Sina Schuldt")


@pytest.mark.parametrize("written", ["2024.03.05", "05-03-2024", "2024/03/05", "03-15-2024"])
def test_numeric_dates_with_other_separators(written: str) -> None:
    parsed = parse_caption(f"A man walks in Paris, {written}. REUTERS/Jane Roe")
    assert parsed.date is not None
    assert str(parsed.date) in ("2024-03-05", "2024-03-15")


def test_a_desk_note_between_markers_is_no_restriction_text() -> None:
    parsed = parse_caption(
        "Mattarella a Roma, 2 giugno 2025. ANSA/UFFICIO STAMPA QUIRINALE/PAOLO GIANDOTTI +++"
        " HANDOUT PHOTO +++ EDITORIAL USE ONLY +++ NO SALES +++"
    )
    assert parsed.restriction_text == "EDITORIAL USE ONLY +++ NO SALES"


# A reference in brackets after the credit ("Name/Shutterstock (12345678a)") is the agency's
# picture id in any case, and never an instruction.


@pytest.mark.parametrize(
    ("caption", "reference"),
    [
        (
            "Mandatory Credit: Photo by Jane Roe/Shutterstock (14512345a)\nKing visits Leeds",
            "14512345a",
        ),
        (
            "MANDATORY CREDIT: PHOTO BY JANE ROE/SHUTTERSTOCK (14512345A)\nEDITORIAL USE ONLY",
            "14512345A",
        ),
        (
            "A march in London. Mandatory Credit: Photo by Jane Roe/REX/Shutterstock (9876543ab)",
            "9876543ab",
        ),
    ],
)
def test_a_bracketed_reference_after_the_credit_is_the_agency_ref(
    caption: str, reference: str
) -> None:
    parsed = parse_caption(caption)
    assert parsed.agency == "Shutterstock"
    assert parsed.agency_ref == reference
    assert reference not in (parsed.restriction_text or "")
    assert not any(reference in text for text in parsed.unrecognised)


# AFP's restriction block as its French, Spanish and Portuguese services write it.


@pytest.mark.parametrize(
    ("caption", "codes"),
    [
        (
            "Des pompiers près de Marseille, le 10 août 2024. (Photo by Handout / SDIS 13 / AFP) /"
            ' RESTREINT À UN USAGE ÉDITORIAL - CRÉDIT OBLIGATOIRE "AFP PHOTO / SDIS 13" - PAS DE'
            " MARKETING NI DE CAMPAGNES PUBLICITAIRES - DISTRIBUÉ EN TANT QUE SERVICE AUX CLIENTS",
            {"EDITORIAL_USE_ONLY", "MANDATORY_CREDIT", "NO_MARKETING", "NO_ADVERTISING", "OTHER"},
        ),
        (
            "Bomberos en Valencia. (Photo by Handout / Generalitat / AFP) / USO EDITORIAL"
            ' RESTRINGIDO - CRÉDITO OBLIGATORIO "AFP PHOTO / GENERALITAT" - SIN MARKETING NI'
            " CAMPAÑAS PUBLICITARIAS - DISTRIBUIDO COMO SERVICIO A LOS CLIENTES",
            {"EDITORIAL_USE_ONLY", "MANDATORY_CREDIT", "NO_MARKETING", "NO_ADVERTISING", "OTHER"},
        ),
        (
            "Bombeiros em Lisboa. (Photo by Handout / Proteção Civil / AFP) / RESTRITO AO USO"
            ' EDITORIAL - CRÉDITO OBRIGATÓRIO "AFP PHOTO / PROTEÇÃO CIVIL" - SEM MARKETING OU'
            " CAMPANHAS PUBLICITÁRIAS - DISTRIBUÍDO COMO SERVIÇO AOS CLIENTES",
            {"EDITORIAL_USE_ONLY", "MANDATORY_CREDIT", "NO_MARKETING", "NO_ADVERTISING", "OTHER"},
        ),
    ],
)
def test_afp_restriction_block_in_other_languages(caption: str, codes: set[str]) -> None:
    parsed = parse_caption(caption)
    assert _codes(caption) == codes
    assert parsed.agency == "AFP"
    assert parsed.credit_line is not None and parsed.credit_line.endswith("/ AFP")


@pytest.mark.parametrize(
    "tail",
    [
        "(Photo by HANDOUT/ISRAELI ARMY/AFP via Getty Images)",
        "(Photo by Handout / Israeli Army / AFP via Getty Images)",
    ],
)
def test_an_advisory_ends_where_a_bracketed_credit_opens(tail: str) -> None:
    caption = (
        "Soldiers in Gaza. (Photo by Handout / ISRAELI ARMY / AFP) / RESTRICTED TO EDITORIAL USE"
        ' - MANDATORY CREDIT "AFP PHOTO / HO / ISRAELI ARMY" - NO MARKETING NO ADVERTISING'
        " CAMPAIGNS - DISTRIBUTED AS A SERVICE TO CLIENTS " + tail
    )
    parsed = parse_caption(caption)
    others = [r.text for r in parsed.restrictions if r.code is Code.OTHER]
    assert others == ["DISTRIBUTED AS A SERVICE TO CLIENTS"]
    assert parsed.agency == "Getty Images"


@pytest.mark.parametrize("marker", ["++", "+++", "++++"])
def test_desk_markers_close_a_credit(marker: str) -> None:
    caption = (
        "12.03.2025, Berlin: Eine Pressekonferenz. Foto: Britta Pedersen/dpa "
        f"{marker} SPERRFRIST: 13.03.2025, 10:00 Uhr {marker}"
    )
    parsed = parse_caption(caption)
    assert parsed.credit_line == "Britta Pedersen/dpa"
    assert _codes(caption) == {"EMBARGO"}


# IMAGO joins words with "x": "PUBLICATIONxNOTxINxCHN".


@pytest.mark.parametrize(
    ("line", "excluded", "included"),
    [
        ("PUBLICATIONxNOTxINxCHN", ("CN",), ()),
        ("PUBLICATIONxNOTxINxGERxSUIxAUT", ("DE", "CH", "AT"), ()),
        ("PUBLICATIONxINxGERxSUIxAUTxONLY", (), ("DE", "CH", "AT")),
        ("PUBLICATIONxNOTxINxFRAxITA", ("FR", "IT"), ()),
    ],
)
def test_imago_joined_territories(
    line: str, excluded: tuple[str, ...], included: tuple[str, ...]
) -> None:
    caption = f"Fans in Bern, 3 March 2025. Photo: IMAGO/Xinhua {line}"
    parsed = parse_caption(caption)
    (restriction,) = parsed.restrictions
    assert restriction.code is Code.TERRITORY and restriction.text == line
    assert (restriction.countries_excluded, restriction.countries_included) == (excluded, included)
    assert parsed.credit_line == "IMAGO/Xinhua"
    assert caption[restriction.start : restriction.end] == line


def test_an_imago_territory_with_an_unknown_code_is_left_for_review() -> None:
    parsed = parse_caption("A match. Photo: IMAGO/ZUMA PUBLICATIONxNOTxINxCHNxQQQ")
    assert [str(r.code) for r in parsed.restrictions] == ["OTHER"]
    assert parsed.unrecognised == ("PUBLICATIONxNOTxINxCHNxQQQ",)


@pytest.mark.parametrize("separator", [" -- ", " - ", ". "])
def test_the_credit_a_mandatory_credit_asks_for_is_no_instruction(separator: str) -> None:
    caption = (
        "epa12178844 An eclipse made by two spacecraft, 15 March 2025. EPA/ESA/PROBA-3 HANDOUT"
        f"{separator}MANDATORY CREDIT: ESA/PROBA-3/ASPIICS{separator}HANDOUT"
        " EDITORIAL USE ONLY/NO SALES"
    )
    parsed = parse_caption(caption)
    assert _codes(caption) == {"MANDATORY_CREDIT", "EDITORIAL_USE_ONLY", "NO_SALES"}
    assert parsed.unrecognised == ()


@pytest.mark.parametrize(
    ("credit", "byline"),
    [
        ("(U.S. Army photo by Spc. Kevin Garcia)", "Kevin Garcia"),
        ("(U.S. Air Force photo by Staff Sgt. Jane Roe)", "Jane Roe"),
        ("Photo: LPhot Chris Sellars/UK MOD © Crown copyright 2024", "Chris Sellars"),
        ("Cpl Tim Laurence/MoD Crown Copyright/PA Wire", "Tim Laurence"),
    ],
)
def test_a_photographers_rank_is_no_part_of_the_byline(credit: str, byline: str) -> None:
    assert (
        parse_caption(f"Soldiers on exercise in Poland, June 10, 2024. {credit}").byline == byline
    )


def test_a_party_named_before_a_copyright_notice_is_the_party() -> None:
    parsed = parse_caption(
        "A destroyer in the Red Sea.\nPhoto: LPhot Chris Sellars/UK MOD © Crown copyright 2024"
    )
    assert (parsed.agency, parsed.source) == ("UK MOD", "UK MOD")
    zuma = parse_caption("A march. (Credit Image: © Jane Roe/ZUMA Press Wire)")
    assert (zuma.agency, zuma.byline) == ("ZUMA Press", "Jane Roe")


@pytest.mark.parametrize("platform", ["X", "Twitter", "Instagram", "Telegram", "Social Media"])
def test_where_a_picture_was_posted_is_not_who_supplied_it(platform: str) -> None:
    parsed = parse_caption(
        f"A helicopter over the fire, Jan. 7, 2025. LACoFD/{platform} MANDATORY CREDIT"
    )
    assert parsed.source == "LACoFD"
    assert parsed.agency != platform


@pytest.mark.parametrize("stars", ["*", "***", "* * *"])
def test_stars_after_a_bracketed_credit_do_not_cut_it(stars: str) -> None:
    caption = (
        'A "Hands Off!" protest in New York City on April 5, 2025. (Photo by Lev Radin/Sipa USA)'
        f" {stars} NO USE IN FRANCE {stars}"
    )
    parsed = parse_caption(caption)
    assert (parsed.agency, parsed.credit_line) == ("Sipa USA", "Lev Radin/Sipa USA")
    assert parsed.territories == ("FR",) and parsed.unrecognised == ()


@pytest.mark.parametrize(
    "provided", ["fornita dai", "fornita dalla", "concessa dal", "fornito dagli"]
)
def test_italian_provided_by_with_the_article_is_a_handout(provided: str) -> None:
    caption = (
        f"Un'immagine {provided} Vigili del Fuoco a Saviano, 8 marzo 2025. ANSA/VIGILI DEL FUOCO"
    )
    assert parse_caption(caption).handout


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        (
            "NOT FOR SALE FOR MARKETING OR ADVERTISING CAMPAIGNS.",
            {"NO_MARKETING", "NO_ADVERTISING"},
        ),
        ("NO COMMERCIAL USE WHATSOEVER", {"NO_COMMERCIAL_USE"}),
        ("BYLINE MUST READ: Jane Roe / Agency", {"MANDATORY_CREDIT"}),
        ("USO ESCLUSIVAMENTE EDITORIALE - NON PER VENDITA", {"EDITORIAL_USE_ONLY", "NO_SALES"}),
        ("Honorarfrei nur für Bezieher des dpa-Themendienstes", {"OTHER"}),
    ],
)
def test_more_restriction_wording(line: str, codes: set[str]) -> None:
    assert _codes(f"A ship in port, 3 March 2025. REUTERS/Jane Roe\n{line}") == codes


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        ("The prime minister speaks during a debate, London, Wednesday, March 5, 2025.", "London"),
        ("The prime minister speaks during a debate, London, Wednesday 5 March 2025.", "London"),
        ("Ο πρωθυπουργός μιλά κατά τη συζήτηση, Αθήνα, Τετάρτη 5 Μαρτίου 2025.", "Αθήνα"),
        ("Le Premier ministre lors d'un débat, Paris, mercredi 5 mars 2025.", "Paris"),
    ],
)
def test_a_weekday_between_the_place_and_the_date(caption: str, place: str) -> None:
    assert parse_caption(caption + " REUTERS/Jane Roe").place == place


@pytest.mark.parametrize("service", ["ΠΥΡΟΣΒΕΣΤΙΚΗ ΥΠΗΡΕΣΙΑ", "ΛΙΜΕΝΙΚΟ ΣΩΜΑ", "ΔΗΜΟΣ ΑΘΗΝΑΙΩΝ"])
def test_a_greek_public_service_is_a_source_not_a_photographer(service: str) -> None:
    parsed = parse_caption(f"Πυρκαγιά στην Αττική, 11 Αυγούστου 2024. ΑΠΕ-ΜΠΕ/{service}/HANDOUT")
    assert (parsed.source, parsed.byline, parsed.handout) == (service, None, True)


@pytest.mark.parametrize(
    "condition",
    [
        "NO USE IN BOOKS WITHOUT PRIOR WRITTEN CONSENT FROM AAP",
        "NO TABLOIDS WITHOUT PRIOR WRITTEN CONSENT",
    ],
)
def test_a_condition_read_in_two_pieces_is_one_restriction(condition: str) -> None:
    caption = f"Cricket in Adelaide, Friday, December 6, 2024. (AAP Image/Matt Turner) {condition}"
    others = [r.text for r in parse_caption(caption).restrictions if r.code is Code.OTHER]
    assert others == [condition]


def test_a_note_to_editors_after_the_credit_is_restriction_text() -> None:
    note = (
        "NOTE TO EDITORS: This handout photo may only be used for editorial reporting purposes"
        " for the contemporaneous illustration of events, things or the people in the image or"
        " facts mentioned in the caption. Reuse of the picture may require further permission"
        " from the copyright holder."
    )
    caption = (
        "Undated handout photo issued by Police Scotland of a missing woman. Issue date: Friday"
        f" January 10, 2025. PA Photo. Photo credit should read: Police Scotland/PA Wire\n{note}"
    )
    parsed = parse_caption(caption)
    assert parsed.restriction_text is not None and parsed.restriction_text.endswith(note)
    assert {"EDITORIAL_USE_ONLY", "OTHER"} <= {str(r.code) for r in parsed.restrictions}


@pytest.mark.parametrize(
    ("credit", "byline", "source"),
    [
        ("(Photo by Carl Court/Getty Images)", "Carl Court", "Getty Images"),
        ("REUTERS/Jonathan Cross", "Jonathan Cross", "Reuters"),
        ("(Photo by Supreme Court/Getty Images)", None, "Supreme Court"),
        ("(Photo by White House/Getty Images)", None, "White House"),
    ],
)
def test_a_surname_that_is_an_organisation_word_after_a_given_name(
    credit: str, byline: str | None, source: str
) -> None:
    parsed = parse_caption(f"A hearing in London, Britain, March 3, 2025. {credit}")
    assert (parsed.byline, parsed.source) == (byline, source)


@pytest.mark.parametrize("suffix", [" id123456789", "  12345678", " ref0042424242", " id6a94b6"])
@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        (
            "Smoke over Beirut, Lebanon, 27 September 2024.  EPA-EFE/WAEL HAMZEH",
            "EPA-EFE/WAEL HAMZEH",
        ),
        (
            "A ship in the Red Sea, 26 January 2024. U.S. Navy/Handout via REUTERS. THIS IMAGE HAS"
            " BEEN SUPPLIED BY A THIRD PARTY. NO RESALES. NO ARCHIVES.",
            "U.S. Navy/Handout via REUTERS",
        ),
    ],
)
def test_a_picture_id_appended_to_the_caption_is_not_read(
    caption: str, credit: str, suffix: str
) -> None:
    plain, suffixed = parse_caption(caption), parse_caption(caption + suffix)
    assert suffixed.credit_line == plain.credit_line == credit
    assert (suffixed.restrictions, suffixed.unrecognised) == (
        plain.restrictions,
        plain.unrecognised,
    )


@pytest.mark.parametrize(
    ("tail", "countries"),
    [
        ("netherlands out - belgium out", ("NL", "BE")),
        ("belgium out", ("BE",)),
        ("Verwendung in Österreich nicht gestattet", ("AT",)),
        ("Verwendung in der Schweiz und Österreich nicht erlaubt", ("CH", "AT")),
    ],
)
def test_dpa_territory_lines(tail: str, countries: tuple[str, ...]) -> None:
    caption = f"Demonstranten in Den Haag. Foto: Jane Roe/ANP/dpa +++ dpa-Bildfunk +++\n{tail}"
    parsed = parse_caption(caption)
    assert parsed.territories == countries
    assert parsed.credit_line == "Jane Roe/ANP/dpa" and parsed.unrecognised == ()


@pytest.mark.parametrize(
    "text", ["They sold out", "Fans walk out\nREUTERS/Jane Roe", "It ran out - REUTERS"]
)
def test_out_in_prose_is_no_territory(text: str) -> None:
    assert parse_caption(text).restrictions == ()


@pytest.mark.parametrize("supplier", ["NSW SES", "NSW Police", "QLD FIRE AND EMERGENCY"])
def test_an_upper_case_supplier_after_supplied_by_is_a_name(supplier: str) -> None:
    caption = (
        f"Floodwaters in Lismore, March 8, 2025. (AAP Image/Supplied by {supplier}) NO ARCHIVING"
    )
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.source) == (f"AAP Image/Supplied by {supplier}", supplier)
    assert parsed.unrecognised == ()


@pytest.mark.parametrize(
    "contact", ["TheMegaAgency.com +1 888 505 6342", "www.backgrid.com", "+44 20 7000 0000"]
)
def test_contact_details_after_a_credit_are_not_part_of_it(contact: str) -> None:
    parsed = parse_caption(f"A singer in Santa Monica. Photo credit: Jane Roe / MEGA {contact}")
    assert (parsed.credit_line, parsed.agency) == ("Jane Roe / MEGA", "MEGA")


def test_a_customer_code_is_no_party_and_starred_words_are_an_instruction() -> None:
    parsed = parse_caption("Ministern i Stockholm. Foto: Jane Roe/TT / kod 10060 ***BETALBILD***")
    assert (parsed.credit_line, parsed.agency) == ("Jane Roe/TT", "TT News Agency")
    assert parsed.unrecognised == ("BETALBILD",)


@pytest.mark.parametrize(
    "line",
    [
        "*UK Clients - Pictures Containing Children Please Pixelate Face Prior To Publication*",
        "UK CLIENTS: PLEASE PIXELATE CHILDREN'S FACES",
    ],
)
def test_a_request_to_pixelate_children_is_kept_for_review(line: str) -> None:
    caption = (
        f"BACKGRID UK 7 JULY 2024\nAn actor at Silverstone.\n{line}\n"
        "BYLINE MUST READ: Jane Roe / BACKGRID"
    )
    assert "OTHER" in _codes(caption)


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        (
            "Protesters chant in downtown Nairobi, Kenya, Tuesday. (AP Photo/Jane Roe)",
            "Nairobi, Kenya",
        ),
        (
            "Statsministeren under en pressekonferanse i Oslo fredag 31. januar 2025."
            " Foto: Jane Roe / NTB",
            "Oslo",
        ),
        (
            "Prezydent podczas uroczystości w Warszawie, 14 maja 2024 r. Fot. PAP/Jan Roe",
            "Warszawie",
        ),
        (
            "Der Präsident im Rahmen eines Besuchs in der Hofburg in Wien. APA-FOTO: JANE ROE",
            "Wien",
        ),
    ],
)
def test_datelines_in_more_languages_and_a_weekday_alone(caption: str, place: str) -> None:
    found = parse_caption(caption).place
    assert found is not None and place in found


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("14 maja 2024", "2024-05-14"),
        ("3 października 2024", "2024-10-03"),
        ("5 mars 2025", "2025-03-05"),
        ("12 augusti 2024", "2024-08-12"),
        ("24 desember 2024", "2024-12-24"),
    ],
)
def test_polish_and_nordic_month_names(text: str, iso: str) -> None:
    parsed = parse_caption(f"Ludzie na ulicy, {text}. Foto: Jan Roe/PAP")
    assert parsed.date is not None and str(parsed.date) == iso


def test_a_polish_agency_name_is_an_organisation_not_a_photographer() -> None:
    parsed = parse_caption(
        "A border crossing, February 20, 2024. Jan Roe/Agencja Wyborcza.pl via REUTERS"
    )
    assert (parsed.source, parsed.byline) == ("Agencja Wyborcza.pl", "Jan Roe")


# Credits as publishers restyle them when they re-publish a wire picture.


@pytest.mark.parametrize(
    ("caption", "credit", "agency", "byline"),
    [
        (
            "Rubble in Khan Younis, in the southern Gaza Strip [Hatem Khaled/Reuters]",
            "Hatem Khaled/Reuters",
            "Reuters",
            "Hatem Khaled",
        ),
        ("Refugees in Adre [File: Jane Roe/Reuters]", "Jane Roe/Reuters", "Reuters", "Jane Roe"),
        (
            "The prime minister in Athens, on Wednesday. [InTime News]",
            "InTime News",
            "InTime News",
            None,
        ),
        ("Pedro Sánchez en el Congreso. Chema Moya (EFE)", "Chema Moya (EFE)", "EFE", "Chema Moya"),
        (
            "Feijóo en Santiago. Eduardo Parra (Europa Press)",
            "Eduardo Parra (Europa Press)",
            "Europa Press",
            "Eduardo Parra",
        ),
        ("The prime minister in Tokyo on Friday. | KYODO", "KYODO", "Kyodo", None),
        (
            "Manifestantes en Bogotá, el 28 de abril de 2021."
            "Crédito...Jane Roe para The New York Times",
            "Jane Roe para The New York Times",
            "The New York Times",
            "Jane Roe",
        ),
        (
            "Floodwaters cover the Pacific Highway near Taree. (ABC News: Bridget Murphy)",
            "ABC News: Bridget Murphy",
            "ABC News",
            "Bridget Murphy",
        ),
        (
            "Chancellor Friedrich Merz in the Bundestag in BerlinImage: Kay Nietfeld/dpa",
            "Kay Nietfeld/dpa",
            "dpa",
            "Kay Nietfeld",
        ),
        (
            "Soldiers near Pokrovsk, Ukraine, March 3, 2025. Press Service of the 24th King Danylo"
            " Separate Mechanized Brigade of the Ukrainian Armed Forces/Handout via REUTERS",
            "Press Service of the 24th King Danylo Separate Mechanized Brigade of the Ukrainian"
            " Armed Forces/Handout via REUTERS",
            "Reuters",
            None,
        ),
    ],
)
def test_publisher_styled_credits(
    caption: str, credit: str, agency: str, byline: str | None
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.agency, parsed.byline) == (credit, agency, byline)


@pytest.mark.parametrize("tail", ["[pictured]", "[File Photo]", "(left)"])
def test_a_bracketed_note_is_no_credit(tail: str) -> None:
    assert parse_caption(f"A protest in Athens {tail}").credit_line is None


def test_a_family_handout_names_no_supplier() -> None:
    parsed = parse_caption("A woman reported missing, pictured in 2023. Photograph: Family handout")
    assert (parsed.agency, parsed.source, parsed.handout) == (None, None, True)


def test_a_photographer_working_for_a_paper() -> None:
    parsed = parse_caption(
        "Vendanges à Saint-Émilion, le 12 septembre 2024. CLAIRE DURAND POUR « LE MONDE »"
    )
    assert (parsed.byline, parsed.agency) == ("CLAIRE DURAND", "LE MONDE")


@pytest.mark.parametrize(
    ("caption", "credit", "byline", "place"),
    [
        (
            "ukraine's president attends a press conference in kyiv, ukraine, february 23, 2025."
            " reuters/valentyn ogirenko",
            "reuters/valentyn ogirenko",
            "valentyn ogirenko",
            "kyiv, ukraine",
        ),
        (
            "photo by ozan kose/afp via getty images",
            "ozan kose/afp via getty images",
            "ozan kose",
            None,
        ),
        (
            "fans cheer in madrid, spain, march 3, 2024. epa-efe/juanjo martin",
            "epa-efe/juanjo martin",
            "juanjo martin",
            "madrid, spain",
        ),
    ],
)
def test_a_caption_written_all_in_lower_case(
    caption: str, credit: str, byline: str, place: str | None
) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.byline, parsed.place) == (credit, byline, place)
    assert parsed.byline in caption


@pytest.mark.parametrize(
    "prose", ["constructed hold-out 2", "the mayor cuts the ribbon at the new library"]
)
def test_lower_case_prose_is_no_credit_and_no_place(prose: str) -> None:
    parsed = parse_caption(prose)
    assert (parsed.credit_line, parsed.place, parsed.byline) == (None, None, None)


def test_an_abbreviation_opening_text_after_the_credit_is_no_instruction() -> None:
    caption = (
        "Traders in New York City, U.S., March 10, 2025. REUTERS/Jane Roe\r\n"
        "NEW YORK, March 10 (Reuters) - U.S. stocks tumbled on Monday as investors fretted"
    )
    parsed = parse_caption(caption)
    assert (parsed.restrictions, parsed.unrecognised) == ((), ())
    assert parse_caption("A ship. REUTERS/Jane Roe U.S. OUT").unrecognised == ("U.S. OUT",)
