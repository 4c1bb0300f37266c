"""Decode IPTC IIM datasets, with the character set the file declares or the one it implies.

iptcinfo3 reads IIM only out of JPEG files and decodes with one fixed charset, so the
decoding here is our own; iptcinfo3's dataset table still names the rarer datasets.
Text is UTF-8 when record 1:90 says so (ESC % G). Without that marker we try UTF-8 and
fall back to Windows-1252 (a superset of Latin-1 for printable text), with a warning,
because that is what wire services without the marker actually send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iptcinfo3 import c_datasets

# ExifTool's names, so raw blocks and ExifTool's output can be compared by eye.
_NAMES: dict[tuple[int, int], str] = {
    (1, 0): "EnvelopeRecordVersion",
    (1, 5): "Destination",
    (1, 20): "FileFormat",
    (1, 22): "FileVersion",
    (1, 30): "ServiceIdentifier",
    (1, 40): "EnvelopeNumber",
    (1, 50): "ProductID",
    (1, 60): "EnvelopePriority",
    (1, 70): "DateSent",
    (1, 80): "TimeSent",
    (1, 90): "CodedCharacterSet",
    (1, 100): "UniqueObjectName",
    (2, 0): "ApplicationRecordVersion",
    (2, 3): "ObjectTypeReference",
    (2, 4): "ObjectAttributeReference",
    (2, 5): "ObjectName",
    (2, 7): "EditStatus",
    (2, 10): "Urgency",
    (2, 12): "SubjectReference",
    (2, 15): "Category",
    (2, 20): "SupplementalCategories",
    (2, 22): "FixtureIdentifier",
    (2, 25): "Keywords",
    (2, 26): "ContentLocationCode",
    (2, 27): "ContentLocationName",
    (2, 30): "ReleaseDate",
    (2, 35): "ReleaseTime",
    (2, 37): "ExpirationDate",
    (2, 38): "ExpirationTime",
    (2, 40): "SpecialInstructions",
    (2, 42): "ActionAdvised",
    (2, 45): "ReferenceService",
    (2, 47): "ReferenceDate",
    (2, 50): "ReferenceNumber",
    (2, 55): "DateCreated",
    (2, 60): "TimeCreated",
    (2, 62): "DigitalCreationDate",
    (2, 63): "DigitalCreationTime",
    (2, 65): "OriginatingProgram",
    (2, 70): "ProgramVersion",
    (2, 75): "ObjectCycle",
    (2, 80): "By-line",
    (2, 85): "By-lineTitle",
    (2, 90): "City",
    (2, 92): "Sub-location",
    (2, 95): "Province-State",
    (2, 100): "Country-PrimaryLocationCode",
    (2, 101): "Country-PrimaryLocationName",
    (2, 103): "OriginalTransmissionReference",
    (2, 105): "Headline",
    (2, 110): "Credit",
    (2, 115): "Source",
    (2, 116): "CopyrightNotice",
    (2, 118): "Contact",
    (2, 120): "Caption-Abstract",
    (2, 121): "LocalCaption",
    (2, 122): "Writer-Editor",
    (2, 125): "RasterizedCaption",
    (2, 130): "ImageType",
    (2, 131): "ImageOrientation",
    (2, 135): "LanguageIdentifier",
    (2, 184): "JobID",
    (2, 200): "ObjectPreviewFileFormat",
    (2, 201): "ObjectPreviewFileVersion",
    (2, 202): "ObjectPreviewData",
    (2, 221): "Prefs",
    (2, 225): "ClassifyState",
    (2, 228): "SimilarityIndex",
    (2, 230): "DocumentNotes",
    (2, 231): "DocumentHistory",
    (2, 232): "ExifCameraInfo",
}

# Datasets whose value is a binary number or blob rather than text.
_INTEGER = {(1, 0), (1, 20), (1, 22), (2, 0)}
_BINARY = {(2, 125), (2, 202)}

# ISO 2022 escape sequences seen in 1:90, mapped to Python codecs.
_CHARSETS: dict[bytes, str] = {
    b"\x1b%G": "utf-8",
    b"\x1b%/G": "utf-8",
    b"\x1b%/H": "utf-8",
    b"\x1b%/I": "utf-8",
    b"\x1b.A": "latin-1",
    b"\x1b-A": "latin-1",
    b"\x1b.B": "iso8859-2",
    b"\x1b-B": "iso8859-2",
    b"\x1b-F": "iso8859-7",
    b"\x1b-L": "iso8859-5",
}

MAX_DATASETS = 20_000
UTF8_MARKER = b"\x1b%G"


@dataclass(slots=True)
class IptcData:
    """Decoded datasets of one IIM stream, by ExifTool name, in file order (lists: repeats).

    `unreadable` holds the warnings that mean part of the stream could not be read (damage,
    a character set we cannot decode): what was lost may have stated rights.
    """

    values: dict[str, list[Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def cannot_read(self, warning: str) -> None:
        self.warnings.append(warning)
        self.unreadable.append(warning)

    def first(self, name: str) -> Any:
        """The first value of a dataset, or None."""
        found = self.values.get(name)
        return found[0] if found else None

    def raw(self) -> dict[str, Any]:
        """JSON-friendly view: one value stays scalar, repeats become a list, blobs a summary."""
        out: dict[str, Any] = {}
        for name, items in self.values.items():
            shown = [f"(binary, {len(v)} bytes)" if isinstance(v, bytes) else v for v in items]
            out[name] = shown[0] if len(shown) == 1 else shown
        return out


def dataset_name(record: int, number: int) -> str:
    """ExifTool's name for a dataset, iptcinfo3's for rarer ones, else "record:number"."""
    name = _NAMES.get((record, number))
    if name:
        return name
    if record == 2 and number in c_datasets:
        return str(c_datasets[number]).title().replace(" ", "")
    return f"{record}:{number}"


def split_datasets(data: bytes) -> tuple[list[tuple[int, int, bytes]], str | None]:
    """Split an IIM stream into (record, dataset, value) triples; stop at damage with a reason."""
    out: list[tuple[int, int, bytes]] = []
    pos, n = 0, len(data)
    while pos < n:
        if data[pos] != 0x1C:
            if data[pos:].strip(b"\x00"):
                return out, f"IPTC data is damaged at byte {pos}; the rest was skipped"
            break
        if pos + 5 > n:
            return out, "IPTC dataset header is truncated"
        record, number = data[pos + 1], data[pos + 2]
        length = int.from_bytes(data[pos + 3 : pos + 5], "big")
        pos += 5
        if length & 0x8000:  # extended dataset: the next (length & 0x7fff) bytes hold the size
            size_bytes = length & 0x7FFF
            if size_bytes > 4 or pos + size_bytes > n:
                return out, "IPTC extended dataset length is invalid; the rest was skipped"
            length = int.from_bytes(data[pos : pos + size_bytes], "big")
            pos += size_bytes
        if pos + length > n:
            return out, f"IPTC dataset {record}:{number} is truncated; the rest was skipped"
        out.append((record, number, data[pos : pos + length]))
        pos += length
        if len(out) >= MAX_DATASETS:
            return out, f"IPTC block has more than {MAX_DATASETS} datasets; the rest was skipped"
    return out, None


def decode_iptc(data: bytes) -> IptcData:
    """Decode one IIM stream into named values, choosing the text encoding as described above."""
    result = IptcData()
    datasets, problem = split_datasets(data)
    if problem:
        result.cannot_read(problem)
    encoding = _declared_encoding(datasets, result)
    if encoding is None:
        encoding = _implied_encoding(datasets, result)
    for record, number, value in datasets:
        key = (record, number)
        decoded: Any
        if key in _INTEGER:
            decoded = int.from_bytes(value, "big") if len(value) <= 4 else value
        elif key in _BINARY:
            decoded = value
        elif key == (1, 90):
            decoded = value.decode("latin-1")
        else:
            decoded = _decode_text(value, encoding, result)
        result.values.setdefault(dataset_name(record, number), []).append(decoded)
    return result


def _declared_encoding(datasets: list[tuple[int, int, bytes]], result: IptcData) -> str | None:
    """The codec named by 1:90 CodedCharacterSet, or None when absent or unknown."""
    for record, number, value in datasets:
        if (record, number) == (1, 90):
            codec = _CHARSETS.get(value.strip())
            if codec is None:
                warning = (
                    f"IPTC character set {value!r} is not recognised; text read as UTF-8 "
                    "or Windows-1252"
                )
                if _has_non_ascii_text(datasets):
                    result.cannot_read(warning)  # the text may not say what it seems to
                else:
                    result.warnings.append(warning)
            return codec
    return None


def _has_non_ascii_text(datasets: list[tuple[int, int, bytes]]) -> bool:
    """Whether any text value has bytes an unknown character set could give another meaning."""
    return any(
        is_text_dataset(record, number) and (not value.isascii() or b"\x1b" in value)
        for record, number, value in datasets
        if (record, number) != (1, 90)
    )


def _implied_encoding(datasets: list[tuple[int, int, bytes]], result: IptcData) -> str:
    """Without a marker: UTF-8 when every text value is valid UTF-8, else Windows-1252."""
    for record, number, value in datasets:
        if record != 2 or (record, number) in _INTEGER | _BINARY or value.isascii():
            continue
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            result.warnings.append(
                "IPTC text has no character-set marker (1:90) and is not UTF-8; "
                "read as Windows-1252/Latin-1"
            )
            return "cp1252"
    return "utf-8"


def _decode_text(value: bytes, encoding: str, result: IptcData) -> str:
    """Decode text, dropping the NUL padding some writers add; never raises.

    A value that is not in the block's charset (a tool that wrote Latin-1 under a UTF-8
    marker) is read as Windows-1252, then Latin-1, which decodes every byte: the text
    is kept, with a warning, rather than lost or mangled into replacement characters.
    """
    value = value.rstrip(b"\x00")
    try:
        return value.decode(encoding)
    except UnicodeDecodeError:
        pass
    if encoding != "cp1252":
        result.warnings.append(
            f"IPTC text is not valid {encoding} as its block declares; read as Windows-1252"
        )
    try:
        return value.decode("cp1252")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def encode_datasets(datasets: list[tuple[int, int, bytes]]) -> bytes:
    """Serialise (record, dataset, value) triples as an IIM stream (extended length if long)."""
    out = bytearray()
    for record, number, value in datasets:
        out += bytes((0x1C, record, number))
        if len(value) < 0x8000:
            out += len(value).to_bytes(2, "big")
        else:
            out += (0x8004).to_bytes(2, "big") + len(value).to_bytes(4, "big")
        out += value
    return bytes(out)


def is_text_dataset(record: int, number: int) -> bool:
    """True for datasets holding text (everything but numbers, blobs and the charset marker)."""
    key = (record, number)
    return key not in _INTEGER and key not in _BINARY and key != (1, 90) and record in (1, 2)


def stream_encoding(datasets: list[tuple[int, int, bytes]]) -> str:
    """The codec the text of an existing IIM stream is in (declared, else implied)."""
    scratch = IptcData()
    return _declared_encoding(datasets, scratch) or _implied_encoding(datasets, scratch)
