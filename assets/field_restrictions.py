"""Restrictions stated by licensing and provenance fields rather than by words.

A release date is an embargo, an expiration date an expiry, a release status short of full
releases a MODEL_RELEASE review, a source type that is no proven camera capture a
SYNTHETIC_MEDIA review. Each restriction's phrase is the field and its value, with the block
it was read from as its origin, so a reason cites exactly what the file says. Fail closed: a
status or a source type nobody can read counts as the restricting answer, and a date that
cannot be read gives a window without an end, which the policy reviews.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rights import Code, Origin, Restriction
from rights.odrl import policy_json, read_policy
from rights.odrl_import import MAX_RESTRICTIONS

_RELEASED = frozenset({"unlimited", "not_applicable"})
_STATUS_WORDS = {
    "none": "no release",
    "limited": "limited or incomplete releases",
    "unknown": "a status that is no PLUS value",
    "not_applicable": "not applicable",
    "unlimited": "unlimited releases",
}


def field_restrictions(
    licensing: dict[str, list[dict[str, Any]]], provenance: dict[str, Any]
) -> list[Restriction]:
    """The restrictions the file's licensing and provenance values state."""
    out: list[Restriction] = []
    for entry in licensing.get("release", []):
        out.append(_restriction(Code.EMBARGO, entry, embargo_until=_moment(entry)))
    for entry in licensing.get("expiration", []):
        out.append(_restriction(Code.EXPIRY, entry, expires_at=_moment(entry)))
    out.extend(_releases(licensing))
    out.extend(_policies(licensing.get("policy", [])))
    for entry in provenance.get("digital_source_type", []):
        if entry.get("kind") != "capture":
            out.append(_restriction(Code.SYNTHETIC_MEDIA, entry))
    return out


def _releases(licensing: dict[str, list[dict[str, Any]]]) -> list[Restriction]:
    """MODEL_RELEASE for each status short of full releases; people named without any status."""
    out: list[Restriction] = []
    for kind in ("model_release_status", "property_release_status"):
        for entry in licensing.get(kind, []):
            status = str(entry.get("status") or "unknown")
            if status not in _RELEASED:
                out.append(_restriction(Code.MODEL_RELEASE, entry, words=_STATUS_WORDS.get(status)))
    statuses = {str(e.get("status")) for e in licensing.get("model_release_status", [])}
    people = licensing.get("people", []) + licensing.get("model_age", [])
    if people and not statuses & {"unlimited"} and not out:
        first = people[0]
        out.append(
            _restriction(
                Code.MODEL_RELEASE, first, words="people pictured, no model release stated"
            )
        )
    return out


def _restriction(
    code: Code, entry: dict[str, Any], *, words: str | None = None, **fields: Any
) -> Restriction:
    text = f'{entry.get("field")} "{entry.get("value")}"'
    if words:
        text += f" ({words})"
    return Restriction(code, text, _origin(entry.get("origin")), **fields)


def _origin(name: object) -> Origin:
    try:
        return Origin(str(name))
    except ValueError:
        return Origin.FILE


def _moment(entry: dict[str, Any]) -> datetime | None:
    at = entry.get("at")
    if not isinstance(at, str):
        return None
    try:
        return datetime.fromisoformat(at)
    except ValueError:
        return None


def _policies(entries: list[dict[str, Any]]) -> list[Restriction]:
    """Every policy's restrictions, one policy's worth at most (MAX_RESTRICTIONS): a file
    carrying many policies of many rules is read in bounded time, and the rest reviews."""
    out: list[Restriction] = []
    for entry in entries:
        for restriction in _policy(entry):
            if len(out) >= MAX_RESTRICTIONS:
                rest = f"{entry.get('field')}: policies stating more than {MAX_RESTRICTIONS}"
                out.append(Restriction(Code.OTHER, f"{rest} restrictions", Origin.POLICY))
                return out
            if restriction not in out:
                out.append(restriction)
    return out


def _policy(entry: dict[str, Any]) -> list[Restriction]:
    """The restrictions of an ODRL policy delivered in the file; unreadable: one OTHER."""
    try:
        return list(read_policy(policy_json(str(entry.get("value")))).restrictions)
    except (ValueError, RecursionError):  # PolicyError is a ValueError
        return [
            Restriction(
                Code.OTHER,
                f"{entry.get('field')}: an ODRL policy that could not be read",
                Origin.POLICY,
            )
        ]
