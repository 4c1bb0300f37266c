"""Parse XMP packets safely into properties keyed by namespace and name.

XMP is XML from an untrusted uploader, so it is parsed with defusedxml and DTDs are
refused outright: real XMP never has one, and a DTD is how external entities and
"billion laughs" expansion get in. A refused or malformed packet becomes a warning;
the rest of the file's metadata is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from assets.metadata.blocks import MAX_BLOCK_BYTES, xmp_too_large

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
XMP_NOTE = "http://ns.adobe.com/xmp/note/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"

PREFIXES: dict[str, str] = {
    DC: "dc",
    PHOTOSHOP: "photoshop",
    XMP_RIGHTS: "xmpRights",
    XMP_NOTE: "xmpNote",
    IPTC_CORE: "Iptc4xmpCore",
    IPTC_EXT: "Iptc4xmpExt",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/bj/": "xmpBJ",
    "http://ns.adobe.com/xap/1.0/t/pg/": "xmpTPg",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#": "stRef",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/lightroom/1.0/": "lr",
    PLUS: "plus",
    "http://purl.org/dc/terms/": "dcterms",
    "http://ns.microsoft.com/photo/1.0/": "MicrosoftPhoto",
    "http://ns.photomechanic.com/1.0/": "photomechanic",
    "http://ns.google.com/photos/1.0/camera/": "GCamera",
    "http://ns.google.com/photos/1.0/container/": "Container",
    "http://ns.google.com/photos/1.0/container/item/": "Item",
    "http://ns.adobe.com/hdr-gain-map/1.0/": "hdrgm",
    "https://rightsdesk.org/ns/xmp/1.0/": "rightsdesk",
}

_MAX_DEPTH = 32
# Parsing costs per element, not per byte, and expat slows down more than linearly on
# elements with very many attributes: cap both (counted in C before parsing) so any
# packet parses in well under a second. Real packets stay far below, even Photoshop's
# bloated DocumentAncestors lists (elements) or Lightroom's settings (a few hundred
# attributes).
_MAX_TAGS = 400_000
_MAX_ATTRIBUTES = 50_000
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

PropertyValue = str | list[Any] | dict[str, Any]


@dataclass(slots=True)
class XmpData:
    """Top-level XMP properties by (namespace URI, local name).

    Values: text; a list for rdf:Seq / rdf:Bag; a {lang: text} dict for rdf:Alt
    (lang-alt); a {"prefix:name": value} dict for structures.
    """

    properties: dict[tuple[str, str], PropertyValue] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    repeats: dict[tuple[str, str], list[PropertyValue]] = field(default_factory=dict)
    inner_texts: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def cannot_read(self, warning: str) -> None:
        """The packet (or part of it) could not be read: it may have stated rights."""
        self.warnings.append(warning)
        self.unreadable.append(warning)

    def every(self, namespace: str, name: str) -> list[PropertyValue]:
        """Every value the packet gives a property: the one kept, then any it repeated."""
        found = self.get(namespace, name)
        kept = [] if found is None else [found]
        return kept + self.repeats.get((namespace, name), [])

    def get(self, namespace: str, name: str) -> PropertyValue | None:
        """The value of one property, or None."""
        return self.properties.get((namespace, name))

    def text(self, namespace: str, name: str) -> str | None:
        """A property read as one string: x-default of a lang-alt, "; "-joined list items."""
        return as_text(self.get(namespace, name))

    def raw(self) -> dict[str, Any]:
        """JSON-friendly view keyed "prefix:Name" (unknown namespaces keep "{uri}Name")."""
        return {qualified(ns, name): value for (ns, name), value in self.properties.items()}

    def merge(self, other: XmpData) -> None:
        """Add properties from extended XMP; the main packet wins on conflicts."""
        for key, value in other.properties.items():
            if key in self.properties and self.properties[key] != value:
                self.repeats.setdefault(key, []).append(value)
            self.properties.setdefault(key, value)
        for key, values in other.repeats.items():
            self.repeats.setdefault(key, []).extend(values)
        for key, texts in other.inner_texts.items():
            self.inner_texts.setdefault(key, []).extend(texts)
        self.warnings.extend(other.warnings)
        self.unreadable.extend(other.unreadable)


def qualified(namespace: str, name: str) -> str:
    """Human name of a property: "dc:description"."""
    prefix = PREFIXES.get(namespace)
    return f"{prefix}:{name}" if prefix else f"{{{namespace}}}{name}"


def as_text(value: PropertyValue | None) -> str | None:
    """One string for a property: lang-alt x-default (else first language), joined lists."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "x-default" in value and isinstance(value["x-default"], str):
            return value["x-default"]
        texts = [v for k, v in value.items() if isinstance(v, str) and ":" not in k]
        return texts[0] if texts else None
    items = [v for v in value if isinstance(v, str)]
    return "; ".join(items) if items else None


