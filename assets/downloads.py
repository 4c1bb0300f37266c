"""Downloads that carry their rights: the current record written into the file's IPTC and XMP.

The image data is copied byte for byte (`embed_rights` rewrites metadata segments only), so a
picture desk's other tools see the same restrictions rightsdesk enforces.
"""

from __future__ import annotations

import json
from typing import Any

from assets.metadata import LicensingFields, RightsFields, embed_rights
from assets.policies import asset_policy
from assets.tables import Asset


def rights_fields(asset: Asset) -> RightsFields:
    """What to embed: the restriction phrases as stated, the credit line, source, caption."""
    rights = asset.rights or {}
    phrases: list[str] = []
    for restriction in rights.get("restrictions", []):
        text = str(restriction.get("text") or "").strip()
        if text and text.casefold() not in {p.casefold() for p in phrases}:
            phrases.append(text)
    if asset.status == "killed":
        phrases.insert(0, f"KILLED: {asset.kill_reason or 'do not use'}")
    elif asset.status != "active":
        phrases.insert(0, "KILL REQUESTED: do not use until a rights manager decides")
    statement = " / ".join(phrases) or None
    return RightsFields(
        caption=asset.caption,
        special_instructions=statement,
        usage_terms=statement,
        credit=rights.get("credit_line"),
        source=rights.get("source"),
        copyright=rights.get("copyright"),
        licensing=licensing_fields(asset, marked=bool(phrases)),
    )


def licensing_fields(asset: Asset, *, marked: bool) -> LicensingFields:
    """PLUS and xmpRights values to write: what the file declared, our supplier, the policy."""
    embedded = asset.embedded or {}
    licensing: dict[str, list[dict[str, Any]]] = embedded.get("licensing") or {}
    provenance: dict[str, Any] = embedded.get("provenance") or {}

    def first(kind: str, entries: dict[str, Any] = licensing) -> str | None:
        values = entries.get(kind) or []
        return str(values[0]["value"]) if values and isinstance(values[0], dict) else None

    return LicensingFields(
        marked=True if marked else None,
        web_statement=first("web_statement"),
        image_supplier=(asset.rights or {}).get("agency") or first("image_supplier"),
        copyright_owner=first("copyright_owner"),
        licensor_url=first("licensor_url"),
        model_release_status=first("model_release_status"),
        property_release_status=first("property_release_status"),
        digital_source_type=first(
            "digital_source_type",
            {
                "digital_source_type": [
                    e
                    for e in provenance.get("digital_source_type") or []
                    if e.get("origin") == "xmp"
                ]
            },
        ),
        policy=json.dumps(asset_policy(asset), ensure_ascii=False, separators=(",", ":")),
    )


def with_rights_embedded(asset: Asset, data: bytes) -> bytes:
    """The file's bytes with the asset's current rights written in (JPEG and TIFF)."""
    return embed_rights(data, rights_fields(asset))
