"""Downloads that carry their rights: the current record written into the file's IPTC and XMP.

The image data is copied byte for byte (`embed_rights` rewrites metadata segments only), so a
picture desk's other tools see the same restrictions rightsdesk enforces.
"""

from __future__ import annotations

from assets.metadata import RightsFields, embed_rights
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
    )


def with_rights_embedded(asset: Asset, data: bytes) -> bytes:
    """The file's bytes with the asset's current rights written in (JPEG and TIFF)."""
    return embed_rights(data, rights_fields(asset))
