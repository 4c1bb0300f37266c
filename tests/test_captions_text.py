"""CaptionText: every form of a caption keeps the caption's offsets, so what is found in one
form is cut from the caption as written, and a name read from the capitalised copy comes back
spelt as the caption spells it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from captions import parse_caption
from captions.text import CaptionText, as_written

caption_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(caption_text)
def test_every_form_has_the_captions_length(text: str) -> None:
    caption = CaptionText(text)
    assert caption.original is text
    assert len(caption.folded) == len(text)
    assert len(caption.capitalised) == len(text)
    # The spaced form opens with one space, so that a phrase at the start is set off too.
    assert caption.spaced is None or len(caption.spaced) == len(text) + 1


@given(caption_text)
def test_a_caption_with_a_capital_letter_is_its_own_capitalised_copy(text: str) -> None:
    if not text.islower():
        assert CaptionText(text).capitalised is text


def test_a_caption_in_lower_case_reads_names_from_a_capitalised_copy() -> None:
    """Each word capitalised, but for the small words a dateline keeps in lower case ("in")."""
    caption = CaptionText("people walk in lisbon, portugal, 02 march 2024. reuters/jane doe")
    assert caption.capitalised == (
        "People Walk in Lisbon, Portugal, 02 March 2024. Reuters/Jane Doe"
    )
    assert caption.folded == caption.original


def test_a_name_from_the_capitalised_copy_is_spelt_as_the_caption_spells_it() -> None:
    text = "photo by jane doe"
    caption = CaptionText(text)
    assert as_written("Jane Doe", caption.capitalised, text) == "jane doe"
    # Nothing to respell when the caption is its own copy, or the name is not in it.
    assert as_written("Jane Doe", text, text) == "Jane Doe"
    assert as_written("John Roe", caption.capitalised, text) == "John Roe"
    assert as_written(None, caption.capitalised, text) is None


def test_a_lower_case_caption_gives_its_photographer_as_written() -> None:
    parsed = parse_caption("people walk in lisbon, portugal, 02 march 2024. reuters/jane doe")
    assert parsed.agency == "Reuters"
    assert parsed.byline == "jane doe"
