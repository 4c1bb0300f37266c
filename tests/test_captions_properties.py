"""Properties of parse_caption on any input: it never raises, spans are exact, it is
deterministic, a known phrase at the end is always read, and hostile input stays fast."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from captions import ParsedCaption, parse_caption
from rights import Code
from tests.cpu_time import cpu_seconds_since

KNOWN_PHRASES = {
    "EDITORIAL USE ONLY": Code.EDITORIAL_USE_ONLY,
    "NO SALES": Code.NO_SALES,
    "NO RESALES": Code.NO_RESALES,
    "NO ARCHIVES": Code.NO_ARCHIVES,
    "MANDATORY CREDIT": Code.MANDATORY_CREDIT,
    "NO MARKETING": Code.NO_MARKETING,
    "NO ADVERTISING": Code.NO_ADVERTISING,
    "NO COMMERCIAL USE": Code.NO_COMMERCIAL_USE,
    "NO SYNDICATION": Code.NO_SYNDICATION,
    "SOLO USO EDITORIAL": Code.EDITORIAL_USE_ONLY,
    "NUR FÜR REDAKTIONELLE ZWECKE": Code.EDITORIAL_USE_ONLY,
    "NO USE IN GERMANY": Code.TERRITORY,
}

caption_alphabet = st.characters(
    blacklist_categories=("Cs",),
    whitelist_categories=None,
)
captionish = st.lists(
    st.one_of(
        st.text(alphabet=caption_alphabet, max_size=40),
        st.sampled_from(
            [
                "REUTERS/",
                "/Handout via ",
                "(AP Photo/",
                ")",
                " EPA/",
                "epa01234567 ",
                "NO ",
                " OUT",
                "OUT: ",
                "EMBARGOED UNTIL ",
                "12 March 2024",
                "Jan. 9, 2022",
                ". ",
                " in Kyiv, ",
                "Photo by ",
                "Foto: ",
                " - ",
                "HANDOUT ",
                "(Yonhap)",
                " via ",
                "/",
                ",",
                "\n",
                *KNOWN_PHRASES,
            ]
        ),
    ),
    max_size=30,
).map("".join)


def _spans_are_exact(text: str, parsed: ParsedCaption) -> None:
    for restriction in parsed.restrictions:
        assert restriction.start is not None and restriction.end is not None
        assert text[restriction.start : restriction.end] == restriction.text
        for evidence in restriction.all_evidence():
            assert evidence.start is not None and evidence.end is not None
            assert text[evidence.start : evidence.end] == evidence.text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(captionish)
def test_never_raises_and_every_span_indexes_its_exact_text(text: str) -> None:
    _spans_are_exact(text, parse_caption(text))


@settings(max_examples=200)
@given(st.text(max_size=2000))
def test_any_unicode_text_parses(text: str) -> None:
    _spans_are_exact(text, parse_caption(text))


@settings(max_examples=150)
@given(captionish)
def test_parsing_is_deterministic(text: str) -> None:
    assert parse_caption(text) == parse_caption(text)


@settings(max_examples=200)
@given(captionish, st.sampled_from(sorted(KNOWN_PHRASES)))
def test_a_known_phrase_added_at_the_end_adds_its_code(text: str, phrase: str) -> None:
    captioned = f"{text}. {phrase}"
    codes = {r.code for r in parse_caption(captioned).restrictions}
    assert KNOWN_PHRASES[phrase] in codes


def _best_seconds(text: str, runs: int = 3) -> float:
    """CPU seconds, best of a few runs: measures the parser, not other processes sharing the
    machine."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        parse_caption(text)
        best = min(best, cpu_seconds_since(started))
    return best


ADVERSARIAL = [
    "a" * 100_000,
    "/" * 100_000,
    "(" * 50_000 + ")" * 50_000,
    "NO " * 33_000,
    "EDITORIAL USE " * 7_000,
    "REUTERS/" * 12_000,
    " via " * 20_000,
    "Photo by " * 11_000,
    "1 " * 50_000,
    "JAPAN, " * 14_000 + "OUT",
    "OUT: UK, " * 11_000,
    ". A" * 33_000,
    "EMBARGOED UNTIL 12 " * 5_000,
    "in Kyiv, " * 11_000,
    "Ab Cd/" * 16_000 + "Getty Images",
    "EDITORIAL USE ONLY. " * 5_000,
    "handout PROVIDED BY A THIRD PARTY. " * 3_000,
    "(Pool photo) " * 7_000 + "(Yonhap)",
    "CCTV OUT " * 11_000,
    "NO FRANCE " * 10_000,
    "(12345678a) " * 8_000,
    "Ab Cd, " * 14_000 + "via AP",
    "x" + "." * 100_000,
    "HANDOUT " * 12_000,
    "MANDATORY CREDIT: " + "A/" * 49_000,
    "MANDATORY CREDIT: AB/" + "CD " * 33_000,
    "MANDATORY CREDIT: X/Y " * 4_500,
    "PUBLICATIONxNOTxINx" + "CHNx" * 24_000,
    "PUBLICATIONxNOTxINx" * 5_000,
    "dpa ++ " * 14_000,
    "(Photo by A/Sipa USA) *** " * 3_800,
    "London, Wednesday, " * 5_000 + "March 5, 2025.",
    "DISTRIBUTED AS A SERVICE TO CLIENTS (" * 2_700,
    "NO USE IN BOOKS WITHOUT PRIOR WRITTEN CONSENT " * 2_100,
    "A/B © " * 16_000,
]


def test_100_kb_adversarial_inputs_parse_without_catastrophic_backtracking() -> None:
    # A generous bound in CPU seconds, only to catch super-linear regexes.
    for text in ADVERSARIAL:
        elapsed = _best_seconds(text)
        assert elapsed < 0.2, f"{text[:20]!r}... took {elapsed:.3f} s"


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=50))
def test_100_kb_of_repeated_random_text_parses_quickly(chunk: str) -> None:
    text = (chunk * (100_000 // len(chunk) + 1))[:100_000]
    assert _best_seconds(text) < 0.2
