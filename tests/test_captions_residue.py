"""Instruction-like text after a credit is never part of the credit line, never `allow`.

Where a credit's name ends and an instruction begins (a restriction cue of any lexicon
language, an imperative or negation, a change of script, a mixed-case sentence after an
upper-case or capitalised name), the credit line stops; the rest is a restriction or kept as
`unrecognised` (review). Each class is written in several variants, after the credits of
different agencies, and a property generates residues after every profile's credit.
"""

from __future__ import annotations

import re

import pytest
from evasion import credits
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.metadata import EmbeddedMetadata
from assets.rights_reading import read_rights
from captions import parse_caption
from rights import Outcome, Purpose, Use, evaluate


def _closed(caption: str) -> str:
    """A profile's credit caption with the bracket it opened closed ("(AP Photo/Jane Roe)")."""
    return caption + ")" if caption.count("(") > caption.count(")") else caption


_CREDITS = [_closed(caption) for _, caption in credits()]
# Credits whose photographer is joined to the agency by a dash ("Jane Roe-USA TODAY Sports"):
# text after them is not yet told from the chain (see the expected failure below).
_JOINED = re.compile(r"[a-z]-[A-Z]")
_SLASH_CREDITS = [caption for caption in _CREDITS if not _JOINED.search(caption[-30:])]

_OBJECTS = ("RESALE", "REPRODUCTION", "ARCHIVING", "REDISTRIBUTION", "ONWARD SALE", "CROPPING")
_CUES = (
    "PROHIBITED",
    "STRICTLY PROHIBITED",
    "FORBIDDEN",
    "NOT PERMITTED",
    "VERBOTEN",
    "INTERDIT",
    "VIETATO",
    "PROIBIDO",
    "ZAKAZANE",
)
_IMPERATIVES = ("DO NOT", "PLEASE DO NOT", "MUST NOT", "STRICTLY DO NOT")
_VERBS = ("OBSCURE", "ALTER", "CROP", "MANIPULATE", "REMOVE", "COVER")
_THINGS = ("LOGO", "WATERMARK", "FACES", "THE IMAGE", "CREDIT")
_FOREIGN = (
    "Фото надане пресслужбою, тільки для редакційного використання",
    "Фото предоставлено пресс-службой, только для редакционного использования",
    "Φωτογραφία από το γραφείο τύπου, μόνο για συντακτική χρήση",
    "الصورة من المكتب الإعلامي، للاستخدام التحريري فقط",
    "图片由新闻办公室提供，仅供编辑使用",
    "תמונה באדיבות הדובר, לשימוש מערכתי בלבד",
)
_SENTENCES = (
    "Image supplied by the press service, only for editorial use",
    "Reuse of this picture requires permission from the owner",
    "Picture may not be sold or licensed to third parties",
    "This photo must not be archived or resold",
    "Resale of this image is strictly prohibited",
)


def _residues() -> st.SearchStrategy[str]:
    upper = st.builds(lambda o, c: f"{o} {c}", st.sampled_from(_OBJECTS), st.sampled_from(_CUES))
    imperative = st.builds(
        lambda i, v, t: f"{i} {v} {t}",
        st.sampled_from(_IMPERATIVES),
        st.sampled_from(_VERBS),
        st.sampled_from(_THINGS),
    )
    return st.one_of(
        upper,
        upper.map(str.lower),
        imperative,
        st.sampled_from(_FOREIGN),
        st.sampled_from(_SENTENCES),
        # In upper case, a note without a cue ("IMAGE SUPPLIED BY ...") reads as a name still.
        st.sampled_from(_SENTENCES[1:]).map(str.upper),
    )


def _decision(caption: str, purpose: Purpose) -> Outcome:
    record = read_rights(caption, EmbeddedMetadata())
    return evaluate(record, Use(purpose=purpose)).decision


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SLASH_CREDITS), _residues(), st.sampled_from((" ", "  ")))
def test_instruction_residue_after_any_credit_is_never_credit_nor_allow(
    credit_caption: str, residue: str, gap: str
) -> None:
    caption = f"{credit_caption}{gap}{residue}"
    parsed = parse_caption(caption)
    if parsed.credit_line is not None:
        assert parsed.credit_line in credit_caption, (parsed.credit_line, residue)
    assert _decision(caption, Purpose.SALE) is not Outcome.ALLOW


