"""Disguised restriction phrases after a credit are never read as credit text, never `allow`.

Every restriction phrase of every lexicon language, under every class of disguise (padding,
invisible characters, soft hyphens, fullwidth, look-alike letters, letter-spacing, dotted
capitals, odd spaces, combining marks, case) and random combinations of them, follows the
credit of every agency profile in turn; a use the phrase forbids must never be allowed, and the
credit line must stay the credit. `python benches/evasion_count.py` prints how many forms run.
"""

from __future__ import annotations

import random
import unicodedata

import pytest
from evasion import FORMS, credits, disguise, enumerated, forbidden_purposes, violations
from evasion import restriction_phrases as phrases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from captions import parse_caption
from captions.normalise import fold_for_match, normalise
from rights import Code

_PHRASES = [(p, c) for _, p, c in phrases() if forbidden_purposes(c)]
_CREDITS = credits()
_KYIV = "A man walks in Kyiv, Ukraine, 01 March 2024. EPA/JOHN DOE"
# The fewest forms the enumeration must try: every phrase under every class, and a combination.
_AT_LEAST = 380 * (len(FORMS) + 1)


def test_every_profile_and_every_phrase_take_part() -> None:
    assert len(_CREDITS) >= 50
    assert len(_PHRASES) >= 380
    assert {language for language, _, _ in phrases()} >= {"en", "de", "fr", "es", "it", "pt", "el"}


def test_every_disguised_form_of_every_phrase_is_caught() -> None:
    tried = 0
    failures = []
    for credit_caption, phrase, form, purposes in enumerated():
        tried += 1
        problems = violations(credit_caption, form, purposes)
        if problems:
            failures.append((credit_caption[-30:], phrase, form, problems))
    print(f"\nevasion: {tried} disguised forms tried, {len(failures)} got through")
    assert tried >= _AT_LEAST
    assert not failures[:5]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_PHRASES),
    st.sampled_from(_CREDITS),
    st.randoms(use_true_random=False),
)
def test_combined_disguises_never_allow_what_the_phrase_forbids(
    phrase: tuple[str, tuple[Code, ...]], credit: tuple[str, str], rng: random.Random
) -> None:
    text, codes = phrase
    form = disguise(text, rng)
    assert violations(credit[1], form, forbidden_purposes(codes)) == []


def _read(form: str) -> tuple[set[str], str | None, str]:
    caption = f"{_KYIV} {form}"
    parsed = parse_caption(caption)
    for restriction in parsed.restrictions:
        for evidence in restriction.all_evidence():
            assert caption[evidence.start : evidence.end] == evidence.text
    return {r.code.value for r in parsed.restrictions}, parsed.credit_line, caption


def test_padded_spacing_is_a_separator() -> None:
    codes, credit, _ = _read("EDITORIAL   USE    ONLY /  NO    SALES")
    assert codes == {"EDITORIAL_USE_ONLY", "NO_SALES"}
    assert credit == "EPA/JOHN DOE"


def test_invisible_characters_inside_words_are_read_past() -> None:
    for form in (
        "\u200b".join("NO SALES"),
        "NO SA\u00adLES",
        "NO\u2060 SA\u200dLES",
        "N\ufeffO SALES",
    ):
        codes, credit, _ = _read(form)
        assert codes == {"NO_SALES"}, form
        assert credit == "EPA/JOHN DOE"


def test_restriction_spans_point_into_the_caption_as_written() -> None:
    form = "NO SA\u00adLES"
    caption = f"{_KYIV} {form}"
    (restriction,) = parse_caption(caption).restrictions
    assert restriction.text == form
    assert caption[restriction.start : restriction.end] == form


def test_fullwidth_letters_read_as_ascii() -> None:
    codes, credit, _ = _read("ＥＤＩＴＯＲＩＡＬ ＵＳＥ ＯＮＬＹ")
    assert codes == {"EDITORIAL_USE_ONLY"}
    assert credit == "EPA/JOHN DOE"
    parsed = parse_caption("A man walks in Kyiv, Ukraine, 01 March 2024. ＥＰＡ/ＪＯＨＮ ＤＯＥ")
    assert parsed.agency == "EPA"


