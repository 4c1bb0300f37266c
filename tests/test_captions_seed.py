"""The seed caption: the EPA handout every rightsdesk install starts with, parsed exactly."""

from __future__ import annotations

from datetime import date

from captions import PARSER_VERSION, parse_caption
from rights import Code, Origin

SEED_CAPTION = (
    "epa09674804 A handout still image taken from handout video made available by the Russian"
    " Defence ministry press service shows Russian military equipment and vehicles being load"
    "ed onto a flight for the CSTO peacekeeping operation in Kazakhstan, at the Ivanovo-North"
    " airport in Ivanovo region, Russia, 09 January 2022. In accordance with the decision of "
    "the CSTO Collective Security Council adopted on 06 January 2022, the collective peacekee"
    "ping forces of the Collective Security Treaty Organization (CSTO) have been sent 'for a "
    "limited time to stabilize and normalize the situation to Kazakhstan' at the request of t"
    "he Kazakh president. They include units of the Armed Forces of Russia, Belarus, Armenia,"
    " Tajikistan and Kyrgyzstan. The Russian Ministry of Defence announced on 08 January that"
    " the transfer of the Russian contingent of the CSTO peacekeeping forces to Kazakhstan's "
    "'Almaty' and 'Zhitygen' airfields continued by military transport aircraft from Russia's"
    " airfields in the Moscow, Ivanovo, and Ulyanovsk regions. EPA/RUSSIAN DEFENCE MINISTRY P"
    "RESS SERVICE/HANDOUT HANDOUT EDITORIAL USE ONLY/NO SALES HANDOUT EDITORIAL USE ONLY/NO S"
    "ALES"
)


def test_seed_names_epa_as_agency_with_its_reference_and_credit_line() -> None:
    parsed = parse_caption(SEED_CAPTION)
    assert parsed.agency == "EPA"
    assert parsed.agency_ref == "epa09674804"
    assert parsed.credit_line == "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"


def test_seed_is_a_handout_from_the_russian_defence_ministry() -> None:
    parsed = parse_caption(SEED_CAPTION)
    assert parsed.source == "RUSSIAN DEFENCE MINISTRY PRESS SERVICE"
    assert parsed.handout is True
    assert parsed.pool is False


def test_seed_dateline_is_ivanovo_on_9_january_2022() -> None:
    parsed = parse_caption(SEED_CAPTION)
    assert parsed.date == date(2022, 1, 9)
    assert parsed.place is not None and "Ivanovo" in parsed.place


def test_seed_restrictions_are_editorial_use_only_and_no_sales_each_with_both_spans() -> None:
    parsed = parse_caption(SEED_CAPTION)
    assert {r.code for r in parsed.restrictions} == {Code.EDITORIAL_USE_ONLY, Code.NO_SALES}
    assert len(parsed.restrictions) == 2
    for restriction in parsed.restrictions:
        assert restriction.origin is Origin.CAPTION
        assert SEED_CAPTION[restriction.start : restriction.end] == restriction.text
        assert len(restriction.evidence) == 2
        for evidence in restriction.evidence:
            assert evidence.origin is Origin.CAPTION
            assert evidence.start is not None and evidence.end is not None
            assert SEED_CAPTION[evidence.start : evidence.end] == evidence.text
    texts = {r.code: r.text for r in parsed.restrictions}
    assert texts == {Code.EDITORIAL_USE_ONLY: "EDITORIAL USE ONLY", Code.NO_SALES: "NO SALES"}


def test_seed_leaves_nothing_unrecognised_and_carries_the_parser_version() -> None:
    parsed = parse_caption(SEED_CAPTION)
    assert parsed.unrecognised == ()
    assert parsed.kill is False
    assert parsed.parser_version == PARSER_VERSION


def test_seed_caption_followed_by_an_article_still_gives_its_credit_line() -> None:
    text = SEED_CAPTION + "\nΟι δυνάμεις ολοκλήρωσαν σήμερα την αποχώρησή τους από το Καζακστάν.\n"
    parsed = parse_caption(text)
    assert parsed.credit_line == "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    assert {r.code for r in parsed.restrictions} == {Code.EDITORIAL_USE_ONLY, Code.NO_SALES}