@pytest.mark.parametrize(
    ("caption", "credit", "residue"),
    [
        # Plain ASCII wording the lexicon does not know, glued to an upper-case credit.
        ("Protest in Berlin, 3 March 2024. EPA/JOHN DOE RESALE PROHIBITED", "EPA/JOHN DOE", None),
        (
            "Roma, 15 gennaio 2024. ANSA/ANGELO CARCONI ARCHIVING FORBIDDEN",
            "ANSA/ANGELO CARCONI",
            None,
        ),
        (
            "Lisboa, 19 de maio de 2024. LUSA/JOSÉ COELHO REPRODUCTION NOT PERMITTED",
            "LUSA/JOSÉ COELHO",
            None,
        ),
        (
            "Lagos, Portugal, 12 March 2023. EPA/MIGUEL RIOPA ONWARD SALE VERBOTEN",
            "EPA/MIGUEL RIOPA",
            None,
        ),
        (
            "Seoul, 4 March 2024. News1/Kim Min-ji REDISTRIBUTION STRICTLY PROHIBITED",
            "News1/Kim Min-ji",
            None,
        ),
        # Imperatives and negations.
        (
            "Berlin, 3 March 2024. EPA/CLEMENS BILAN DO NOT OBSCURE LOGO",
            "EPA/CLEMENS BILAN",
            "DO NOT OBSCURE LOGO",
        ),
        (
            "Madrid, 2 June 2024. EFE/Rodrigo Jiménez DO NOT REMOVE WATERMARK",
            "EFE/Rodrigo Jiménez",
            None,
        ),
        (
            "Kyiv, 3 March 2024. REUTERS/Gleb Garanich MUST NOT ALTER THE IMAGE",
            "REUTERS/Gleb Garanich",
            None,
        ),
        # Another script, no full stop after the credit.
        (
            "Kyiv, 3 March 2024. REUTERS/Gleb Garanich Фото надане пресслужбою, тільки для"
            " редакційного використання",
            "REUTERS/Gleb Garanich",
            "Фото надане пресслужбою, тільки для редакційного використання",
        ),
        (
            "Athens, 3 March 2024. EPA/MIGUEL RIOPA Φωτογραφία από το γραφείο τύπου, μόνο για"
            " συντακτική χρήση",
            "EPA/MIGUEL RIOPA",
            None,
        ),
        (
            "Moscow, 9 May 2024. Photo: Ivan Petrov/TASS Фото предоставлено пресс-службой",
            "Ivan Petrov/TASS",
            "Фото предоставлено пресс-службой",
        ),
        # A mixed-case sentence after a name.
        (
            "Kyiv, 3 March 2024. REUTERS/Gleb Garanich Reuse of this picture requires permission",
            "REUTERS/Gleb Garanich",
            "Reuse of this picture requires permission",
        ),
        (
            "Helsinki, 3 March 2024. Lehtikuva/Jane Roe via REUTERS Picture may not be sold",
            "Lehtikuva/Jane Roe via REUTERS",
            None,
        ),
        ("Berlin, 3 March 2024. EPA/JOHN DOE resale prohibited", "EPA/JOHN DOE", None),
    ],
)
def test_residue_ends_the_credit_and_is_reviewed(
    caption: str, credit: str, residue: str | None
) -> None:
    parsed = parse_caption(caption)
    assert parsed.credit_line == credit
    assert parsed.restrictions, "the residue is a restriction or unrecognised"
    if residue is not None:
        assert residue in parsed.unrecognised
    assert _decision(caption, Purpose.SALE) is not Outcome.ALLOW


