"""League and organiser conditions, pool exclusions, organisations in credits, dateline places.

Constructed captions in the house styles of the agencies that append these notes; each class
has several variants, as they occur on the wires.
"""

from __future__ import annotations

import pytest

from captions import parse_caption
from rights import Code

_PREMIER_LEAGUE = (
    "EDITORIAL USE ONLY. No use with unauthorized audio, video, data, fixture lists,"
    " club/league logos or 'live' services. Online in-match use limited to 120 images, no video"
    " emulation. No use in betting, games or single club/league/player publications."
)


def _others(caption: str) -> list[str]:
    return [r.text for r in parse_caption(caption).restrictions if r.code is Code.OTHER]


@pytest.mark.parametrize(
    ("caption", "credit", "byline", "codes", "others"),
    [
        (
            "Arsenal's Declan Rice in action during the English Premier League match in London,"
            " Britain, 04 May 2025. EPA/ANDY RAIN " + _PREMIER_LEAGUE,
            "EPA/ANDY RAIN",
            "ANDY RAIN",
            {Code.EDITORIAL_USE_ONLY},
            [
                "No use with unauthorized audio, video, data, fixture lists, club/league logos or"
                " 'live' services",
                "Online in-match use limited to 120 images, no video emulation",
                "No use in betting, games or single club/league/player publications",
            ],
        ),
        (
            "Fans before the EFL Championship match at Elland Road, Leeds. Picture date: Saturday"
            " May 3, 2025. Photo credit should read: Jane Roe/PA Wire. RESTRICTIONS: EDITORIAL USE"
            " ONLY No use with unauthorised audio, video, data, fixture lists, club/league logos or"
            ' "live" services. Online in-match use limited to 120 images, no video emulation.',
            "Jane Roe/PA Wire",
            "Jane Roe",
            {Code.EDITORIAL_USE_ONLY},
            [
                "No use with unauthorised audio, video, data, fixture lists, club/league logos or"
                ' "live" services',
                "Online in-match use limited to 120 images, no video emulation",
            ],
        ),
        (
            "Leipzig's Lois Openda reacts during the German Bundesliga match in Leipzig, Germany,"
            " 26 April 2025. EPA/FILIP SINGER CONDITIONS - ATTENTION: The DFL regulations prohibit"
            " any use of photographs as image sequences and/or quasi-video.",
            "EPA/FILIP SINGER",
            "FILIP SINGER",
            set(),
            [
                "The DFL regulations prohibit any use of photographs as image sequences and/or"
                " quasi-video"
            ],
        ),
        (
            "Soccer Football - DFB Cup - Final - Olympiastadion, Berlin, Germany - May 24, 2025"
            " Players celebrate REUTERS/Jane Roe DFB REGULATIONS PROHIBIT ANY USE OF PHOTOGRAPHS AS"
            " IMAGE SEQUENCES AND/OR QUASI-VIDEO.",
            "REUTERS/Jane Roe",
            "Jane Roe",
            set(),
            [
                "DFB REGULATIONS PROHIBIT ANY USE OF PHOTOGRAPHS AS IMAGE SEQUENCES AND/OR"
                " QUASI-VIDEO"
            ],
        ),
        (
            "Inter's Lautaro Martinez during the UEFA Champions League semi-final in Milan, Italy,"
            " 06 May 2025. EPA/MATTEO BAZZI ATTENTION: UEFA regulations prohibit any use of"
            " photographs as image sequences and/or quasi-video.",
            "EPA/MATTEO BAZZI",
            "MATTEO BAZZI",
            set(),
            [
                "UEFA regulations prohibit any use of photographs as image sequences and/or"
                " quasi-video"
            ],
        ),
        (
            "Fußball: Bundesliga, 1. FC Köln - Hamburger SV, 30. Spieltag. Ein Spieler jubelt."
            " Foto: Jane Roe/dpa - WICHTIGER HINWEIS: Gemäß den Vorgaben der DFL Deutsche Fußball"
            " Liga bzw. des DFB Deutscher Fußball-Bund ist es untersagt, in dem Stadion und/oder"
            " vom Spiel angefertigte Fotoaufnahmen in Form von Sequenzbildern und/oder"
            " videoähnlichen Fotostrecken zu verwerten bzw. verwerten zu lassen.",
            "Jane Roe/dpa",
            "Jane Roe",
            set(),
            [
                "Gemäß den Vorgaben der DFL Deutsche Fußball Liga bzw. des DFB Deutscher"
                " Fußball-Bund ist es untersagt, in dem Stadion und/oder vom Spiel angefertigte"
                " Fotoaufnahmen in Form von Sequenzbildern und/oder videoähnlichen Fotostrecken zu"
                " verwerten bzw. verwerten zu lassen"
            ],
        ),
        (
            "Jannik Sinner serves on Centre Court at the All England Lawn Tennis and Croquet Club,"
            " London. Picture date: Monday June 30, 2025. Photo credit should read: Jane Roe/PA"
            " Wire. RESTRICTIONS: Editorial use only. No commercial use without prior written"
            " consent of the AELTC. Still image use only - no moving images to emulate broadcast.",
            "Jane Roe/PA Wire",
            "Jane Roe",
            {Code.EDITORIAL_USE_ONLY, Code.NO_COMMERCIAL_USE},
            [
                "without prior written consent of the AELTC",
                "Still image use only - no moving images to emulate broadcast",
            ],
        ),
        (
            "A striker shoots at Stamford Bridge in London on May 4, 2025. (Photo by Jane ROE /"
            " AFP) / RESTRICTED TO EDITORIAL USE. No use with unauthorized audio, video, data,"
            " fixture lists, club/league logos or 'live' services. Online in-match use limited to"
            " 120 images. An additional 40 images may be used in extra time. No video emulation.",
            "Jane ROE / AFP",
            "Jane ROE",
            {Code.EDITORIAL_USE_ONLY},
            [
                "No use with unauthorized audio, video, data, fixture lists, club/league logos or"
                " 'live' services",
                "Online in-match use limited to 120 images",
                "An additional 40 images may be used in extra time",
                "No video emulation",
            ],
        ),
        (
            "A tennis player in action at Wimbledon in London, Britain, 01 July 2025. EPA/JANE ROE"
            " EDITORIAL USE ONLY, NO COMMERCIAL USE",
            "EPA/JANE ROE",
            "JANE ROE",
            {Code.EDITORIAL_USE_ONLY, Code.NO_COMMERCIAL_USE},
            [],
        ),
    ],
)
def test_league_conditions_after_the_credit_are_kept(
    caption: str, credit: str, byline: str, codes: set[Code], others: list[str]
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit
    assert parsed.byline == byline
    assert {r.code for r in parsed.restrictions} - {Code.OTHER, Code.MANDATORY_CREDIT} == codes
    assert _others(caption) == others


@pytest.mark.parametrize(
    ("caption", "credit_text"),
    [
        (
            "A quarterback throws in New Orleans, Louisiana, USA, 09 February 2025. EPA/JANE ROE"
            " MANDATORY CREDIT: NFL",
            "MANDATORY CREDIT: NFL",
        ),
        (
            "Smoke rises over Gaza, 12 March 2024. EPA-EFE/ISRAELI ARMY HANDOUT -- MANDATORY"
            " CREDIT: ISRAELI ARMY HANDOUT EDITORIAL USE ONLY/NO SALES",
            "MANDATORY CREDIT: ISRAELI ARMY",
        ),
        (
            "A guard during a game in Boston, Massachusetts, on April 2, 2025. Mandatory Copyright"
            " Notice: Copyright 2025 NBAE (Photo by Jane Roe/NBAE via Getty Images)",
            "Mandatory Copyright Notice",
        ),
    ],
)
def test_name_after_a_mandatory_credit_belongs_to_it(caption: str, credit_text: str) -> None:
    parsed = parse_caption(caption)
    assert [r.text for r in parsed.restrictions if r.code is Code.MANDATORY_CREDIT] == [credit_text]
    assert parsed.unrecognised == ()


def test_handout_tag_before_a_mandatory_credit_stays_in_the_credit() -> None:
    parsed = parse_caption(
        "Smoke rises over Gaza, 12 March 2024. EPA-EFE/ISRAELI ARMY HANDOUT -- MANDATORY"
        " CREDIT: ISRAELI ARMY HANDOUT EDITORIAL USE ONLY/NO SALES"
    )
    assert parsed.credit_line == "EPA-EFE/ISRAELI ARMY HANDOUT"
    assert parsed.source == "ISRAELI ARMY"


@pytest.mark.parametrize(
    ("caption", "credit", "restriction"),
    [
        (
            "The president speaks at the Elysee Palace in Paris, France, 14 May 2025."
            " EPA/JANE ROE / POOL MAXPPP OUT",
            "EPA/JANE ROE / POOL",
            (Code.OTHER, "MAXPPP OUT"),
        ),
        (
            "Ministers meet in Paris, France, 14 May 2025. EPA-EFE/JANE ROE / POOL  ABACA OUT",
            "EPA-EFE/JANE ROE / POOL",
            (Code.OTHER, "ABACA OUT"),
        ),
        (
            "Leaders at a summit in Beijing, China, 14 May 2025. EPA/JANE ROE / POOL CCTV OUT"
            " EDITORIAL USE ONLY",
            "EPA/JANE ROE / POOL",
            (Code.OTHER, "CCTV OUT"),
        ),
        (
            "The president in Paris, France, 14 May 2025. EPA/JANE ROE / POOL / MAXPPP OUT",
            "EPA/JANE ROE / POOL",
            (Code.OTHER, "MAXPPP OUT"),
        ),
        (
            "The prime minister in Tokyo, Japan, 14 May 2025. EPA/JANE ROE / POOL JAPAN OUT",
            "EPA/JANE ROE / POOL",
            (Code.TERRITORY, "JAPAN OUT"),
        ),
    ],
)
def test_pool_credit_before_an_outlet_or_territory_exclusion(
    caption: str, credit: str, restriction: tuple[Code, str]
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit
    assert parsed.pool is True
    assert parsed.byline == "JANE ROE"
    assert restriction in [(r.code, r.text) for r in parsed.restrictions]


@pytest.mark.parametrize(
    ("caption", "credit", "source", "byline", "agency"),
    [
        (
            "A midfielder in action during the UEFA Champions League match in Madrid, Spain on"
            " April 16, 2025. (Photo by Jane Roe - UEFA/UEFA via Getty Images)",
            "Jane Roe - UEFA/UEFA via Getty Images",
            "UEFA",
            "Jane Roe",
            "Getty Images",
        ),
        (
            "A forward during the FIFA Club World Cup match at Hard Rock Stadium on June 14, 2025"
            " in Miami, Florida. (Photo by Jane Roe - FIFA/FIFA via Getty Images)",
            "Jane Roe - FIFA/FIFA via Getty Images",
            "FIFA",
            "Jane Roe",
            "Getty Images",
        ),
        (
            "England players train at St George's Park in Burton upon Trent, England, on March 18,"
            " 2025. (Photo by Jane Roe - The FA/The FA via Getty Images)",
            "Jane Roe - The FA/The FA via Getty Images",
            "The FA",
            "Jane Roe",
            "Getty Images",
        ),
        (
            "A newly described orchid is seen in this undated handout picture. Royal Botanic"
            " Gardens, Kew/Handout via REUTERS",
            "Royal Botanic Gardens, Kew/Handout via REUTERS",
            "Royal Botanic Gardens, Kew",
            None,
            "Reuters",
        ),
        (
            "A fossil is seen in this handout picture. University of California, Berkeley/Handout"
            " via REUTERS",
            "University of California, Berkeley/Handout via REUTERS",
            "University of California, Berkeley",
            None,
            "Reuters",
        ),
        (
            "El rey Felipe VI durante la audiencia en el Palacio de la Zarzuela, en Madrid, este"
            " miércoles. EFE/Casa de S.M. el Rey/Jane Roe",
            "EFE/Casa de S.M. el Rey/Jane Roe",
            "Casa de S.M. el Rey",
            "Jane Roe",
            "EFE",
        ),
        (
            "A driver in Melbourne, Australia on March 16, 2025. (Photo by Jane Roe - Formula"
            " 1/Formula 1 via Getty Images)",
            "Jane Roe - Formula 1/Formula 1 via Getty Images",
            "Formula 1",
            "Jane Roe",
            "Getty Images",
        ),
        (
            "A forward at Old Trafford in Manchester, England. (Photo by Jane Roe - Manchester"
            " United/Manchester United via Getty Images)",
            "Jane Roe - Manchester United/Manchester United via Getty Images",
            "Manchester United",
            "Jane Roe",
            "Getty Images",
        ),
        (
            "El presidente durante la reunión en Madrid, 12 de marzo de 2025. EFE/Palacio de la"
            " Moncloa/Jane Roe",
            "EFE/Palacio de la Moncloa/Jane Roe",
            "Palacio de la Moncloa",
            "Jane Roe",
            "EFE",
        ),
    ],
)
def test_organisation_after_a_dash_or_with_a_comma_in_its_name(
    caption: str, credit: str, source: str, byline: str | None, agency: str
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit
    assert parsed.source == source
    assert parsed.byline == byline
    assert parsed.agency == agency


def test_a_picture_id_after_a_dash_is_no_body() -> None:
    assert parse_caption("Fans cheer in Istanbul. (Jane Roe - Anadolu Agency) idf51c1b").source != (
        "Anadolu Agency) idf51c1b"
    )


def test_a_sports_title_before_the_credit_is_not_a_photographer() -> None:
    parsed = parse_caption(
        "Soccer Football - Premier League - Arsenal v Chelsea - Emirates Stadium, London, Britain"
        " - March 10, 2025 A forward celebrates Action Images via Reuters/Jane Roe"
    )
    assert parsed.credit_line == "Action Images via Reuters/Jane Roe"
    assert parsed.byline == "Jane Roe"


@pytest.mark.parametrize(
    ("caption", "place"),
    [
        (
            "The King meets guests in the Green Drawing Room at Windsor Castle, Britain, 20 March"
            " 2025. EPA/JANE ROE / POOL",
            "Windsor Castle, Britain",
        ),
        (
            "Ministers meet in the Cabinet Room at Chequers, Britain, 3 May 2025. EPA/JANE ROE",
            "Chequers, Britain",
        ),
        (
            "Le porte-avions Charles de Gaulle sur la base navale de Brest, le 20 janvier 2025."
            " (Photo by Jane ROE / AFP)",
            "Brest",
        ),
        (
            "Shipping containers at the port of Felixstowe, UK, on Wednesday, April 2, 2025."
            " Photographer: Jane Roe/Bloomberg via Getty Images",
            "Felixstowe, UK",
        ),
        (
            "Grain ships in the southern port of Odesa, Ukraine, May 3, 2025. REUTERS/Jane Roe",
            "Odesa, Ukraine",
        ),
        (
            "An airliner flies above Toulouse, southwestern France. (Photo by Jane ROE / AFP)",
            "Toulouse, southwestern France",
        ),
        (
            "ANKARA, TURKIYE - JULY 12: The president speaks at the Presidential Complex on July"
            " 12, 2025. (Photo by Jane Roe/Anadolu via Getty Images)",
            "ANKARA, TURKIYE",
        ),
        (
            "MADRID, 12/03/2025.- El presidente del Gobierno comparece en el Congreso. EFE/ Jane"
            " Roe",
            "MADRID",
        ),
        (
            "Bogotá, 12 mar (EFE).- Manifestantes marchan por la plaza de Bolívar. EFE/Jane Roe",
            "Bogotá",
        ),
        (
            "GINEBRA (SUIZA), 12/03/2025.- El alto comisionado comparece ante la prensa. EFE/"
            " Jane Roe",
            "GINEBRA (SUIZA)",
        ),
        (
            "Ciudad de México, 12 mar (EFE).- Manifestantes marchan en el Zócalo. EFE/Jane Roe",
            "Ciudad de México",
        ),
        (
            "The rally in Kyiv, Ukraine, 3 May 2025.- REUTERS/Jane Roe",
            "Kyiv, Ukraine",
        ),
        (
            "Mar 12, 2025; Boston, Massachusetts, USA; A guard dribbles during the second half at"
            " TD Garden. Mandatory Credit: Jane Roe-Imagn Images",
            "Boston, Massachusetts, USA",
        ),
        (
            "The Chancellor leaves 11 Downing Street, London, with her ministerial box. Picture"
            " date: Wednesday March 26, 2025. Photo credit should read: Jane Roe/PA Wire",
            "11 Downing Street, London",
        ),
        (
            "A batter hits a home run at Tokyo Dome on March 18, 2025. (Kyodo)",
            "Tokyo Dome",
        ),
        (
            "Migrants board a boat in the English Channel off the beach of Wimereux, northern"
            " France, on August 12, 2025. (Photo by Jane ROE / AFP)",
            "Wimereux, northern France",
        ),
        (
            "Die Kanzlerin spricht im Bundestag. Berlin, 15.01.2026. Foto: Jane Roe/dpa",
            "Berlin",
        ),
        (
            "Soldaten üben am 4. Februar 2026 auf dem Truppenübungsplatz Bergen. Foto: Jane"
            " Roe/dpa",
            "Truppenübungsplatz Bergen",
        ),
        (
            "Il presidente riceve il premier al Quirinale, 10 marzo 2026. ANSA/JANE ROE",
            "Quirinale",
        ),
    ],
)
def test_dateline_place_variants(caption: str, place: str) -> None:
    assert parse_caption(caption).place == place


@pytest.mark.parametrize(
    "caption",
    [
        "Der Zug steht im Werk in Krefeld. Sperrfrist: 20. Februar 2026, 00:01 Uhr. Foto: Jane"
        " Roe/dpa",
        "Commuters at Waterloo Station in London. Picture date: Wednesday March 4, 2026. Photo"
        " credit should read: Jane Roe/PA Wire",
    ],
)
def test_a_lead_before_a_date_is_no_place(caption: str) -> None:
    place = parse_caption(caption).place
    assert place is not None and ":" not in place