def test_cyrillic_and_greek_look_alikes_map_to_latin() -> None:
    for form in ("NO SАLЕS", "ΝΟ ЅΑLΕЅ", "ЕDІТОRІАL USE ОNLY"):
        codes, credit, _ = _read(form)
        assert codes >= {"NO_SALES"} or codes >= {"EDITORIAL_USE_ONLY"}, form
        assert credit == "EPA/JOHN DOE"


def test_letter_spaced_and_dotted_capitals_collapse() -> None:
    for form in ("N O  S A L E S", "N O S A L E S", "N.O. S.A.L.E.S", "N-O / S-A-L-E-S"):
        codes, credit, _ = _read(form)
        assert codes == {"NO_SALES"}, form
        assert credit == "EPA/JOHN DOE"


def test_combining_marks_and_odd_spaces_are_decoration() -> None:
    for form in ("N̲O̲ S̲A̲L̲E̲S̲", "NO\u00a0SALES", "NO\u3000SALES", "NO\u202fSALES"):
        codes, _, _ = _read(form)
        assert codes == {"NO_SALES"}, form


@pytest.mark.parametrize(
    ("decorated", "plain"),
    [
        ("販\u0332売\u0332不\u0332可\u0332", "販売不可"),  # Japanese under a low line
        ("م\u0332م\u0332ن\u0332و\u0332ع\u0332", "ممنوع"),  # Arabic
        ("재\u0333배\u0333포\u0333", "재배포"),  # Hangul under a double low line
        ("禁\u20e3止\u20e3", "禁止"),  # enclosing keycap marks
        ("ar\u200c\u0307şiv", "arşiv"),  # a mark cut off from its letter by a joiner
    ],
)
def test_marks_of_no_script_decorate_letters_of_every_script(decorated: str, plain: str) -> None:
    assert normalise(decorated).text == plain


def test_marks_that_spell_a_script_stay() -> None:
    # Arabic harakat and the Japanese voicing mark are spelling, not decoration.
    for text in ("مَمْنُوع", "か\u3099"):
        assert unicodedata.normalize("NFKC", text) == normalise(text).text


def test_unknown_disguised_instruction_is_unrecognised_not_credit() -> None:
    for form in ("ＤＯ ＮＯＴ ＲＥＳＥＬＬ", "СЕКРЕТ ОNLY", "R E S E L L I N G  B A R R E D"):
        parsed = parse_caption(f"{_KYIV} {form}")
        assert parsed.credit_line == "EPA/JOHN DOE", form
        assert parsed.unrecognised, form


def test_genuine_greek_and_russian_text_stays_itself() -> None:
    greek = (
        "Ο πρωθυπουργός στην Αθήνα, 3 Μαΐου 2024. EPA/ΓΙΑΝΝΗΣ ΚΟΛΕΣΙΔΗΣ ΜΟΝΟ ΓΙΑ ΣΥΝΤΑΚΤΙΚΗ ΧΡΗΣΗ"
    )
    assert normalise(greek).text == greek
    assert "EDITORIAL_USE_ONLY" in {r.code.value for r in parse_caption(greek).restrictions}
    russian = "МОСКВА, 3 мая. Президент на встрече. ТАСС"
    assert normalise(russian).text == russian


def test_fold_for_match_gives_one_key_to_every_spelling() -> None:
    spellings = ("EPA", "epa", " ＥＰＡ ", "E\u200bPA", "ЕРА", "E.P.A.")
    assert {fold_for_match(s) for s in spellings[:5]} == {"epa"}
    assert fold_for_match("Reuters ") == fold_for_match("REUTERS")


def test_offsets_map_back_for_every_character() -> None:
    text = "N\u200bO  S\u00adA L E S ＮＯ"
    norm = normalise(text)
    for index in range(len(norm.text)):
        start, end = norm.span(index, index + 1)
        assert 0 <= start < end <= len(text)