@pytest.mark.parametrize(
    ("caption", "credit", "byline"),
    [
        # Recognised names stay in the credit: surnames holding a short cue stem, particles,
        # names with hyphens, an organisation after "for".
        (
            "Helsinki, 3 March 2024. LEHTIKUVA/JUSSI VAINIO",
            "LEHTIKUVA/JUSSI VAINIO",
            "JUSSI VAINIO",
        ),
        ("Roma, 3 March 2024. ANSA/MARCO LUPA", "ANSA/MARCO LUPA", "MARCO LUPA"),
        (
            "Helsinki, 3 March 2024. Lehtikuva/Jussi Vainio",
            "Lehtikuva/Jussi Vainio",
            "Jussi Vainio",
        ),
        (
            "Den Haag, 3 March 2024. ANP/Jan van der Berg",
            "ANP/Jan van der Berg",
            "Jan van der Berg",
        ),
        (
            "New York, 3 March 2024. Jane Roe for The Washington Post via Getty Images",
            "Jane Roe for The Washington Post via Getty Images",
            "Jane Roe",
        ),
    ],
)
def test_names_are_no_residue(caption: str, credit: str, byline: str) -> None:
    parsed = parse_caption(caption)
    assert (parsed.credit_line, parsed.byline, parsed.unrecognised) == (credit, byline, ())


@pytest.mark.xfail(reason="text after a credit joined by a dash is read as part of the chain")
@pytest.mark.parametrize(
    "caption",
    [
        "A guard shoots in Boston, Jan 5, 2025. Mandatory Credit: Jane Roe-USA TODAY Sports DO"
        " NOT OBSCURE WATERMARK",
    ],
)
def test_residue_after_a_dash_joined_credit_is_reviewed(caption: str) -> None:
    assert _decision(caption, Purpose.SALE) is not Outcome.ALLOW


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SLASH_CREDITS), _residues())
def test_residue_after_a_dash_is_never_allow_for_slash_credits(
    credit_caption: str, residue: str
) -> None:
    caption = f"{credit_caption} - {residue}"
    parsed = parse_caption(caption)
    if parsed.credit_line is not None:
        assert parsed.credit_line in credit_caption, (parsed.credit_line, residue)
    assert _decision(caption, Purpose.SALE) is not Outcome.ALLOW


# Credits whose last word is a capitalised common noun ("Archives", "Library"), which a
# sentence after them could be read to open.
_NOUN_CREDITS = (
    "Mary Evans/Rue des Archives",
    "Photo: Mary Evans/Picture Library",
    "John Smith/National Archives",
    "Jane Roe/Science Photo Library",
    "Jane Roe/Hulton Collection",
    "Jane Roe/Royal Photographic Society Collection",
    "AP Photo/Sea Pictures",
    "Jane Roe/Alamy Images",
    "Foto: Jane Roe/Bild Agency",
    "dpa/Picture Alliance Archives",
)
# Instructions no lexicon phrase covers, with a restriction cue and a glue word in them.
_GLUED_RESIDUES = (
    "resale strictly prohibited",
    "archiving also forbidden",
    "cropping only with permission",
    "please ask permission before any reproduction",
)
_CASES = (str.lower, str.upper, str.title)
_SETTERS = (" - ", " – ", ". ")


@pytest.mark.parametrize("credit", _NOUN_CREDITS)
def test_instruction_after_a_noun_ending_credit_is_kept(credit: str) -> None:
    credit_part = credit.split(": ", 1)[-1]
    failures = []
    for residue in _GLUED_RESIDUES:
        for case in _CASES:
            for setter in _SETTERS:
                caption = f"Fans cheer in Madrid, 3 March 2024. {credit}{setter}{case(residue)}"
                parsed = parse_caption(caption)
                decision = _decision(caption, Purpose.SALE)
                if decision is Outcome.ALLOW or (
                    parsed.credit_line is not None and parsed.credit_line not in credit_part
                ):
                    failures.append((caption, parsed.credit_line, decision))
    assert failures == []


def test_instruction_after_a_dash_keeps_the_whole_slash_credit() -> None:
    caption = (
        "Fans cheer in Madrid, 3 March 2024. Mary Evans/Rue des Archives"
        " - resale strictly prohibited"
    )
    parsed = parse_caption(caption)
    assert parsed.credit_line == "Mary Evans/Rue des Archives"
    assert parsed.unrecognised == ("resale strictly prohibited",)
    assert _decision(caption, Purpose.SALE) is not Outcome.ALLOW
