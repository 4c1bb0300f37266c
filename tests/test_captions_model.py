"""ParsedCaption's annotations resolve: the `date` field must not shadow the `date` type."""

from __future__ import annotations

import datetime as dt
import typing

from captions import ParsedCaption, parse_caption


def test_type_hints_resolve() -> None:
    hints = typing.get_type_hints(ParsedCaption)
    assert hints["date"] == dt.date | str | None
    assert hints["embargo_until"] == dt.datetime | None


def test_parsed_date_is_a_date() -> None:
    parsed = parse_caption("Fans cheer in Madrid, Spain, March 3, 2024. REUTERS/Ana Beltran")
    assert parsed.date == dt.date(2024, 3, 3)
