"""Agreement with ExifTool on the licensing and provenance fields, field by field.

    python -m assets.metadata.compare_licensing DIR...

Reads every image in DIR with `read_embedded` and with ExifTool (`exiftool -j -n -G1`, run
here, so the files may be made on the spot), and counts, per field, the files where ExifTool
finds a value and whether ours is the same. Dates are compared as instants (IIM date and time
together), lists as sets, PLUS release statuses as their vocabulary codes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets.metadata.errors import MetadataError
from assets.metadata.model import EmbeddedMetadata
from assets.metadata.plus import PLUS_VOCAB, iim_moment, xmp_moment
from assets.metadata.reader import read_embedded_file

Values = frozenset[str]


def _entries(meta: EmbeddedMetadata, kind: str, name: str) -> Values:
    return frozenset(
        str(e["value"]) for e in meta.licensing.get(kind, []) if e["field"].endswith(name)
    )


def _status(meta: EmbeddedMetadata, kind: str) -> Values:
    return frozenset(str(e["value"]).removeprefix(PLUS_VOCAB) for e in meta.licensing.get(kind, []))


def _instants(meta: EmbeddedMetadata, kind: str, prefix: str) -> Values:
    return frozenset(
        str(e["at"]) for e in meta.licensing.get(kind, []) if e["field"].startswith(prefix)
    )


def _source_types(meta: EmbeddedMetadata, origin: str) -> Values:
    entries = meta.provenance.get("digital_source_type", [])
    return frozenset(str(e["value"]) for e in entries if e["origin"] == origin)


def _c2pa(meta: EmbeddedMetadata, key: str) -> Values:
    manifest = meta.provenance.get("c2pa")
    if not manifest:
        return frozenset()
    value = "present" if key == "present" else manifest.get(key)
    return frozenset({str(value)}) if value else frozenset()


# field -> (ours, ExifTool's from its JSON)
FIELDS: dict[
    str, tuple[Callable[[EmbeddedMetadata], Values], Callable[[dict[str, Any]], Values]]
] = {
    "ModelReleaseStatus": (
        lambda m: _status(m, "model_release_status"),
        lambda e: _tags(e, "XMP-plus:ModelReleaseStatus"),
    ),
    "PropertyReleaseStatus": (
        lambda m: _status(m, "property_release_status"),
        lambda e: _tags(e, "XMP-plus:PropertyReleaseStatus"),
    ),
    "ModelReleaseID": (
        lambda m: _entries(m, "model_release_id", "ModelReleaseID"),
        lambda e: _tags(e, "XMP-plus:ModelReleaseID"),
    ),
    "PropertyReleaseID": (
        lambda m: _entries(m, "property_release_id", "PropertyReleaseID"),
        lambda e: _tags(e, "XMP-plus:PropertyReleaseID"),
    ),
    "PersonInImage": (
        lambda m: _entries(m, "people", "PersonInImage"),
        lambda e: _tags(e, "XMP-iptcExt:PersonInImage"),
    ),
    "ImageSupplierName": (
        lambda m: _entries(m, "image_supplier", "ImageSupplierName"),
        lambda e: _tags(e, "XMP-plus:ImageSupplierName"),
    ),
    "CopyrightOwnerName": (
        lambda m: _entries(m, "copyright_owner", "CopyrightOwnerName"),
        lambda e: _tags(e, "XMP-plus:CopyrightOwnerName"),
    ),
    "LicenseeName": (
        lambda m: _entries(m, "licensee", "LicenseeName"),
        lambda e: _tags(e, "XMP-plus:LicenseeName"),
    ),
    "LicensorName": (
        lambda m: _entries(m, "licensor", "LicensorName"),
        lambda e: _tags(e, "XMP-plus:LicensorName"),
    ),
    "LicensorURL": (
        lambda m: _entries(m, "licensor_url", "LicensorURL"),
        lambda e: _tags(e, "XMP-plus:LicensorURL"),
    ),
    "WebStatement": (
        lambda m: _entries(m, "web_statement", "WebStatement"),
        lambda e: _tags(e, "XMP-xmpRights:WebStatement"),
    ),
    "Marked": (
        lambda m: frozenset(v.casefold() for v in _entries(m, "marked", "Marked")),
        lambda e: frozenset(v.casefold() for v in _tags(e, "XMP-xmpRights:Marked")),
    ),
    "UsageTerms": (
        lambda m: _entries(m, "usage_terms", "UsageTerms"),
        lambda e: _tags(e, "XMP-xmpRights:UsageTerms"),
    ),
    "LicenseStartDate": (
        lambda m: _instants(m, "release", "plus:"),
        lambda e: _xmp_instant(e, "XMP-plus:LicenseStartDate", ends=False),
    ),
    "LicenseEndDate": (
        lambda m: _instants(m, "expiration", "plus:"),
        lambda e: _xmp_instant(e, "XMP-plus:LicenseEndDate", ends=True),
    ),
    "ReleaseDate/Time": (
        lambda m: _instants(m, "release", "IPTC"),
        lambda e: _iim_instant(e, "Release", ends=False),
    ),
    "ExpirationDate/Time": (
        lambda m: _instants(m, "expiration", "IPTC"),
        lambda e: _iim_instant(e, "Expiration", ends=True),
    ),
    "DigitalSourceType": (
        lambda m: _source_types(m, "xmp"),
        lambda e: _tags(e, "XMP-iptcExt:DigitalSourceType"),
    ),
    "C2PA manifest": (
        lambda m: _c2pa(m, "present"),
        lambda e: frozenset({"present"}) if "c2pa" in _tags(e, "JUMBF:JUMDLabel") else frozenset(),
    ),
    "C2PA claim generator": (
        lambda m: _c2pa(m, "claim_generator"),
        lambda e: _last(e, "CBOR:Claim_generator"),
    ),
    "C2PA digital source type": (
        lambda m: _source_types(m, "file"),
        lambda e: _tags(e, "CBOR:ActionsDigitalSourceType"),
    ),
}


def _tags(exif: dict[str, Any], name: str) -> Values:
    value = exif.get(name)
    if value is None:
        return frozenset()
    items = value if isinstance(value, list) else [value]
    return frozenset(str(v).strip() for v in items if str(v).strip())


def _last(exif: dict[str, Any], name: str) -> Values:
    value = exif.get(name)
    if isinstance(value, list):
        value = value[-1] if value else None
    return frozenset({str(value)}) if value else frozenset()


def _xmp_instant(exif: dict[str, Any], name: str, *, ends: bool) -> Values:
    out = set()
    for value in _tags(exif, name):
        text = value.replace(":", "-", 2) if value[4:5] == ":" else value
        moment = xmp_moment(text, ends)
        out.add(str(moment.isoformat() if moment else None))
    return frozenset(out)


def _iim_instant(exif: dict[str, Any], name: str, *, ends: bool) -> Values:
    """ExifTool's IIM date ("2026:12:08") and time ("12:00:00+01:00") as one instant."""
    date, time = exif.get(f"IPTC:{name}Date"), exif.get(f"IPTC:{name}Time")
    if not date:
        return frozenset()
    iim_date = str(date).replace(":", "")
    iim_time = str(time).replace(":", "") if time else None
    moment = iim_moment(iim_date, iim_time, ends)
    return frozenset({str(moment.isoformat() if moment else None)})


