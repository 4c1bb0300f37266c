"""IPTC ninjs sidecars, 1.x (`description_text`, `byline`, `renditions` by name) and 2.x
(`descriptions`, `headlines`, `by`, `renditions` as a list): both read into one Sidecar."""

from __future__ import annotations

import json
from typing import Any

from assets.feeds.sidecar import Sidecar, SidecarError, clean_text, parse_moment

_STATUS_SIGNALS = {"withheld": "withhold", "canceled": "kill", "cancelled": "kill"}
_SIGNALS = {"update", "correction", "kill", "withhold"}
_MAX_DEPTH = 64
# Fields that carry rights, identity or a withdrawal: one of another type is refused rather
# than skipped, so a restriction or a kill is never dropped for being spelled unexpectedly.
_TEXTS = (
    "uri",
    "guid",
    "description_text",
    "body_text",
    "copyrightnotice",
    "ednote",
    "pubstatus",
    "creditline",
    "credit",
)


def read_ninjs(data: bytes) -> Sidecar:
    """One Sidecar from a ninjs 1.x or 2.x document, checked whole first so a rights field
    of an unexpected shape refuses the file rather than being passed over."""
    item = _load(data)
    sidecar = _core_fields(item)
    holder = item.get("copyrightholder")
    if sidecar.copyright is None:
        sidecar.copyright = _holder_copyright(holder)
    sidecar.credit = clean_text(item.get("creditline")) or clean_text(item.get("credit"))
    terms = item.get("usageterms")
    sidecar.usage_terms = [t for t in (clean_text(x) for x in _as_list(terms)) if t]
    sidecar.pub_status = _pub_status(item)
    sidecar.signals.update(_signals(item, sidecar.pub_status))
    sidecar.renditions = _renditions(item.get("renditions"))
    sidecar.keep_also("caption", _caption_texts(item), sidecar.description)
    holder_name = holder.get("name") if isinstance(holder, dict) else holder
    sidecar.keep_also("copyright", [clean_text(holder_name)], sidecar.copyright)
    return sidecar


