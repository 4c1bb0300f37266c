"""The one rule for text the catalogue keeps, so every row fits SQLite and PostgreSQL alike.

Text is refused when it holds a character either database, or the XMP packets written into
downloaded files, cannot carry:

- NUL (U+0000): PostgreSQL refuses it in text and JSON, SQLite keeps it; a catalogue that
  accepted one could not be restored into PostgreSQL;
- a lone surrogate (U+D800..U+DFFF): not a character at all, it cannot be encoded as UTF-8;
- the other C0 control characters except tab, line feed and carriage return, and the
  non-characters U+FFFE and U+FFFF: XML 1.0 (XMP) cannot carry them, and no caption needs
  them.

Requests carrying such text are refused (422) rather than cleaned: a silent change to a
caption could change the rights read from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

_CONTROLS = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF"

STORABLE_PATTERN = rf"^[^{_CONTROLS}]*$"
"""What the OpenAPI document declares for free text: no refused character anywhere. Lone
surrogates are left out: they are no Unicode characters, so a pattern cannot name them (Rust
and ECMAScript `u` regular expressions refuse the range) and no conforming client sends one."""

_UNSTORABLE = re.compile(rf"[{_CONTROLS}\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored, in words, or None when it can."""
    found = _UNSTORABLE.search(text)
    return None if found is None else _describe(found.group(), found.start())


def _describe(char: str, position: int) -> str:
    where = f"at position {position}"
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"holds a NUL character ({code}) {where}; remove it"
    if "\ud800" <= char <= "\udfff":
        return f"holds a lone surrogate ({code}) {where}, which is not valid Unicode text"
    if char in "\ufffe\uffff":
        return f"holds the non-character {code} {where}; remove it"
    return (
        f"holds the control character {code} {where}; only tab, line feed and carriage"
        " return may appear in text"
    )


def refused_values(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, why) for every string inside `value` (JSON-like data, keys included) that a
    database would refuse."""
    if isinstance(value, str):
        reason = database_refuses(value)
        if reason:
            yield path, reason
    elif isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (reason := database_refuses(key)):
                yield where, f"its key {reason}"
            yield from refused_values(item, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from refused_values(item, f"{path}[{index}]")


def replace_refused_values(value: Any) -> Any:
    """`value` (JSON-like data) with `replace_refused` applied to every string and key."""
    if isinstance(value, str):
        return replace_refused(value)
    if isinstance(value, Mapping):
        return {replace_refused_values(k): replace_refused_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [replace_refused_values(item) for item in value]
    return value


_NOT_IN_DATABASES = re.compile(r"[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def database_refuses(text: str) -> str | None:
    """Why a database would refuse `text` (PostgreSQL: NUL; neither: a lone surrogate), or
    None. Narrower than `unstorable`: what an older catalogue may hold and still restore."""
    found = _NOT_IN_DATABASES.search(text)
    return None if found is None else _describe(found.group(), found.start())


def replace_refused(text: str) -> str:
    """`text` with every character a database refuses replaced by U+FFFD (visibly, so a
    word boundary is kept and a picture editor sees where the character was)."""
    return _NOT_IN_DATABASES.sub(REPLACEMENT, text)


def fit_for_storage(value: Any, length: int | None = None) -> Any:
    """`value` (text or JSON-like data) as every database can hold it: refused characters
    replaced, and text cut to `length` characters when the column has one."""
    fitted = replace_refused_values(value) if _holds_refused(value) else value
    if length and isinstance(fitted, str) and len(fitted) > length:
        fitted = fitted[: length - 1] + "\u2026"
    return fitted


def _holds_refused(value: Any) -> bool:
    return next(refused_values(value), None) is not None