def as_list(value: PropertyValue | None) -> list[str]:
    """A property read as a list of strings (a bare string becomes one item)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        text = as_text(value)
        return [text] if text else []
    return [v for v in value if isinstance(v, str)]


def parse_xmp(packet: bytes) -> XmpData:
    """Parse one XMP packet (UTF-8, UTF-16 or UTF-32, with or without BOM); never raises."""
    result = XmpData()
    if len(packet) > MAX_BLOCK_BYTES:
        result.cannot_read(xmp_too_large(len(packet)))
        return result
    if packet.count(b"<") > _MAX_TAGS or packet.count(b"=") > _MAX_ATTRIBUTES:
        result.cannot_read(
            f"XMP packet has more than {_MAX_TAGS} tags or {_MAX_ATTRIBUTES} attributes; "
            "XMP ignored"
        )
        return result
    problems: list[str] = []
    root = parse_root(packet, result.warnings, problems)
    result.unreadable.extend(problems)
    if root is None:
        return result
    rdf_roots = [root] if root.tag == f"{{{RDF}}}RDF" else list(root.iter(f"{{{RDF}}}RDF"))
    for rdf in rdf_roots:
        for node in rdf:
            properties: dict[tuple[str, str], PropertyValue] = {}
            _read_node(node, properties, 0)
            _keep_inner_texts(node, result.inner_texts)
            for key, value in properties.items():
                # a property stated again (another rdf:Description) shows its last value, as
                # before; the earlier ones are kept too, because any of them may state rights
                earlier = result.properties.get(key)
                if earlier is not None and earlier != value:
                    result.repeats.setdefault(key, []).append(earlier)
                result.properties[key] = value
    return result


def parse_root(
    packet: bytes, warnings: list[str], unreadable: list[str] | None = None
) -> Element | None:
    """The XML root of a packet, or None (with a warning) when it is refused or damaged.

    A packet refused or damaged is also added to `unreadable`: it may have stated rights.
    """
    lost = [] if unreadable is None else unreadable

    def refuse(warning: str) -> None:
        warnings.append(warning)
        lost.append(warning)

    text = _decode(packet, warnings)
    start, end = text.find("<"), text.rfind(">")
    if start < 0 or end < start:
        if text.strip(" \t\r\n\x00"):
            refuse("XMP packet holds no XML; XMP ignored")
        return None
    text = _DECLARATION.sub("", text[start : end + 1], count=1)
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as exc:
        refuse(
            f"XMP declares a DTD or entities ({type(exc).__name__}), which XMP never needs "
            "and attacks use; XMP ignored"
        )
        return None
    except ParseError as exc:
        refuse(f"XMP is not well-formed XML ({exc}); XMP ignored")
        return None
    return root if isinstance(root, Element) else None


def _decode(packet: bytes, warnings: list[str]) -> str:
    """Pick the encoding from a BOM or from where the NUL bytes fall around the first '<'."""
    boms = (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    )
    for bom, codec in boms:
        if packet.startswith(bom):
            return packet[len(bom) :].decode(codec, errors="replace")
    head = packet[:4]
    if head == b"<\x00\x00\x00":
        return packet.decode("utf-32-le", errors="replace")
    if head == b"\x00\x00\x00<":
        return packet.decode("utf-32-be", errors="replace")
    if head[:2] == b"<\x00":
        return packet.decode("utf-16-le", errors="replace")
    if head[:2] == b"\x00<":
        return packet.decode("utf-16-be", errors="replace")
    try:
        return packet.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append("XMP is not valid UTF-8; damaged characters were replaced")
        return packet.decode("utf-8", errors="replace")


# RDF attributes that carry syntax, not text; rdf:value is the value itself and is kept.
_RDF_SYNTAX = frozenset(
    f"{{{RDF}}}{name}" for name in ("about", "resource", "parseType", "datatype", "ID", "nodeID")
) | {XML_LANG}


def _keep_inner_texts(node: Element, out: dict[tuple[str, str], list[str]]) -> None:
    """Every text inside each property of an rdf:Description, however it is written.

    The structured reading (`_value`) follows the XMP data model and drops what does not fit
    it: a second x-default of a lang-alt, an `rdf:value` qualifier, text beside a child
    element, nested containers. A reader of rights must not: whatever text a property holds
    may state a restriction, so every text node and attribute value is kept here too.
    """
    for child in node:
        if not isinstance(child.tag, str):
            continue
        texts = [t.strip() for t in child.itertext() if t.strip()]
        texts += [
            value.strip()
            for element in child.iter()
            for name, value in element.attrib.items()
            if name not in _RDF_SYNTAX and value.strip()
        ]
        if texts:
            out.setdefault(_split(child.tag), []).extend(texts)


def _split(tag: str) -> tuple[str, str]:
    """ "{ns}local" -> (ns, local)."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _read_node(node: Element, out: dict[tuple[str, str], PropertyValue], depth: int) -> None:
    """Read the properties of an rdf:Description (attributes and child elements) into `out`."""
    for attr, value in node.attrib.items():
        ns, local = _split(attr)
        if ns != RDF and attr != XML_LANG:
            out[(ns, local)] = value
    for child in node:
        if not isinstance(child.tag, str):
            continue
        out[_split(child.tag)] = _value(child, depth + 1)


def _value(elem: Element, depth: int) -> PropertyValue:
    """The value of a property element: text, container, lang-alt or structure."""
    if depth > _MAX_DEPTH:
        return ""
    resource = elem.get(f"{{{RDF}}}resource")
    if resource is not None:
        return resource
    children = [c for c in elem if isinstance(c.tag, str)]
    if not children:
        struct_attrs = {
            qualified(*_split(k)): v
            for k, v in elem.attrib.items()
            if not k.startswith(f"{{{RDF}}}") and k != XML_LANG
        }
        return struct_attrs if struct_attrs else (elem.text or "")
    first = children[0]
    if first.tag == f"{{{RDF}}}Alt":
        alt: dict[str, Any] = {}
        for li in first:
            alt.setdefault(li.get(XML_LANG, "x-default"), _value(li, depth + 1))
        return alt
    if first.tag in (f"{{{RDF}}}Seq", f"{{{RDF}}}Bag"):
        return [_value(li, depth + 1) for li in first if isinstance(li.tag, str)]
    struct: dict[tuple[str, str], PropertyValue] = {}
    if elem.get(f"{{{RDF}}}parseType") == "Resource":
        _read_node(elem, struct, depth)
    elif first.tag == f"{{{RDF}}}Description":
        _read_node(first, struct, depth)
    else:
        _read_node(elem, struct, depth)
    return {qualified(ns, name): value for (ns, name), value in struct.items()}