def _load(data: bytes) -> dict[str, Any]:
    """The document as a JSON object, refused when it is not one, nests too deep, holds a
    rights field of the wrong shape or text no database can store."""
    try:
        item = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SidecarError(f"ninjs sidecar is not JSON: {exc}") from exc
    if not isinstance(item, dict):
        raise SidecarError("a ninjs sidecar must be a JSON object")
    _check_depth(item, 0)
    _check_rights_shapes(item)
    try:  # `\ud800` escapes decode to lone surrogates, which no database stores as text
        json.dumps(item, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SidecarError("ninjs sidecar holds a string that is not Unicode text") from exc
    return item


def _core_fields(item: dict[str, Any]) -> Sidecar:
    """The fields both versions spell, taking the 1.x name before the 2.x list."""
    return Sidecar(
        standard="ninjs",
        item_id=clean_text(item.get("uri") or item.get("guid")),
        version=clean_text(str(item["version"])) if item.get("version") is not None else None,
        description=_description(item),
        headline=clean_text(item.get("headline")) or _first_value(item.get("headlines")),
        byline=_byline(item),
        copyright=clean_text(item.get("copyrightnotice")),
        ednote=clean_text(item.get("ednote")),
        located=clean_text(item.get("located")) or _first_name(item.get("places")),
        embargo_until=parse_moment(_string(item.get("embargoed"), "embargoed"), "embargoed"),
    )


def _holder_copyright(holder: Any) -> str | None:
    """The copyright holder, a string or an object with a name, stands in for a missing
    copyright notice."""
    return clean_text(holder) or (
        clean_text(holder.get("name")) if isinstance(holder, dict) else None
    )


def _pub_status(item: dict[str, Any]) -> str | None:
    """`pubstatus` in lower case, so `Canceled` withdraws like `canceled`."""
    status = clean_text(item.get("pubstatus"))
    return status.lower() if status else None


def _signals(item: dict[str, Any], pub_status: str | None) -> set[str]:
    """The signals a picture's handling depends on, from its status and its signal codes:
    a withheld or cancelled item must be withdrawn even with no signal list."""
    found = {_STATUS_SIGNALS[pub_status]} if pub_status in _STATUS_SIGNALS else set()
    for signal in _as_list(item.get("signals")):
        name = _signal_name(signal)
        if name in _SIGNALS:
            found.add(name)
    return found


def _signal_name(signal: Any) -> str | None:
    """A signal's last code segment (`sig:kill`, `.../signal/kill` -> `kill`), whichever
    way it is given: a bare string or an object with a `code` or `qcode`."""
    code = signal.get("code") or signal.get("qcode") if isinstance(signal, dict) else signal
    if not isinstance(code, str):
        return None
    return code.replace("/", ":").rsplit(":", 1)[-1].strip().lower()


def _caption_texts(item: dict[str, Any]) -> list[str | None]:
    """Every caption-like text, so those not taken as the caption are kept besides it."""
    texts = [clean_text(item.get(key)) for key in ("description_text", "body_text")]
    for key in ("descriptions", "bodies"):
        texts += [clean_text(d.get("value")) for d in _dicts(item.get(key))]
    return texts


def _description(item: dict[str, Any]) -> str | None:
    """The caption: a 1.x text field, else a 2.x description, else a body."""
    for key in ("description_text", "body_text"):
        if text := clean_text(item.get(key)):
            return text
    descriptions = [d for d in _as_list(item.get("descriptions")) if isinstance(d, dict)]
    captions = [d for d in descriptions if "caption" in str(d.get("role") or "").lower()]
    if captions:
        return clean_text(captions[0].get("value"))
    return _first_plain(descriptions) or _first_body(item)


def _first_plain(descriptions: list[dict[str, Any]]) -> str | None:
    """The first description with text, plain text preferred over HTML."""
    plain = [d for d in descriptions if "html" not in str(d.get("contenttype") or "")]
    for description in plain or descriptions:
        if text := clean_text(description.get("value")):
            return text
    return None


def _first_body(item: dict[str, Any]) -> str | None:
    """The first body with text, the caption of last resort."""
    bodies = [b for b in _as_list(item.get("bodies")) if isinstance(b, dict)]
    return next((t for b in bodies if (t := clean_text(b.get("value")))), None)


def _byline(item: dict[str, Any]) -> str | None:
    for key in ("byline", "by"):
        if text := clean_text(item.get(key)):
            return text
    names = [clean_text(b.get("byline") or b.get("name")) for b in _dicts(item.get("bylines"))]
    return "; ".join(n for n in names if n) or None


def _renditions(value: Any) -> list[str]:
    """1.x: {"name": {"href": ...}}; 2.x: [{"name": ..., "href": ...}]."""
    entries = list(value.values()) if isinstance(value, dict) else _as_list(value)
    return [h for h in (clean_text(e.get("href")) for e in entries if isinstance(e, dict)) if h]


def _first_value(value: Any) -> str | None:
    return next((t for d in _dicts(value) if (t := clean_text(d.get("value")))), None)


def _first_name(value: Any) -> str | None:
    return next((t for d in _dicts(value) if (t := clean_text(d.get("name")))), None)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [d for d in _as_list(value) if isinstance(d, dict)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _string(value: Any, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise SidecarError(f"ninjs {what} must be a date-time string, not {type(value).__name__}")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique: with two `usageterms`, which one would count?"""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise SidecarError(f"ninjs sidecar repeats the key {key!r}")
        found[key] = value
    return found


def _check_rights_shapes(item: dict[str, Any]) -> None:
    """Refuse a rights-bearing field of a shape the reader would otherwise pass over."""
    for key in _TEXTS:
        _expect(item.get(key) is None or isinstance(item[key], str), key, "a string")
    terms = item.get("usageterms")
    _expect(all(isinstance(t, str) for t in _as_list(terms)), "usageterms", "text")
    holder = item.get("copyrightholder")
    _expect(
        holder is None
        or isinstance(holder, str)
        or (isinstance(holder, dict) and isinstance(holder.get("name", ""), str)),
        "copyrightholder",
        "a string or an object with a string name",
    )
    for description in _as_list(item.get("descriptions")):
        _expect(
            isinstance(description, dict) and isinstance(description.get("value", ""), str),
            "descriptions",
            "a list of objects with string values",
        )
    for signal in _as_list(item.get("signals")):
        code = signal.get("code") or signal.get("qcode") if isinstance(signal, dict) else signal
        _expect(isinstance(code, str), "signals", "codes as strings")


def _expect(ok: bool, key: str, shape: str) -> None:
    if not ok:
        raise SidecarError(f"ninjs {key} must be {shape}; refused rather than skipped")


def _check_depth(value: Any, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise SidecarError(f"ninjs sidecar nests deeper than {_MAX_DEPTH} levels")
    if isinstance(value, dict):
        for inner in value.values():
            _check_depth(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            _check_depth(inner, depth + 1)
