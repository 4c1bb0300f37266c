"""Decode the EXIF block (a small TIFF structure): IFD0, the EXIF, GPS and interop IFDs.

Tag names come from exifread's tables, so raw keys read like exifread's ("Image Artist",
"EXIF DateTimeOriginal", "GPS GPSLatitude"). The directories are walked by our own
bounded TIFF reader rather than exifread.process_file: exifread reads values one byte
at a time (70% of a whole read in profiles), drops text that is not UTF-8, and cuts
the EXIF Copyright at its first NUL where the photographer/editor split lives.
Maker notes, thumbnails (IFD1) and other binary blobs are summarised, not decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from exifread.tags.exif import EXIF_TAGS, GPS_TAGS, INTEROP_TAGS

from assets.metadata.source import ImageData
from assets.metadata.tiff import Entry, Header, read_header, read_ifd

_COPYRIGHT = 0x8298
# IFD0 tags that may state rights (the caption, the author, the copyright): losing one of
# them to damage makes the block unreadable for rights.
RIGHTS_TAGS = {0x010E: "ImageDescription", 0x013B: "Artist", _COPYRIGHT: "Copyright"}
# pointer tag -> (raw name prefix, tag table of the directory it points to)
_SUB_IFDS: dict[int, tuple[str, dict[int, Any]]] = {
    0x8769: ("EXIF", EXIF_TAGS),
    0x8825: ("GPS", GPS_TAGS),
    0xA005: ("Interoperability", INTEROP_TAGS),
}
_MAX_DIRECTORIES = 8
_MAX_LISTED = 64
_MAX_TEXT = 64 * 1024  # longest EXIF text decoded; longer ones are summarised
_TEXT_BUDGET = 1024 * 1024  # all EXIF text decoded from one block
_INT_FORMATS = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 13: "I", 16: "Q", 17: "q", 18: "Q"}
_FLOAT_FORMATS = {11: "f", 12: "d"}
_RATIONAL_FORMATS = {5: "I", 10: "i"}


@dataclass(slots=True)
class ExifData:
    """EXIF tags by exifread-style name, with JSON-ready values."""

    tags: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    text_budget: int = _TEXT_BUDGET
    unreadable: list[str] = field(default_factory=list)

    def cannot_read(self, warning: str) -> None:
        """Part of the block that may state rights could not be read."""
        self.warnings.append(warning)
        self.unreadable.append(warning)

    def text(self, name: str) -> str | None:
        """A tag as stripped text, or None when absent, blank or not text."""
        value = self.tags.get(name)
        if not isinstance(value, str) or value.startswith(("(binary", "(text")):
            return None
        return value.strip(" \x00") or None


def read_exif(tiff: ImageData) -> ExifData:
    """Decode a TIFF-structured EXIF block; damage becomes a warning, never an exception.

    No size limit: for TIFF files the block is the whole file, and values are only cut
    out (within budgets) for the entries decoded.
    """
    result = ExifData()
    header = read_header(tiff)
    if header is None:
        result.cannot_read("EXIF block has no valid TIFF header; EXIF ignored")
        return result
    pending: list[tuple[str, int, dict[int, Any]]] = [("Image", header.first_ifd, EXIF_TAGS)]
    seen: set[int] = set()
    while pending and len(seen) < _MAX_DIRECTORIES:
        prefix, offset, table = pending.pop(0)
        if offset in seen:
            continue
        seen.add(offset)
        entries, _next, problem = read_ifd(tiff, header, offset)
        if problem and entries == []:
            if prefix == "Image":  # IFD0 holds the caption, artist and copyright
                result.cannot_read(f"EXIF {prefix} directory: {problem}")
            else:
                result.warnings.append(f"EXIF {prefix} directory: {problem}")
        for entry in entries:
            known = table.get(entry.tag)
            name = known[0] if known else f"Tag 0x{entry.tag:04X}"
            value = _value(entry, header, result)
            if prefix == "Image" and entry.tag in RIGHTS_TAGS and entry.count:
                _check_rights_tag(entry, value, result)
            result.tags[f"{prefix} {name}"] = value
            if entry.tag in _SUB_IFDS and isinstance(value, int):
                sub_prefix, sub_table = _SUB_IFDS[entry.tag]
                pending.append((sub_prefix, value, sub_table))
    return result


def _check_rights_tag(entry: Entry, value: Any, result: ExifData) -> None:
    """A caption, artist or copyright tag whose text could not be read is an unreadable block."""
    name = RIGHTS_TAGS[entry.tag]
    if value is None:
        result.cannot_read(f"EXIF {name} points outside the block; not read")
    elif isinstance(value, str) and value.startswith("(text"):
        result.unreadable.append(f"EXIF {name} of {entry.size} bytes is too long; not read")
    elif not isinstance(value, str) or value.startswith("(binary"):
        result.cannot_read(f"EXIF {name} is not stored as text; not read")


def _value(entry: Entry, header: Header, result: ExifData) -> Any:
    """Decode one entry's value into str, int, float, a short list, or a summary."""
    typ, o = entry.type, header.order
    if typ == 2 and (entry.size > _MAX_TEXT or entry.size > result.text_budget):
        result.warnings.append(f"EXIF text of {entry.size} bytes is too long; not decoded")
        return f"(text, {entry.size} bytes)"
    if typ != 2 and (entry.size if typ == 7 else entry.count) > _MAX_LISTED:
        return f"(binary, {entry.size} bytes)"
    data = entry.value
    if not data and entry.count:
        return None  # the value points outside the block
    if typ == 2:
        result.text_budget -= len(data)
        return _text(data, entry.tag, result)
    if typ == 7:
        if len(data) <= _MAX_LISTED and data.rstrip(b"\x00").isascii():
            text = data.rstrip(b"\x00").decode("ascii")
            if text.isprintable():
                return text
        return f"(binary, {len(data)} bytes)"
    values: list[Any]
    if typ in _INT_FORMATS:
        fmt = _INT_FORMATS[typ]
        values = list(struct.unpack(f"{o}{len(data) // struct.calcsize(fmt)}{fmt}", data))
    elif typ in _RATIONAL_FORMATS:
        fmt = _RATIONAL_FORMATS[typ]
        pairs = struct.unpack(f"{o}{len(data) // 4}{fmt}", data)
        values = [
            round(n / d, 10) if d else None for n, d in zip(pairs[::2], pairs[1::2], strict=True)
        ]
    elif typ in _FLOAT_FORMATS:
        fmt = _FLOAT_FORMATS[typ]
        values = list(struct.unpack(f"{o}{len(data) // struct.calcsize(fmt)}{fmt}", data))
    else:
        return f"(binary, {len(data)} bytes)"
    return values[0] if len(values) == 1 else values


def _text(data: bytes, tag: int, result: ExifData) -> str:
    """ASCII per the standard, UTF-8 in practice, Windows-1252 from older software.

    Text ends at the first NUL, except Copyright, whose NUL separates the photographer's
    notice from the editor's (rendered on two lines, as ExifTool does).
    """
    if tag == _COPYRIGHT:
        photographer, _, rest = data.partition(b"\x00")
        editor = rest.split(b"\x00", 1)[0].rstrip(b" ")
        data = photographer.rstrip(b" ") + (b"\n" + editor if editor else b"")
    else:
        data = data.split(b"\x00", 1)[0]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        result.warnings.append("EXIF text is not UTF-8; read as Windows-1252/Latin-1")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