@dataclass
class Report:
    files: int = 0
    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    agreed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    mismatches: list[tuple[str, str, Values, Values]] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        total = sum(self.present.values())
        return sum(self.agreed.values()) / total if total else 1.0


def compare_files(paths: Iterable[Path]) -> Report:
    """Compare our reading of each file with ExifTool's, field by field."""
    paths = sorted(paths)
    report = Report()
    if not paths:
        return report
    run = subprocess.run(
        ["exiftool", "-j", "-n", "-G1", "-a", *map(str, paths)],
        capture_output=True,
        check=False,
        timeout=300,
    )
    theirs = {Path(e["SourceFile"]).name: e for e in json.loads(run.stdout or b"[]")}
    for path in paths:
        try:
            ours = read_embedded_file(path)
        except MetadataError:
            continue
        report.files += 1
        exif = theirs.get(path.name, {})
        for name, (read_ours, read_theirs) in FIELDS.items():
            expected = read_theirs(exif)
            if not expected:
                continue
            report.present[name] += 1
            actual = read_ours(ours)
            if actual == expected:
                report.agreed[name] += 1
            else:
                report.mismatches.append((path.name, name, expected, actual))
    return report


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m assets.metadata.compare_licensing DIR...", file=sys.stderr)
        return 2
    paths = [p for d in argv for p in Path(d).iterdir() if p.is_file()]
    report = compare_files(paths)
    print(f"{report.files} files")
    for name in FIELDS:
        if report.present[name]:
            print(f"{name:28} {report.agreed[name]:5}/{report.present[name]:<5}")
    for file, name, expected, actual in report.mismatches[:20]:
        print(f"  {file} {name}: exiftool={sorted(expected)} ours={sorted(actual)}")
    print(f"agreement {report.agreement:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
