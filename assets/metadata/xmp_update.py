"""Set the rights properties in an XMP packet, keeping every other property it holds.

The existing packet is parsed with the same defences as the reader; if it is refused or
damaged it is replaced by a fresh packet that holds only the rights, because a packet we
cannot parse safely is not one we should pass on to the next system.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from assets.metadata.model import RightsFields
from assets.metadata.xmp import DC, PHOTOSHOP, PREFIXES, RDF, XML_LANG, XMP_RIGHTS, parse_root
from assets.metadata.xmp_licensing import write_licensing

X_META = "adobe:ns:meta/"
_PACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_END = '<?xpacket end="w"?>'
PADDING = 2048
# Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, surrogates, FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# RightsFields attribute -> (namespace, name, lang-alt?)
RIGHTS_PROPERTIES = {
    "caption": (DC, "description", True),
    "copyright": (DC, "rights", True),
    "usage_terms": (XMP_RIGHTS, "UsageTerms", True),
    "special_instructions": (PHOTOSHOP, "Instructions", False),
    "credit": (PHOTOSHOP, "Credit", False),
    "source": (PHOTOSHOP, "Source", False),
}

for _uri, _prefix in {**PREFIXES, RDF: "rdf", X_META: "x"}.items():
    register_namespace(_prefix, _uri)


def update_xmp(existing: bytes | None, fields: RightsFields, padding: int = PADDING) -> bytes:
    """A UTF-8 XMP packet: `existing` with the rights properties of `fields` set."""
    root = parse_root(existing, []) if existing else None
    if root is None or root.tag not in (f"{{{X_META}}}xmpmeta", f"{{{RDF}}}RDF"):
        root = Element(f"{{{X_META}}}xmpmeta")
    rdf = root if root.tag == f"{{{RDF}}}RDF" else root.find(f".//{{{RDF}}}RDF")
    if rdf is None:
        rdf = SubElement(root, f"{{{RDF}}}RDF")
    descriptions = [n for n in rdf if n.tag == f"{{{RDF}}}Description"]
    if not descriptions:
        descriptions = [SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})]
    for name, (ns, local, lang_alt) in RIGHTS_PROPERTIES.items():
        value = getattr(fields, name)
        if value is None:
            continue
        for node in descriptions:
            node.attrib.pop(f"{{{ns}}}{local}", None)
            for child in node.findall(f"{{{ns}}}{local}"):
                node.remove(child)
        if value:
            _add(descriptions[0], ns, local, _NOT_XML.sub("", value), lang_alt)
    if fields.licensing is not None:
        write_licensing(descriptions, fields.licensing, lambda text: _NOT_XML.sub("", text))
    body = tostring(root, encoding="unicode")
    return (_PACKET_BEGIN + body + "\n" + " " * padding + "\n" + _PACKET_END).encode("utf-8")


def _add(node: Element, ns: str, local: str, value: str, lang_alt: bool) -> None:
    """Append one property: simple text, or an rdf:Alt with an x-default item."""
    prop = SubElement(node, f"{{{ns}}}{local}")
    if lang_alt:
        alt = SubElement(prop, f"{{{RDF}}}Alt")
        item = SubElement(alt, f"{{{RDF}}}li", {XML_LANG: "x-default"})
        item.text = value
    else:
        prop.text = value
