"""Restrictions in every language of an agency profile, compound phrases, and text the lexicon
cannot read: each gives the codes it states, and the rights check never allows what they bar."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from captions import ParsedCaption, parse_caption
from captions.lexicon import LANGUAGES
from rights import Code, Outcome, Purpose, RightsRecord, Use, evaluate

CAPTIONS = Path(__file__).resolve().parents[1] / "captions"
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)

# The languages each agency writes its captions and restrictions in. A new profile must be
# listed here, and its languages must have a lexicon.
PROFILE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "aap": ("en",),
    "abaca": ("fr", "en"),
    "afp": ("fr", "en"),
    "agencia_brasil": ("pt",),
    "akg": ("de", "en"),
    "alamy": ("en",),
    "album": ("es", "en"),
    "ana_mpa": ("el", "en"),
    "anadolu": ("tr", "ar", "en"),
    "ani": ("en",),
    "anp": ("nl", "en"),
    "ansa": ("it", "en"),
    "ap": ("en",),
    "apa": ("de",),
    "avalon": ("en",),
    "backgrid": ("en",),
    "belga": ("nl", "fr", "en"),
    "bloomberg": ("en",),
    "bridgeman": ("en",),
    "canadian_press": ("en", "fr"),
    "collection_christophel": ("fr", "en"),
    "cover_images": ("en",),
    "ctk": ("cs", "en"),
    "dpa": ("de", "en"),
    "efe": ("es", "en"),
    "epa": ("en",),
    "epa_efe": ("en", "es"),
    "europa_press": ("es",),
    "everett": ("en",),
    "getty": ("en",),
    "granger": ("en",),
    "hans_lucas": ("fr",),
    "icon_sportswire": ("en",),
    "imagn": ("en",),
    "imago": ("de", "en"),
    "inpho": ("en",),
    "jiji": ("ja", "en"),
    "keystone": ("de", "fr", "it"),
    "kyodo": ("ja", "en"),
    "lehtikuva": ("fi", "sv", "en"),
    "lusa": ("pt",),
    "mary_evans": ("en",),
    "mega": ("en",),
    "mti": ("hu", "en"),
    "news1": ("ko", "en"),
    "newsis": ("ko", "en"),
    "ntb": ("no", "en"),
    "nurphoto": ("en", "it"),
    "pa": ("en",),
    "pap": ("pl", "en"),
    "photo12": ("fr", "en"),
    "polaris": ("en",),
    "pti": ("en",),
    "redux": ("en",),
    "reuters": ("en",),
    "ritzau": ("da", "en"),
    "shutterstock": ("en",),
    "sipa": ("fr", "en"),
    "sipa_usa": ("en",),
    "sopa": ("en",),
    "splash": ("en",),
    "sportsfile": ("en",),
    "sputnik": ("ru", "en"),
    "tass": ("ru", "en"),
    "tt": ("sv", "en"),
    "usa_today_sports": ("en",),
    "xinhua": ("zh", "en"),
    "yonhap": ("ko", "en"),
    "zuma": ("en",),
}

# What each code must never allow.
BARRED: dict[Code, tuple[Purpose, ...]] = {
    Code.EDITORIAL_USE_ONLY: (Purpose.COMMERCIAL, Purpose.ADVERTISING, Purpose.SALE),
    Code.NO_SALES: (Purpose.SALE,),
    Code.NO_RESALES: (Purpose.SYNDICATION,),
    Code.NO_ARCHIVES: (Purpose.ARCHIVE,),
    Code.NO_MARKETING: (Purpose.MARKETING,),
    Code.NO_ADVERTISING: (Purpose.ADVERTISING,),
    Code.NO_COMMERCIAL_USE: (Purpose.COMMERCIAL,),
    Code.NO_SYNDICATION: (Purpose.SYNDICATION,),
}

E, S, R, A = "EDITORIAL_USE_ONLY", "NO_SALES", "NO_RESALES", "NO_ARCHIVES"
M, AD, C, SY = "NO_MARKETING", "NO_ADVERTISING", "NO_COMMERCIAL_USE", "NO_SYNDICATION"
MC, T = "MANDATORY_CREDIT", "TERRITORY"

# (language, caption as the agency writes it, the codes it states)
AGENCY_CAPTIONS: list[tuple[str, str, set[str]]] = [
    (
        "nl",
        "Koning Willem-Alexander opent het parlementaire jaar in Den Haag, 17 september 2024."
        " ANP REMKO DE WAAL ALLEEN VOOR REDACTIONEEL GEBRUIK / NIET VOOR COMMERCIEEL GEBRUIK",
        {E, C},
    ),
    (
        "nl",
        "Supporters vieren feest in Amsterdam, 5 mei 2024. ANP / Hollandse Hoogte / Jan Jansen"
        " Uitsluitend voor redactionele doeleinden. Naamsvermelding verplicht. Geen reclame of"
        " marketing",
        {E, MC, AD, M},
    ),
    (
        "nl",
        "Brand in Rotterdam, 2 februari 2024. ANP JEROEN JUMELET GEEN DOORVERKOOP, NIET VOOR"
        " GEBRUIK IN BELGIË",
        {R, T},
    ),
    (
        "pl",
        "Mecz Polska - Holandia w Hamburgu, 16 czerwca 2024. PAP/Leszek Szymański"
        " WYŁĄCZNIE DO CELÓW REDAKCYJNYCH, ZAKAZ SPRZEDAŻY",
        {E, S},
    ),
    (
        "pl",
        "Posiedzenie Sejmu w Warszawie, 12 marca 2024. PAP/Radek Pietruszka NIE DO CELÓW"
        " REKLAMOWYCH ANI MARKETINGOWYCH, OBOWIĄZKOWY PODPIS",
        {AD, M, MC},
    ),
    (
        "pl",
        "Powódź w Kłodzku, 15 września 2024. PAP/Maciej Kulczyński ZAKAZ ARCHIWIZACJI,"
        " NIE DO UŻYTKU W NIEMCZECH",
        {A, T},
    ),
    (
        "ru",
        "Президент России на пленарном заседании ПМЭФ в Санкт-Петербурге, 7 июня 2024 года."
        " Фото: Михаил Метцель/ТАСС ТОЛЬКО ДЛЯ РЕДАКЦИОННОГО ИСПОЛЬЗОВАНИЯ. НЕ ДЛЯ ПРОДАЖИ",
        {E, S},
    ),
    (
        "ru",
        "Москва, 9 мая 2024 года. Фото: Сергей Бобылев/ТАСС Коммерческое использование"
        " запрещено. Ссылка на источник обязательна",
        {C, MC},
    ),
    (
        "ru",
        "Москва, 1 марта 2024 года. Фото: РИА Новости/Спутник Без права перепродажи и"
        " архивирования",
        {R, A},
    ),
    (
        "ja",
        "Tokyo, Japan, April 1, 2024. (Kyodo) 報道目的に限る。商用利用禁止。クレジット必須",
        {E, C, MC},
    ),
    (
        "ja",
        "Osaka, Japan, April 13, 2024. (Jiji Press) 広告使用禁止、転売禁止、アーカイブ不可",
        {AD, R, A},
    ),
    (
        "zh",
        "Beijing, China, March 5, 2024. (Xinhua/Li Xueren)"
        " 仅供新闻报道使用 禁止商业使用 须注明来源",
        {E, C, MC},
    ),
    (
        "zh",
        "Shanghai, China, May 1, 2024. (Xinhua/Wang Xiang) 僅供編輯使用，禁止銷售，不得存檔",
        {E, S, A},
    ),
    (
        "ko",
        "Seoul, South Korea, April 10, 2024. (Yonhap)"
        " <저작권자(c) 연합뉴스, 무단 전재-재배포 금지>",
        {SY},
    ),
    (
        "ko",
        "Seoul, South Korea, April 10, 2024. (Newsis) 광고 사용 금지. 재판매금지",
        {AD, R},
    ),
    (
        "ko",
        "Busan, South Korea, 2024. (News1) 보도 목적으로만 사용, 판매 금지, 출처 표기 필수",
        {E, S, MC},
    ),
    (
        "tr",
        "Cumhurbaşkanı Erdoğan İstanbul'da bir törene katıldı, 1 Mayıs 2024. Fotoğraf: Mustafa"
        " Kamacı/AA YALNIZCA HABER AMAÇLI KULLANIM İÇİNDİR. SATILAMAZ",
        {E, S},
    ),
    (
        "tr",
        "Ankara, 12 Mart 2024. Fotoğraf: Mustafa Kamacı/AA Reklam amaçlı kullanılamaz. Kaynak"
        " gösterilmesi zorunludur.",
        {AD, MC},
    ),
    (
        "tr",
        "İzmir, 3 Haziran 2024. (Jane Doe - Anadolu Agency) TİCARİ, REKLAM VE PAZARLAMA AMAÇLI"
        " KULLANILAMAZ",
        {C, AD, M},
    ),
    (
        "ar",
        "Gaza, 12 March 2024. (Photo by Ali Jadallah/Anadolu Agency) للاستخدام الصحفي فقط -"
        " ممنوع الاستخدام التجاري",
        {E, C},
    ),
    (
        "ar",
        "Cairo, Egypt, 3 April 2024. (Photo by Jane Doe/Anadolu Agency) غير مخصصة للبيع، يجب ذكر"
        " المصدر",
        {S, MC},
    ),
    (
        "ar",
        "Riyadh, 1 May 2024. (Photo by Jane Doe/Anadolu Agency) ممنوع الاستخدام في مصر",
        {T},
    ),
    (
        "sv",
        "Statsministern talar i riksdagen i Stockholm, 10 april 2024. Foto: Jonas Ekströmer/TT"
        " Endast för redaktionellt bruk. Får ej säljas",
        {E, S},
    ),
    (
        "sv",
        "Nobelfesten i Stockholm, 10 december 2024. Foto: Henrik Montgomery/TT EJ FÖR REKLAM"
        " ELLER MARKNADSFÖRING. OBLIGATORISK BYLINE",
        {AD, M, MC},
    ),
    (
        "no",
        "Statsministeren i Oslo, 3. april 2024. Foto: Lise Åserud/NTB KUN TIL REDAKSJONELL BRUK,"
        " IKKE FOR SALG ELLER ARKIV",
        {E, S, A},
    ),
    (
        "no",
        "Holmenkollen, 9. mars 2024. Foto: Terje Pedersen/NTB Ikke til kommersiell bruk."
        " Byline påkrevd.",
        {C, MC},
    ),
    (
        "da",
        "Folketinget i København, 2. oktober 2024. Foto: Mads Claus Rasmussen/Ritzau Scanpix"
        " Kun til redaktionel brug. Må ikke bruges i reklamer",
        {E, AD},
    ),
    (
        "da",
        "Roskilde Festival, 29. juni 2024. Foto: Helle Arensbak/Ritzau Scanpix IKKE TIL SALG,"
        " MÅ IKKE ARKIVERES",
        {S, A},
    ),
    (
        "fi",
        "Presidentti Stubb Helsingissä 1. maaliskuuta 2024. LEHTIKUVA / MARKKU ULANDER"
        " VAIN TOIMITUKSELLISEEN KÄYTTÖÖN. EI MYYNTIIN EIKÄ ARKISTOON",
        {E, S, A},
    ),
    (
        "fi",
        "Helsinki 6. joulukuuta 2024. LEHTIKUVA / Emmi Korhonen Ei kaupalliseen käyttöön."
        " Kuvaajan nimi mainittava.",
        {C, MC},
    ),
    (
        "cs",
        "Povodně v Opavě, 15. září 2024. ČTK/Jaroslav Ožana POUZE PRO ZPRAVODAJSKÉ ÚČELY,"
        " ZÁKAZ KOMERČNÍHO POUŽITÍ",
        {E, C},
    ),
    (
        "cs",
        "Praha, 8. března 2024. ČTK/Michal Kamaryt Zákaz použití v reklamě. Povinné uvedení"
        " zdroje.",
        {AD, MC},
    ),
    (
        "hu",
        "Nemzeti ünnep Budapesten, 2024. március 15. MTI/Koszticsák Szilárd CSAK SZERKESZTŐSÉGI"
        " FELHASZNÁLÁSRA. NEM ELADÓ",
        {E, S},
    ),
    (
        "hu",
        "Budapest, 2024. október 23. MTI/Illyés Tibor Reklámcélra nem használható."
        " Forrásmegjelölés kötelező.",
        {AD, MC},
    ),
]


def record_of(parsed: ParsedCaption) -> RightsRecord:
    """The rights record the catalogue keeps for a caption with no embedded metadata."""
    return RightsRecord(
        agency=parsed.agency,
        credit_line=parsed.credit_line,
        source=parsed.source,
        restrictions=parsed.restrictions,
        embargo_until=parsed.embargo_until,
        kill_notice=parsed.kill,
        unrecognised=parsed.unrecognised,
        territories=parsed.territories,
        ingested_at=NOW,
    )


def assert_barred(parsed: ParsedCaption, codes: set[str]) -> None:
    """Every use a stated code bars is denied; a territory ban denies use in its countries."""
    record = record_of(parsed)
    for code in codes:
        for purpose in BARRED.get(Code(code), ()):
            decision = evaluate(record, Use(purpose), now=NOW)
            assert decision.decision is Outcome.DENY, (code, purpose, decision)
    for country in parsed.territories:
        decision = evaluate(record, Use(Purpose.EDITORIAL, territory=country), now=NOW)
        assert decision.decision is Outcome.DENY, (country, decision)


def test_every_profile_language_has_a_lexicon() -> None:
    profiles = {path.stem for path in (CAPTIONS / "profiles").glob("*.toml")}
    assert profiles == set(PROFILE_LANGUAGES)
    spoken = {language for languages in PROFILE_LANGUAGES.values() for language in languages}
    assert spoken <= set(LANGUAGES)


def test_every_lexicon_language_has_agency_captions() -> None:
    new = set(LANGUAGES) - {"en", "de", "fr", "es", "it", "pt", "el"}
    assert new <= {language for language, _, _ in AGENCY_CAPTIONS}


@pytest.mark.parametrize(
    ("caption", "expected"),
    [(caption, expected) for _, caption, expected in AGENCY_CAPTIONS],
    ids=[f"{language}-{i}" for i, (language, _, _) in enumerate(AGENCY_CAPTIONS)],
)
def test_agency_restrictions_give_their_codes_and_bar_their_uses(
    caption: str, expected: set[str]
) -> None:
    parsed = parse_caption(caption)
    assert {str(r.code) for r in parsed.restrictions} == expected
    assert parsed.unrecognised == ()
    assert_barred(parsed, expected)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("This image may not be sold or used for advertising.", {S, AD}),
        ("NOT FOR SALE OR SYNDICATION", {S, SY}),
        ("NO SALES, NO ARCHIVES", {S, A}),
        ("For editorial use only and not for commercial use.", {E, C}),
        ("NO SALES, ARCHIVES OR MARKETING PURPOSES", {S, A, M}),
        ("Must not be sold, syndicated or archived.", {S, SY, A}),
        ("NOT FOR COMMERCIAL USE OR SALE", {C, S}),
        ("NO ADVERTISING/MARKETING/SALES", {AD, M, S}),
        ("KEIN VERKAUF ODER WEITERGABE AN DRITTE", {S, SY}),
        ("PAS DE VENTE NI D'ARCHIVAGE", {S, A}),
        ("PROHIBIDA SU VENTA Y ARCHIVO", {S, A}),
        ("VIETATA LA VENDITA E L'ARCHIVIAZIONE", {S, A}),
        ("PROIBIDA A VENDA E O ARQUIVAMENTO", {S, A}),
        ("ΟΧΙ ΓΙΑ ΠΩΛΗΣΗ Ή ΑΡΧΕΙΟΘΕΤΗΣΗ", {S, A}),
        ("GEEN VERKOOP OF ARCHIVERING", {S, A}),
        ("NIE DO SPRZEDAŻY ANI ARCHIWIZACJI", {S, A}),
        ("НЕ ДЛЯ ПРОДАЖИ И РЕКЛАМЫ", {S, AD}),
        ("EJ FÖR FÖRSÄLJNING ELLER ARKIV", {S, A}),
        ("IKKE FOR SALG ELLER ARKIV", {S, A}),
        ("IKKE TIL SALG ELLER REKLAME", {S, AD}),
        ("EI MYYNTIIN EIKÄ MAINONTAAN", {S, AD}),
        ("ZÁKAZ PRODEJE A ARCHIVACE", {S, A}),
        ("ممنوع البيع أو الأرشفة", {S, A}),
    ],
)
def test_a_compound_phrase_gives_every_code_it_states(phrase: str, expected: set[str]) -> None:
    parsed = parse_caption(f"Fans in Rome, Italy, 2 June 2024. ANSA/FABIO FRUSTACI {phrase}")
    assert {str(r.code) for r in parsed.restrictions} == expected
    assert parsed.unrecognised == ()
    assert_barred(parsed, expected)


def test_a_joined_word_that_is_no_object_is_not_read_as_one() -> None:
    parsed = parse_caption("Fans in Rome, 2 June 2024. REUTERS/Jane Doe NOT FOR SALE. And the fans")
    assert {str(r.code) for r in parsed.restrictions} == {S}


def _compounds() -> list[tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]]:
    """Per language with a [compound] section: its (lead, first object) pairs, its joins, and
    every (object or verb, code) that may follow."""
    found = []
    for language in LANGUAGES:
        data = tomllib.loads((CAPTIONS / f"lexicon_{language}.toml").read_text("utf-8"))
        compound = data.get("compound", {})
        heads: list[tuple[str, str]] = []
        joined: list[tuple[str, str]] = []
        for leads, things in (("leads", "objects"), ("verb_leads", "verbs")):
            pairs = [
                (thing, code)
                for codes, items in compound.get(things, {}).items()
                for code in codes.split("+")
                for thing in items
            ]
            joined.extend(pairs)
            heads.extend(
                (f"{lead} {thing}", code)
                for lead in compound.get(leads, [])
                for thing, code in pairs
            )
        if heads and compound.get("joins"):
            found.append((heads, compound["joins"], joined))
    return found


COMPOUNDS = _compounds()


@st.composite
def coordinated_phrases(draw: st.DrawFn) -> tuple[str, set[str]]:
    heads, joins, joined = draw(st.sampled_from(COMPOUNDS))
    head, head_code = draw(st.sampled_from(heads))
    more = draw(st.lists(st.sampled_from(joined), min_size=1, max_size=3))
    # Join words only: punctuation alone between two words may also be read as inside one phrase
    # ("REKLAMNÍHO, POUŽITÍ"); lists with commas and slashes are tested above.
    text = head
    for thing, _ in more:
        text += f" {draw(st.sampled_from(joins))} {thing}"
    text = draw(st.sampled_from([text, text.lower(), text.capitalize()]))
    return text, {head_code} | {code for _, code in more}


@settings(max_examples=300, deadline=None)
@given(coordinated_phrases())
def test_every_object_joined_to_a_negation_gives_its_code(phrase: tuple[str, set[str]]) -> None:
    text, expected = phrase
    parsed = parse_caption(f"Fans in Rome, Italy, 2 June 2024. ANSA/FABIO FRUSTACI {text}")
    assert expected <= {str(r.code) for r in parsed.restrictions}, text
    assert_barred(parsed, expected)


@pytest.mark.parametrize(
    "note",
    [
        "Фото предоставлено пресс-службой Кремля.",
        "Фото надане пресслужбою, лише для редакційного використання.",
        "Hanya untuk penggunaan editorial.",
        "Không được sử dụng cho mục đích thương mại.",
        "Doar pentru uz editorial.",
        "Samo za uredničku upotrebu.",
        "לשימוש מערכתי בלבד.",
        "Μόνο με άδεια του φωτογράφου.",
        "ห้ามใช้เพื่อการค้า",
    ],
)
def test_a_note_after_the_credit_in_a_language_the_lexicon_lacks_is_reviewed(note: str) -> None:
    parsed = parse_caption(f"Fans in Kyiv, Ukraine, 2 June 2024. (Photo by Jane Doe/AFP) {note}")
    assert parsed.credit_line == "Jane Doe/AFP"
    assert parsed.unrecognised
    record = record_of(parsed)
    for purpose in Purpose:
        assert evaluate(record, Use(purpose), now=NOW).decision is not Outcome.ALLOW, purpose


@pytest.mark.parametrize(
    "note",
    [
        "The fans cheered the team.",
        "Photo taken with a drone.",
        "Jane Doe contributed reporting.",
    ],
)
def test_an_english_sentence_after_the_credit_with_no_instruction_is_not_reviewed(
    note: str,
) -> None:
    parsed = parse_caption(f"Fans in Kyiv, Ukraine, 2 June 2024. (Photo by Jane Doe/AFP) {note}")
    assert parsed.unrecognised == ()


# Captions labelled with no OTHER restriction that are reviewed all the same: dpa's "im
# Zusammenhang mit der aktuellen Berichterstattung" is kept for review on purpose.
KNOWN_REVIEWS = {("captions_holdout2.jsonl", 50), ("captions_holdout6.jsonl", 35)}


def test_labelled_captions_gain_no_false_review(shared: Path) -> None:
    files = [
        shared / "captions" / "dev.jsonl",
        *sorted(Path(__file__).parent.glob("data/captions_holdout*.jsonl")),
    ]
    reviewed = set()
    for path in files:
        for line_number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            row = json.loads(line)
            labelled = row["expected"]["restrictions"]
            if any(str(code).startswith("OTHER") for code in labelled):
                continue
            if parse_caption(row["caption"]).unrecognised:
                reviewed.add((path.name, line_number))
    assert reviewed <= KNOWN_REVIEWS


def _lexicon_entries(section: str) -> list[tuple[str, str, str]]:
    """(language, codes or "", phrase) for every phrase of a section of every lexicon."""
    found = []
    for language in LANGUAGES:
        data = tomllib.loads((CAPTIONS / f"lexicon_{language}.toml").read_text("utf-8"))
        if section == "restrictions":
            for codes, phrases in data.get("restrictions", {}).items():
                found.extend((language, codes, phrase) for phrase in phrases)
        elif section == "embargo":
            found.extend((language, "", lead) for lead in data.get("embargo", {}).get("leads", []))
        else:
            found.extend(
                (language, "", phrase) for phrase in data.get(section, {}).get("phrases", [])
            )
    return found


@pytest.mark.parametrize(("language", "codes", "phrase"), _lexicon_entries("restrictions"))
def test_every_restriction_phrase_after_a_credit_gives_its_codes(
    language: str, codes: str, phrase: str
) -> None:
    parsed = parse_caption(f"Fans in Rome, Italy, 2 June 2024. ANSA/FABIO FRUSTACI {phrase}")
    found = {str(r.code) for r in parsed.restrictions}
    assert set(codes.split("+")) <= found, (language, phrase, found)
    assert_barred(parsed, set(codes.split("+")))


@pytest.mark.parametrize(("language", "codes", "phrase"), _lexicon_entries("kill"))
def test_every_kill_notice_kills(language: str, codes: str, phrase: str) -> None:
    parsed = parse_caption(f"Fans in Rome, Italy, 2 June 2024. ANSA/FABIO FRUSTACI {phrase}")
    assert parsed.kill, (language, phrase)
    assert evaluate(record_of(parsed), Use(Purpose.EDITORIAL), now=NOW).decision is Outcome.DENY


@pytest.mark.parametrize(("language", "codes", "phrase"), _lexicon_entries("embargo"))
def test_every_embargo_lead_holds_the_picture(language: str, codes: str, phrase: str) -> None:
    parsed = parse_caption(f"Fans in Rome, Italy, 2 June 2024. ANSA/FABIO FRUSTACI {phrase}")
    assert Code.EMBARGO in {r.code for r in parsed.restrictions}, (language, phrase)
    decision = evaluate(record_of(parsed), Use(Purpose.EDITORIAL), now=NOW)
    assert decision.decision is not Outcome.ALLOW, (language, phrase)
