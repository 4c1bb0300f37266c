"""NewsML-G2 newsItem sidecars (a bare newsItem, or the first picture item of a newsMessage).

Read by local element names, so a sidecar with or without the NewsML-G2 namespace
(http://iptc.org/std/nar/2006-10-01/) reads the same. defusedxml refuses DTDs, so no entity
is ever expanded and no external resource fetched.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from assets.feeds.sidecar import Sidecar, SidecarError, clean_text, parse_moment

# pubStatus and signal codes (stat:*, sig:*, or their NewsCodes URIs) as Sidecar signals
_STATUS_SIGNALS = {"withheld": "withhold", "canceled": "kill", "cancelled": "kill"}
_SIGNALS = {
    "update": "update",
    "correction": "correction",
    "kill": "kill",
    "withhold": "withhold",
    "withheld": "withhold",
}


def read_newsml(data: bytes) -> Sidecar:
    root = _parse(data)
    item = _news_item(root)
    sidecar = Sidecar(
        standard="newsml-g2",
        item_id=clean_text(item.get("guid")),
        version=clean_text(item.get("version")),
    )
    item_meta = _child(item, "itemMeta")
    content_meta = _child(item, "contentMeta")
    if item_meta is not None:
        sidecar.ednote = _joined(item_meta, "edNote")
        status = _code(_child(item_meta, "pubStatus"))
        sidecar.pub_status = status
        if status in _STATUS_SIGNALS:
            sidecar.signals.add(_STATUS_SIGNALS[status])
        for signal in _children(item_meta, "signal"):
            code = _code(signal)
            if code in _SIGNALS:
                sidecar.signals.add(_SIGNALS[code])
        sidecar.embargo_until = parse_moment(_text(_child(item_meta, "embargoed")), "embargoed")
    notices: list[str | None] = []
    for rights in _children(item, "rightsInfo"):
        notice = _joined(rights, "copyrightNotice")
        holder = _child(rights, "copyrightHolder")
        sidecar.copyright = sidecar.copyright or notice or _name(holder)
        notices += [notice, _name(holder)]
        for terms in _children(rights, "usageTerms"):
            if text := _text(terms):
                sidecar.usage_terms.append(text)
    sidecar.keep_also("copyright", notices, sidecar.copyright)
    if content_meta is not None:
        sidecar.description = _description(content_meta)
        every = [_text(d) for d in _children(content_meta, "description")]
        sidecar.keep_also("caption", every, sidecar.description)
        sidecar.headline = _joined(content_meta, "headline")
        sidecar.credit = _joined(content_meta, "creditline")
        sidecar.dateline = _joined(content_meta, "dateline")
        sidecar.byline = _name(_child(content_meta, "creator")) or _joined(content_meta, "by")
        sidecar.located = _name(_child(content_meta, "located"))
    content_set = _child(item, "contentSet")
    if content_set is not None:
        for content in content_set:
            href = clean_text(content.get("href"))
            if href and _local(content.tag) == "remoteContent":
                sidecar.renditions.append(href)
    return sidecar


def _parse(data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True)
    except DefusedXmlException as exc:
        raise SidecarError(f"NewsML-G2 sidecar refused: {type(exc).__name__} (no DTDs)") from exc
    except ParseError as exc:
        raise SidecarError(f"NewsML-G2 sidecar is not well-formed XML: {exc}") from exc
    return root


def _news_item(root: Element) -> Element:
    if _local(root.tag) == "newsItem":
        return root
    if _local(root.tag) == "newsMessage":
        items = [e for e in root.iter() if _local(e.tag) == "newsItem"]
        pictures = [i for i in items if _item_class(i) in {"picture", "graphic", None}]
        if pictures:
            return pictures[0]
        raise SidecarError("NewsML-G2 newsMessage carries no picture newsItem")
    raise SidecarError(f"an .xml sidecar must be a NewsML-G2 newsItem, not <{_local(root.tag)}>")


def _item_class(item: Element) -> str | None:
    meta = _child(item, "itemMeta")
    return _code(_child(meta, "itemClass")) if meta is not None else None


def _description(content_meta: Element) -> str | None:
    """The caption: the description whose role is a caption, else the first description."""
    descriptions = _children(content_meta, "description")
    for description in descriptions:
        if "caption" in (description.get("role") or "").lower():
            return _text(description)
    return _text(descriptions[0]) if descriptions else None


def _code(element: Element | None) -> str | None:
    """The last segment of a qcode (`stat:usable`) or URI (`.../signal/correction`)."""
    if element is None:
        return None
    value = element.get("qcode") or element.get("uri") or ""
    code = value.replace("/", ":").rstrip(":").rsplit(":", 1)[-1].strip().lower()
    return code or None


def _name(element: Element | None) -> str | None:
    if element is None:
        return None
    names = _children(element, "name")
    return _text(names[0]) if names else clean_text(element.get("literal"))


def _joined(parent: Element, name: str) -> str | None:
    texts = [t for t in (_text(e) for e in _children(parent, name)) if t]
    return "\n".join(texts) or None


def _text(element: Element | None) -> str | None:
    """All the text inside an element (inline markup such as <span> read through)."""
    if element is None:
        return None
    return clean_text(" ".join("".join(element.itertext()).split()))


def _child(parent: Element, name: str) -> Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _children(parent: Element, name: str) -> list[Element]:
    return [e for e in parent if _local(e.tag) == name]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
