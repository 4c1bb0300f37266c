"""Write the licensing properties of a download into its XMP: PLUS, xmpRights, the policy.

PLUS parties are lists of structures (plus:ImageSupplier/plus:ImageSupplierName ...), written
as ExifTool and Photo Mechanic write them. The asset's ODRL/RightsML policy travels as JSON-LD
text in `rightsdesk:OdrlPolicy`, which our reader reads back as a policy delivered with the
image, and which ExifTool lists among the file's XMP.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element, SubElement, register_namespace

from assets.metadata.model import LicensingFields
from assets.metadata.plus import RIGHTSDESK_XMP
from assets.metadata.xmp import IPTC_EXT, PLUS, RDF, XMP_RIGHTS

register_namespace("rightsdesk", RIGHTSDESK_XMP)

# attribute -> (namespace, property, struct member or None)
_PROPERTIES: dict[str, tuple[str, str, str | None]] = {
    "web_statement": (XMP_RIGHTS, "WebStatement", None),
    "image_supplier": (PLUS, "ImageSupplier", "ImageSupplierName"),
    "copyright_owner": (PLUS, "CopyrightOwner", "CopyrightOwnerName"),
    "licensor_url": (PLUS, "Licensor", "LicensorURL"),
    "model_release_status": (PLUS, "ModelReleaseStatus", None),
    "property_release_status": (PLUS, "PropertyReleaseStatus", None),
    "digital_source_type": (IPTC_EXT, "DigitalSourceType", None),
    "policy": (RIGHTSDESK_XMP, "OdrlPolicy", None),
}


def write_licensing(
    descriptions: list[Element], fields: LicensingFields, clean: Callable[[str], str]
) -> None:
    """Set each given property on the first rdf:Description, removing it from all of them.

    `clean` strips characters XML cannot carry (the caller's, so both writers agree).
    """
    values: dict[str, str] = {
        name: getattr(fields, name) for name in _PROPERTIES if getattr(fields, name) is not None
    }
    if fields.marked is not None:
        _drop(descriptions, XMP_RIGHTS, "Marked")
        _text(descriptions[0], XMP_RIGHTS, "Marked", "True" if fields.marked else "False")
    for name, value in values.items():
        ns, prop, member = _PROPERTIES[name]
        _drop(descriptions, ns, prop)
        text = clean(value)
        if not text:
            continue
        if member is None:
            _text(descriptions[0], ns, prop, text)
        else:
            seq = SubElement(SubElement(descriptions[0], f"{{{ns}}}{prop}"), f"{{{RDF}}}Seq")
            item = SubElement(seq, f"{{{RDF}}}li", {f"{{{RDF}}}parseType": "Resource"})
            SubElement(item, f"{{{ns}}}{member}").text = text


def _drop(descriptions: list[Element], ns: str, local: str) -> None:
    for node in descriptions:
        node.attrib.pop(f"{{{ns}}}{local}", None)
        for child in node.findall(f"{{{ns}}}{local}"):
            node.remove(child)


def _text(node: Element, ns: str, local: str, value: str) -> None:
    SubElement(node, f"{{{ns}}}{local}").text = value
