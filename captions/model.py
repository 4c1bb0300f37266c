"""ParsedCaption: what a caption says about an image's origin and rights."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rights import Restriction
from rights.quick_init import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class ParsedCaption:
    """The structured reading of one caption. Offsets index into the caption as given."""

    agency: str | None = None
    agency_ref: str | None = None
    credit_line: str | None = None
    source: str | None = None
    byline: str | None = None
    handout: bool = False
    pool: bool = False
    date: dt.date | str | None = None  # a date, or "YYYY-MM" when only month and year are given
    place: str | None = None
    restrictions: tuple[Restriction, ...] = ()
    embargo_until: dt.datetime | None = None
    territories: tuple[str, ...] = ()
    unrecognised: tuple[str, ...] = ()
    restriction_text: str | None = None
    kill: bool = False
    parser_version: str = "0"
