"""How far read_embedded agrees with ExifTool: `python -m assets.metadata.compare DIR`.

DIR holds images/ and truth/ (truth/NAME.json = `exiftool -json -G1 -a -s -n
-charset iptc=utf8 NAME`). ExifTool's tags are mapped to our normalised fields with the
same precedence the reader applies (IPTC, then trailer IPTC, then XMP, then EXIF), so
each comparison is of the same semantic field. Text is compared after trimming
surrounding whitespace; lists item by item; dates after writing ExifTool's
"YYYY:MM:DD HH:MM:SS" notation in ISO 8601. A field counts as present when either side
has a value; agreement is the share of present fields where both sides are equal.

A second figure checks the raw IPTC blocks dataset by dataset (text datasets only:
ExifTool rewrites dates and numbers), since our raw names are ExifTool's.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets.metadata.errors import MetadataError
from assets.metadata.reader import read_embedded

_IPTC_GROUPS = ("IPTC", "IPTC2")

# field -> (IPTC tag, XMP tags in order, EXIF tag)
_TEXT_FIELDS: dict[str, tuple[str | None, tuple[str, ...], str | None]] = {
    "caption": ("Caption-Abstract", ("XMP-dc:Description",), "IFD0:ImageDescription"),
    "headline": ("Headline", ("XMP-photoshop:Headline",), None),
    "object_name": ("ObjectName", ("XMP-dc:Title",), None),
    "byline": ("By-line", ("XMP-dc:Creator",), "IFD0:Artist"),
    "credit": ("Credit", ("XMP-photoshop:Credit",), None),
    "source": ("Source", ("XMP-photoshop:Source",), None),
    "copyright": ("CopyrightNotice", ("XMP-dc:Rights",), "IFD0:Copyright"),
    "special_instructions": ("SpecialInstructions", ("XMP-photoshop:Instructions",), None),
    "usage_terms": (None, ("XMP-xmpRights:UsageTerms",), None),
    "city": ("City", ("XMP-photoshop:City",), None),
    "country": ("Country-PrimaryLocationName", ("XMP-photoshop:Country",), None),
    "job_id": ("OriginalTransmissionReference", ("XMP-photoshop:TransmissionReference",), None),
}
FIELDS = (*_TEXT_FIELDS, "keywords", "date_created", "width", "height", "media_type")

_ET_DATE = re.compile(
    r"^(\d{4}):(\d{2}):(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$"
)
_ET_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$")


def _text(value: Any) -> str | None:
    """ExifTool's value as our text: lists joined by "; ", numbers as written, blank -> None."""
    if value is None:
        return None
    if isinstance(value, list):
        items = [t for t in (_text(v) for v in value) if t]
        return "; ".join(items) if items else None
    text = str(value).strip(" \t\r\n\x00")
    return text or None


def _items(value: Any) -> list[str]:
    """ExifTool's value as a list of non-blank strings."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [t for t in (_text(v) for v in values) if t]


def _iso(date: Any, time: Any = None) -> str | None:
    """ExifTool's "YYYY:MM:DD[ HH:MM:SS[.s][tz]]" (+ a separate IPTC time) in ISO 8601."""
    text = _text(date)
    if text is None:
        return None
    m = _ET_DATE.match(text)
    if not m or m.group(1) == "0000" or m.group(2) == "00" or m.group(3) == "00":
        return None
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    out = f"{y}-{mo}-{d}"
    if hh is not None:
        out += f"T{hh}:{mi}" + (f":{ss}{frac or ''}" if ss else "") + (tz or "")
    elif time is not None:
        t = _ET_TIME.match(_text(time) or "")
        if t:
            out += f"T{t.group(1)}:{t.group(2)}:{t.group(3)}{t.group(4) or ''}"
    return out


def expected_fields(truth: dict[str, Any]) -> dict[str, Any]:
    """Map one ExifTool JSON record to our normalised fields."""
    out: dict[str, Any] = {}
    for name, (iptc_tag, xmp_tags, exif_tag) in _TEXT_FIELDS.items():
        value = None
        if iptc_tag:
            for group in _IPTC_GROUPS:
                value = value or _text(truth.get(f"{group}:{iptc_tag}"))
        for tag in xmp_tags:
            value = value or _text(truth.get(tag))
        if exif_tag:
            value = value or _text(truth.get(exif_tag))
        out[name] = value
    keywords: list[str] = []
    for group in _IPTC_GROUPS:
        keywords = keywords or _items(truth.get(f"{group}:Keywords"))
    out["keywords"] = keywords or _items(truth.get("XMP-dc:Subject"))
    date = None
    for group in _IPTC_GROUPS:
        date = date or _iso(truth.get(f"{group}:DateCreated"), truth.get(f"{group}:TimeCreated"))
    date = date or _iso(truth.get("XMP-photoshop:DateCreated"))
    out["date_created"] = date or _iso(truth.get("ExifIFD:DateTimeOriginal"))
    size = _text(truth.get("Composite:ImageSize"))
    width = height = None
    if size:
        parts = re.split(r"[ x]", size)
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            width, height = int(parts[0]), int(parts[1])
    out["width"], out["height"] = width, height
    out["media_type"] = _text(truth.get("File:MIMEType"))
    return out


