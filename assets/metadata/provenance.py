"""Provenance: IPTC DigitalSourceType (XMP and C2PA assertions) and the C2PA manifest itself.

Which source types prove a camera capture is data (`digital_source_types.toml`); the rights
reading turns anything else into a SYNTHETIC_MEDIA restriction citing the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from assets.metadata.plus import MAX_VALUES
from assets.metadata.xmp import IPTC_EXT, XmpData, as_list

SOURCE_TYPE_IRI = "http://cv.iptc.org/newscodes/digitalsourcetype/"
_IRIS = (SOURCE_TYPE_IRI, "https://cv.iptc.org/newscodes/digitalsourcetype/")


@cache
def _kinds() -> dict[str, str]:
    table = tomllib.loads((Path(__file__).with_name("digital_source_types.toml")).read_text())
    return {
        **{code: "capture" for code in table["capture"]},
        **{code: "synthetic" for code in table["synthetic"]},
    }


def source_kind(value: str) -> str:
    """ "capture", "synthetic" or "unknown" for a DigitalSourceType value (URI or bare code)."""
    text = value.strip()
    for iri in _IRIS:
        if text.startswith(iri):
            text = text[len(iri) :]
            break
    else:
        if ":" in text or "/" in text:
            return "unknown"
    return _kinds().get(text.strip("/"), "unknown")


def read_provenance(xmp: Iterable[XmpData], manifest: dict[str, Any] | None) -> dict[str, Any]:
    """{"digital_source_type": [entries], "c2pa": manifest or None} for the API and the rights."""
    entries: list[dict[str, Any]] = []

    def add(entry: dict[str, Any]) -> None:
        if entry in entries or len(entries) > MAX_VALUES:
            return
        if len(entries) == MAX_VALUES:  # once: values not read are not proof of a capture
            entry = {**entry, "value": f"(more than {MAX_VALUES} values)", "kind": "unknown"}
        entries.append(entry)

    for packet in xmp:
        for value in packet.every(IPTC_EXT, "DigitalSourceType"):
            if isinstance(value, str) and not value.strip():
                continue  # blank: not stated
            for text in (as_list(value) or [f"(unreadable value {value!r:.80})"])[: MAX_VALUES + 1]:
                add(
                    {
                        "field": "Iptc4xmpExt:DigitalSourceType",
                        "origin": "xmp",
                        "value": text.strip(),
                        "kind": source_kind(text),
                    }
                )
    if manifest is not None:
        generator = manifest.get("claim_generator") or "unnamed generator"
        for uri in manifest.get("digital_source_types", []):
            add(
                {
                    "field": f"C2PA manifest ({generator}) digitalSourceType",
                    "origin": "file",
                    "value": uri,
                    "kind": source_kind(uri),
                }
            )
    out: dict[str, Any] = {"c2pa": manifest}
    if entries:
        out["digital_source_type"] = entries
    return out
