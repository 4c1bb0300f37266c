"""Field types every request shares: text the catalogue can store, moments written as ISO 8601.

Every string a client sends (JSON bodies, form fields, query and path parameters) follows the
one rule of `assets.storable`, so a value is refused the same way on SQLite and PostgreSQL and
every backup restores into either. Types are strict where a type is meant: `"record": 0` is
not `false` and `until=0.5` is not a moment.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Annotated, Any, get_args, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import (
    AfterValidator,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from assets.storable import STORABLE_PATTERN, unstorable
from rights.moment import representable


class _Storable:
    """Marks a string type: refuse text the catalogue cannot store, declare it in OpenAPI."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_storable, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        described = handler(schema)
        described.setdefault("pattern", STORABLE_PATTERN)
        return described


def _storable(value: str) -> str:
    reason = unstorable(value)
    if reason:
        raise PydanticCustomError("unstorable_text", "the text {reason}", {"reason": reason})
    return value


CleanText = Annotated[str, _Storable()]
"""Free text from a client: a caption, a reason, a name, an id."""

Flag = StrictBool
"""true or false, never 0, 1 or "yes"."""

_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}.*)?")


def _iso_moment(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value.strip()):
        raise PydanticCustomError(
            "iso_datetime",
            "a moment is written in ISO 8601, such as 2030-01-31T18:00:00Z",
        )
    return value


def _utc_moment(value: datetime) -> datetime:
    if not representable(value):
        raise PydanticCustomError(
            "iso_datetime", "a moment must fall between the years 1 and 9999 in UTC"
        )
    return value


Moment = Annotated[datetime, BeforeValidator(_iso_moment), AfterValidator(_utc_moment)]
"""A moment written as ISO 8601 text (numbers are not read as Unix times)."""


_BOOLEAN_WORDS = {"true": True, "false": False}


def _query_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _BOOLEAN_WORDS:
        return _BOOLEAN_WORDS[value.lower()]
    raise PydanticCustomError("bool_parsing", "write true or false")


QueryFlag = Annotated[bool, BeforeValidator(_query_flag)]
"""A query-string flag: `true` or `false` (not 1, yes or on)."""


async def storable_parameters(request: Request) -> None:
    """Refuse any path or query parameter the catalogue could not store, and any query
    parameter the operation does not take (a misspelt filter would silently match
    everything), naming it (422).

    An app-wide dependency: it guards every route, declared parameters or not."""
    errors: list[dict[str, Any]] = []
    for name, value in request.path_params.items():
        if isinstance(value, str) and (reason := unstorable(value)):
            errors.append(_error("path", name, f"the text {reason}", "unstorable_text"))
    known = _query_names(request)
    counts = Counter(name for name, _value in request.query_params.multi_items())
    for name, value in request.query_params.multi_items():
        if reason := unstorable(name) or unstorable(value):
            errors.append(_error("query", name, f"the text {reason}", "unstorable_text"))
        elif known is not None and name not in known:
            takes = ", ".join(sorted(known)) or "none"
            message = f"this operation takes no parameter {name!r} (it takes: {takes})"
            errors.append(_error("query", name, message, "unknown_parameter"))
        elif known is not None and counts[name] > 1 and not known[name]:
            message = f"{name!r} is given {counts[name]} times; give it once"
            errors.append(_error("query", name, message, "repeated_parameter"))
            counts[name] = 1  # one error for the name is enough
    if errors:
        raise RequestValidationError(errors)


def _query_names(request: Request) -> dict[str, bool] | None:
    """The query parameters the matched operation declares (each: whether it may be given
    more than once), or None if the operation is unknown."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return None
    names: dict[str, bool] = {}
    pending = [dependant]
    while pending:
        current = pending.pop()
        for param in getattr(current, "query_params", ()):
            names[param.alias] = _is_sequence(getattr(param.field_info, "annotation", None))
        pending.extend(getattr(current, "dependencies", ()))
    return names


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    return any(_is_sequence(arg) for arg in get_args(annotation)) if origin else False


def _error(where: str, name: str, message: str, kind: str) -> dict[str, Any]:
    return {"loc": (where, name), "msg": message, "type": kind}