_IPTC_NOT_TEXT = {
    "CodedCharacterSet",
    "DateCreated",
    "TimeCreated",
    "DigitalCreationDate",
    "DigitalCreationTime",
    "ReleaseDate",
    "ReleaseTime",
    "ExpirationDate",
    "ExpirationTime",
    "DateSent",
    "TimeSent",
    "ObjectPreviewData",
}


def expected_iptc(truth: dict[str, Any]) -> list[dict[str, list[str]]]:
    """ExifTool's IPTC text datasets, one dict per IPTC group found (IPTC, then IPTC2)."""
    blocks = []
    for group in _IPTC_GROUPS:
        block = {
            key.split(":", 1)[1]: _items(value)
            for key, value in truth.items()
            if key.startswith(f"{group}:") and not isinstance(value, int | float)
        }
        block = {k: v for k, v in block.items() if k not in _IPTC_NOT_TEXT}
        if block:
            blocks.append(block)
    return blocks


def read_fields(data: bytes) -> tuple[dict[str, Any], list[dict[str, Any]], str | None]:
    """Our normalised fields and raw IPTC blocks for one file, or an error message."""
    try:
        meta = read_embedded(data)
    except MetadataError as exc:
        return {}, [], f"{type(exc).__name__}: {exc}"
    iptc = [block for name, block in sorted(meta.raw.items()) if name.startswith("iptc")]
    return {name: getattr(meta, name) for name in FIELDS}, iptc, None


def _present(value: Any) -> bool:
    return value not in (None, "", [])


@dataclass
class Mismatch:
    """One field of one file where we and ExifTool differ."""

    file: str
    field: str
    expected: Any
    actual: Any


@dataclass
class Report:
    """Agreement per field over a corpus directory."""

    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    agreed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    mismatches: list[Mismatch] = field(default_factory=list)
    files: int = 0
    iptc_present: int = 0
    iptc_agreed: int = 0

    @property
    def agreement(self) -> float:
        """Share of present fields (all fields, all files) where both sides agree."""
        total = sum(self.present.values())
        return sum(self.agreed.values()) / total if total else 1.0

    @property
    def iptc_agreement(self) -> float:
        """Share of raw IPTC text datasets read exactly as ExifTool reads them."""
        return self.iptc_agreed / self.iptc_present if self.iptc_present else 1.0


def compare_dir(directory: Path) -> Report:
    """Compare every image in DIR/images that has a DIR/truth/NAME.json."""
    report = Report()
    for image in sorted((directory / "images").iterdir()):
        truth_file = directory / "truth" / f"{image.name}.json"
        if not truth_file.is_file():
            continue
        report.files += 1
        truth = json.loads(truth_file.read_text("utf-8"))[0]
        expected = expected_fields(truth)
        actual, iptc, error = read_fields(image.read_bytes())
        for name in FIELDS:
            want, got = expected.get(name), actual.get(name)
            if not (_present(want) or _present(got)):
                continue
            report.present[name] += 1
            if want == got:
                report.agreed[name] += 1
            else:
                report.mismatches.append(Mismatch(image.name, name, want, error or got))
        for index, block in enumerate(expected_iptc(truth)):
            ours = iptc[index] if index < len(iptc) else {}
            for name, want in block.items():
                report.iptc_present += 1
                got = _items(ours.get(name))
                if got == want:
                    report.iptc_agreed += 1
                else:
                    report.mismatches.append(Mismatch(image.name, f"iptc:{name}", want, got))
    return report


def _short(value: Any, width: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_report(report: Report, title: str) -> None:
    """Print per-field agreement and every mismatch as rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{title}: {report.files} files, agreement {report.agreement:.2%}")
    table.add_column("field")
    table.add_column("present", justify="right")
    table.add_column("agree", justify="right")
    table.add_column("agreement", justify="right")
    for name in FIELDS:
        present, agreed = report.present[name], report.agreed[name]
        share = f"{agreed / present:.1%}" if present else "-"
        table.add_row(name, str(present), str(agreed), share)
    table.add_row(
        "all",
        str(sum(report.present.values())),
        str(sum(report.agreed.values())),
        f"{report.agreement:.2%}",
        style="bold",
    )
    console.print(table)
    console.print(
        f"raw IPTC text datasets: {report.iptc_agreed}/{report.iptc_present} read as ExifTool "
        f"reads them ({report.iptc_agreement:.2%})"
    )
    if report.mismatches:
        mismatches = Table(title="mismatches")
        for column in ("file", "field", "ExifTool", "read_embedded"):
            mismatches.add_column(column, overflow="fold")
        for m in report.mismatches:
            mismatches.add_row(m.file, m.field, _short(m.expected), _short(m.actual))
        console.print(mismatches)


def main(argv: list[str]) -> int:
    """CLI entry: one or more corpus directories."""
    if not argv:
        print("usage: python -m assets.metadata.compare DIR [DIR...]", file=sys.stderr)
        return 2
    for arg in argv:
        directory = Path(arg)
        if not (directory / "images").is_dir() or not (directory / "truth").is_dir():
            print(f"{directory} must contain images/ and truth/", file=sys.stderr)
            return 2
        print_report(compare_dir(directory), str(directory))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
