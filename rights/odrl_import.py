"""An ODRL policy read as restrictions with origin `policy`: it only ever adds.

A permission never lifts anything; whatever cannot be mapped exactly (an action, a constraint,
an operator, a value, a key, a JSON-LD context that could give a term another meaning) is
OTHER, which reviews. Terms and keys are read compact, prefixed or as IRIs, and the same key
written two ways is read as one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rights.errors import PolicyError
from rights.moment import representable, utc
from rights.odrl_terms import (
    CONTEXT,
    EVERY_PURPOSE,
    ISO_COUNTRY,
    ODRL,
    ODRL_CONTEXT,
    PURPOSE_IRI,
    RDSK,
    RELEASE_PURPOSES,
    USE_ACTIONS,
    PolicyReading,
)
from rights.record import Restriction
from rights.rules import BARRED_PURPOSES
from rights.territory import territory_code
from rights.vocabulary import Code, Origin, Purpose


@dataclass(slots=True)
class _Import:
    restrictions: list[Restriction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    credit_line: str | None = None
    retention: int | None = None
    meanings: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, restriction: Restriction) -> None:
        """Keep one restriction per meaning: a permission constraint and the prohibition that
        state the same thing (as an export writes both) are one restriction. Beyond
        MAX_RESTRICTIONS, one OTHER stands for the rest: every use reviews."""
        meaning = _meaning(restriction)
        if meaning in self.meanings:
            return
        if len(self.restrictions) >= MAX_RESTRICTIONS:
            meaning = (Code.OTHER, "overflow")
            restriction = Restriction(Code.OTHER, _OVERFLOW, Origin.POLICY)
            if meaning in self.meanings:
                return
        self.meanings.add(meaning)
        self.restrictions.append(restriction)

    def other(self, phrase: str, why: str) -> None:
        if len(self.notes) < MAX_RESTRICTIONS:
            self.notes.append(f"{phrase}: {why}; read as OTHER (review)")
        self.add(Restriction(Code.OTHER, phrase, Origin.POLICY))


MAX_RESTRICTIONS = 256
"""Restrictions read from one policy: an export states a few dozen; more is a flood, and what
it would add beyond is one OTHER (review) rather than time and storage without end."""
_OVERFLOW = f"a policy stating more than {MAX_RESTRICTIONS} restrictions; the rest not read"


def _meaning(restriction: Restriction) -> tuple[object, ...]:
    return (
        restriction.code,
        restriction.text.casefold() if restriction.code == Code.OTHER else "",
        frozenset(restriction.countries_excluded),
        frozenset(restriction.countries_included),
        restriction.embargo_until,
        restriction.expires_at,
    )


def read_policy(policy: object) -> PolicyReading:
    """The restrictions an ODRL policy (a parsed JSON-LD object) states, all with origin POLICY.

    Raises PolicyError for a document that is not a policy (no object, no rule at all).
    """
    if not isinstance(policy, Mapping):
        raise PolicyError("a policy is a JSON object: an ODRL 2.2 Set, Offer or Agreement")
    policy = _compact(policy)
    rules = {
        kind: _as_list(policy.get(kind)) for kind in ("permission", "prohibition", "obligation")
    }
    if not any(rules.values()):
        raise PolicyError(
            "the policy has no permission, prohibition or obligation; send an ODRL 2.2 policy "
            "such as GET /v1/assets/{id}/policy returns"
        )
    out = _Import()
    if not _known_context(policy.get("@context")):
        out.other("the policy's @context", "a JSON-LD context that may give terms other meanings")
    _unread_keys(policy, _POLICY_KEYS, "the policy", out)
    for rule in rules["prohibition"]:  # first: a prohibition carries the restriction's phrase
        _read_prohibition(rule, out)
    # A lease's permission is granted here and applied as a lease: its constraints bound the
    # lease, not the picture. A policy made only of lease permissions is read as it states.
    granted = any(
        isinstance(r, Mapping) and _compact(r).get("rdsk:lease") is None
        for r in rules["permission"]
    )
    for rule in rules["permission"]:
        _read_permission(rule, out, leases_apart=granted)
    for duty in rules["obligation"]:
        _read_duty(duty, out)
    if out.retention is not None and not any(r.code == Code.NO_ARCHIVES for r in out.restrictions):
        out.add(Restriction(Code.NO_ARCHIVES, f"delete after {out.retention} days", Origin.POLICY))
    assigner = _party_name(policy.get("assigner"))
    return PolicyReading(
        restrictions=tuple(out.restrictions),
        credit_line=out.credit_line,
        assigner=assigner,
        archive_retention_days=out.retention,
        notes=tuple(out.notes),
    )


def _read_permission(rule: object, out: _Import, *, leases_apart: bool) -> None:
    """A permission adds what its constraints and duties demand; it never lifts anything."""
    opened = _open_rule(rule, "permission", _PERMISSION_KEYS, out)
    if opened is None:
        return
    rule, phrase = opened
    if rule.get("rdsk:lease") is not None and leases_apart:
        out.notes.append(f"{phrase}: a lease granted elsewhere; an imported policy never lifts")
    else:
        for constraint in _as_list(rule.get("constraint")):
            _read_permission_constraint(constraint, phrase, out)
    for duty in _as_list(rule.get("duty")):
        _read_duty(duty, out)


def _read_permission_constraint(constraint: object, phrase: str, out: _Import) -> None:
    left, operator, values = _parts(constraint)
    if left == "purpose":
        purposes = _purposes(values)
        if purposes is None:
            out.other(phrase, "a purpose this policy does not know")
        elif operator in ("eq", "isAnyOf") and purposes == {Purpose.EDITORIAL}:
            out.add(Restriction(Code.EDITORIAL_USE_ONLY, phrase, Origin.POLICY))
        elif not (operator in ("eq", "isAnyOf") and purposes >= EVERY_PURPOSE):
            out.other(phrase, f"permission limited by purpose ({operator})")
    elif left == "spatial":
        _read_places(operator, values, phrase, out, permitted=True)
    elif left == "dateTime":
        _read_window(operator, values, phrase, out, permitted=True)
    else:
        out.other(phrase, f"constraint {left or '(none)'} is not one this policy reads")


def _read_prohibition(rule: object, out: _Import) -> None:
    opened = _open_rule(rule, "prohibition", _PROHIBITION_KEYS, out)
    if opened is None:
        return
    rule, phrase = opened
    action = _term(rule.get("action"))
    constraints = _as_list(rule.get("constraint"))
    if action == "sell" and not constraints:
        out.add(Restriction(Code.NO_SALES, phrase, Origin.POLICY))
    elif action == "archive" and not constraints:
        out.add(Restriction(Code.NO_ARCHIVES, phrase, Origin.POLICY))
    elif action in USE_ACTIONS and len(constraints) == 1:
        _read_prohibited_use(constraints[0], phrase, out)
    else:
        out.other(phrase, f"prohibition of {action or '(no action)'} as written")


def _read_prohibited_use(constraint: object, phrase: str, out: _Import) -> None:
    left, operator, values = _parts(constraint)
    if left == "purpose":
        purposes = _purposes(values)
        code = _code_barring(purposes, operator)
        if code is None:
            out.other(phrase, "a purpose prohibition no restriction states exactly")
        else:
            out.add(Restriction(code, phrase, Origin.POLICY))
    elif left == "spatial":
        _read_places(operator, values, phrase, out, permitted=False)
    elif left == "dateTime":
        _read_window(operator, values, phrase, out, permitted=False)
    else:
        out.other(phrase, f"constraint {left or '(none)'} is not one this policy reads")


def _code_barring(purposes: frozenset[str] | None, operator: str) -> Code | None:
    """The restriction that bars exactly these purposes (or all but editorial)."""
    if purposes is None:
        return None
    if operator in ("isNoneOf", "neq") and purposes == {Purpose.EDITORIAL}:
        return Code.EDITORIAL_USE_ONLY
    if operator not in ("eq", "isAnyOf"):
        return None
    if purposes == EVERY_PURPOSE - {Purpose.EDITORIAL}:
        return Code.EDITORIAL_USE_ONLY
    for code, barred in BARRED_PURPOSES.items():
        if purposes == barred:
            return code
    return None


def _read_places(
    operator: str, values: list[object], phrase: str, out: _Import, *, permitted: bool
) -> None:
    codes = [_place(v) for v in values]
    if not codes or any(c is None for c in codes):
        out.other(phrase, "a territory that is no ISO 3166-1 country")
        return
    known = tuple(dict.fromkeys(c for c in codes if c))
    inside = operator in ("eq", "isAnyOf", "isPartOf")
    outside = operator in ("neq", "isNoneOf")
    if not (inside or outside):
        out.other(phrase, f"territory operator {operator or '(none)'}")
    elif inside == permitted:
        out.add(Restriction(Code.TERRITORY, phrase, Origin.POLICY, countries_included=known))
    else:
        out.add(Restriction(Code.TERRITORY, phrase, Origin.POLICY, countries_excluded=known))


def _read_window(
    operator: str, values: list[object], phrase: str, out: _Import, *, permitted: bool
) -> None:
    starts = operator in ("gt", "gteq") if permitted else operator in ("lt", "lteq")
    ends = operator in ("lt", "lteq") if permitted else operator in ("gt", "gteq")
    moment = _moment(values[0], starts=starts) if len(values) == 1 else None
    if moment is None or not (starts or ends):
        out.other(phrase, "a time constraint that could not be read")
    elif starts:
        out.add(Restriction(Code.EMBARGO, phrase, Origin.POLICY, embargo_until=moment))
    else:
        out.add(Restriction(Code.EXPIRY, phrase, Origin.POLICY, expires_at=moment))


def _read_duty(duty: object, out: _Import) -> None:
    opened = _open_rule(duty, "duty", _DUTY_KEYS, out)
    if opened is None:
        return
    duty, phrase = opened
    action = _term(duty.get("action"))
    if action == "attribute":
        credit = _party_name(duty.get("attributedParty"))
        out.credit_line = out.credit_line or credit
        if duty.get("rdsk:reason") != "CREDIT" or credit is None:
            out.add(Restriction(Code.MANDATORY_CREDIT, phrase, Origin.POLICY))
    elif action == "obtainConsent" and _duty_purposes(duty) <= _RELEASE_PURPOSES:
        out.add(Restriction(Code.MODEL_RELEASE, phrase, Origin.POLICY))
    elif (
        action == "reviewPolicy"
        and duty.get("rdsk:reason") == Code.SYNTHETIC_MEDIA
        and _duty_purposes(duty) <= {Purpose.EDITORIAL}
    ):
        out.add(Restriction(Code.SYNTHETIC_MEDIA, phrase, Origin.POLICY))
    elif action == "delete" and _retention(duty) is not None:
        days = _retention(duty)
        out.retention = days if out.retention is None else min(out.retention, days or 0)
    else:
        out.other(phrase, f"duty {action or '(no action)'}")


MAX_RETENTION_DAYS = 36_500
"""A delete duty's window is read up to a century: beyond, it is no limit worth computing."""


def _retention(duty: Mapping[str, Any]) -> int | None:
    """The days of a delete duty's `elapsedTime eq P<n>D` constraint, else None."""
    constraints = _as_list(duty.get("constraint"))
    if len(constraints) != 1:
        return None
    left, operator, values = _parts(constraints[0])
    text = _literal(values[0]) if left == "elapsedTime" and operator == "eq" and values else None
    digits = text[1:-1] if text and text.startswith("P") and text.endswith("D") else ""
    if not (digits.isascii() and digits.isdigit()):  # "P²D", "P١٠D": no ISO 8601 duration
        return None
    return min(int(digits.lstrip("0")[:6] or "0"), MAX_RETENTION_DAYS)


_RELEASE_PURPOSES = frozenset(str(p) for p in RELEASE_PURPOSES)


def _duty_purposes(duty: Mapping[str, Any]) -> frozenset[str]:
    """The purposes a duty is limited to, as its one `purpose` constraint names them; every
    purpose when it states none, or anything else, so the duty is read as holding for all."""
    constraints = _as_list(duty.get("constraint"))
    if len(constraints) != 1:
        return EVERY_PURPOSE
    left, operator, values = _parts(constraints[0])
    purposes = _purposes(values) if left == "purpose" and operator in ("eq", "isAnyOf") else None
    return EVERY_PURPOSE if purposes is None else purposes


# --- reading JSON-LD values ------------------------------------------------------------------


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _term(value: object) -> str:
    """An ODRL term as its compact name: "use", "odrl:use" and the full IRI read alike.

    An action with a refinement ({"rdf:value": ...}) is not read as the plain action: "".
    """
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, Mapping):
        value = value.get("@id", value.get("id"))
    if not isinstance(value, str):
        return ""
    for prefix in (ODRL, "odrl:"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value if ":" not in value else ""


def _parts(constraint: object) -> tuple[str, str, list[object]]:
    """(leftOperand, operator, right operand values); empty strings for what is missing."""
    if not isinstance(constraint, Mapping):
        return "", "", []
    constraint = _compact(constraint)
    if any(key not in _CONSTRAINT_KEYS for key in constraint):
        return "", "", []  # logical constraints, and keys not read: OTHER, by the callers
    right = constraint.get("rightOperand")
    values = right.get("@list") if isinstance(right, Mapping) and "@list" in right else right
    return (
        _term(constraint.get("leftOperand")),
        _term(constraint.get("operator")),
        _as_list(values),
    )


def _literal(value: object) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("@value", value.get("@id"))
    return value.strip() if isinstance(value, str) else None


def _purposes(values: Iterable[object]) -> frozenset[str] | None:
    """Known purposes named (by our IRI or plain word); None when any is unknown."""
    found: set[str] = set()
    for value in values:
        text = _literal(value)
        if text is None:
            return None
        for prefix in (PURPOSE_IRI, "rdsk:purpose/"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        if text not in EVERY_PURPOSE:
            return None
        found.add(text)
    return frozenset(found) if found else None


def _place(value: object) -> str | None:
    text = _literal(value)
    if text is None:
        return None
    for prefix in (ISO_COUNTRY, "http://cvx.iptc.org/iso3166-1a2/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return territory_code(text) if len(text) <= 3 else None


_LATEST_ZONE = timedelta(hours=12)
_EARLIEST_ZONE = timedelta(hours=14)


def _moment(value: object, *, starts: bool) -> datetime | None:
    """The instant a time constraint names. Without a zone, read the way that restricts in
    every zone: a window that starts (an embargo's end) as late as UTC-12 has it, one that
    ends (an expiry) as early as UTC+14 has it."""
    text = _literal(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = utc(moment) + _LATEST_ZONE if starts else utc(moment) - _EARLIEST_ZONE
        offset = moment.utcoffset()
        if offset is None or not -_LATEST_ZONE <= offset <= _EARLIEST_ZONE:
            return None  # a zone no place on Earth has (UTC-12 to UTC+14)
        if not representable(moment):
            return None  # beyond the calendar in UTC: `utc` would move it, so it is unread
        return utc(moment)
    except (ValueError, OverflowError):  # not a date, or beyond the calendar in UTC
        return None


def _open_rule(
    rule: object, kind: str, known: frozenset[str], out: _Import
) -> tuple[dict[str, Any], str] | None:
    """A rule of `kind` in compact keys, and the phrase that names it; None (and OTHER) when it
    is not an object. Keys this reader does not know are OTHER too (`_unread_keys`)."""
    if not isinstance(rule, Mapping):
        out.other(f"a {kind}", "not an object")
        return None
    compact = _compact(rule)
    phrase = _phrase(compact, kind)
    _unread_keys(compact, known, phrase, out)
    return compact, phrase


def _phrase(rule: Mapping[str, Any], kind: str) -> str:
    for key in ("dct:description", "description", "http://purl.org/dc/terms/description"):
        text = _literal(rule.get(key))
        if text:
            return text
    action = _term(rule.get("action")) or "an action"
    return f"policy {kind}: {action}"


def _party_name(party: object) -> str | None:
    if isinstance(party, Mapping):
        for key in ("vcard:fn", "http://www.w3.org/2006/vcard/ns#fn", "name"):
            text = _literal(party.get(key))
            if text:
                return text
    return None


# --- keys, contexts and the JSON text a policy arrives in -------------------------------------

_COMMON_KEYS = frozenset(
    {"@id", "@type", "uid", "target", "assigner", "dct:description", "description", "rdsk:reason"}
)
_POLICY_KEYS = frozenset(
    {"@context", "@id", "@type", "uid", "profile", "assigner", "target", "conflict"}
    | {"permission", "prohibition", "obligation", "dct:description", "description", "dct:title"}
)
"""Keys a policy is read with; any other (`inheritFrom`, `assignee`, `@graph`, a policy-wide
`action`, a term a context brought in) may limit what is permitted, so it is OTHER."""
_PERMISSION_KEYS = _COMMON_KEYS | {"action", "constraint", "duty", "rdsk:lease"}
_PROHIBITION_KEYS = _COMMON_KEYS | {"action", "constraint", "remedy", "assignee", "rdsk:lease"}
_DUTY_KEYS = _COMMON_KEYS | {"action", "constraint", "attributedParty"}
_CONSTRAINT_KEYS = frozenset(
    {"leftOperand", "operator", "rightOperand", "dataType", "unit", "uid", "@id", "@type"}
    | {"dct:description", "description"}
)
_KEY_IRIS = {
    ODRL: "",
    "odrl:": "",
    RDSK: "rdsk:",
    "http://purl.org/dc/terms/": "dct:",
}
_CONTEXTS = frozenset({ODRL_CONTEXT, "https://www.w3.org/ns/odrl.jsonld"})
_PREFIXES: dict[str, str] = {"odrl": ODRL, **CONTEXT[1]}


def _compact(node: Mapping[str, Any]) -> dict[str, Any]:
    """`node` with its keys compact ("odrl:prohibition", the full IRI -> "prohibition").

    A key written two ways keeps every value of both: nothing said under an alias is lost."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        name = str(key)
        for iri, prefix in _KEY_IRIS.items():
            if name.startswith(iri):
                name = prefix + name[len(iri) :]
                break
        out[name] = value if name not in out else _as_list(out[name]) + _as_list(value)
    return out


def _unread_keys(node: Mapping[str, Any], known: frozenset[str], phrase: str, out: _Import) -> None:
    for key in node:
        if key not in known:
            out.other(phrase, f"{key!r} is not a key this policy reads")


def _known_context(context: object) -> bool:
    """Whether the context gives every term the meaning the ODRL context does.

    Only the ODRL context and the prefixes an exported policy declares: a remote context or a
    local term ("sell": "odrl:use", "ban": "odrl:prohibition") could change what a rule says."""
    for entry in _as_list(context):
        if isinstance(entry, str):
            if entry not in _CONTEXTS:
                return False
        elif not isinstance(entry, Mapping) or any(
            _PREFIXES.get(str(k)) != v for k, v in entry.items()
        ):
            return False
    return True


def policy_json(text: str | bytes) -> object:
    """A policy's JSON text parsed strictly: no repeated key (JSON parsers keep different ones,
    so a reader could see a rule another does not), no NaN or Infinity, bounded nesting.

    Raises PolicyError, with what is wrong, for any text that is not such JSON.
    """

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise PolicyError(f"the policy repeats the key {repeated[0]!r} in one object")
        return dict(items)

    def constant(name: str) -> object:
        raise PolicyError(f"the policy holds {name}, which is no JSON number")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError as exc:
        raise PolicyError("the policy is nested too deeply to be read") from exc
    except PolicyError:
        raise
    except ValueError as exc:  # not JSON, or not UTF-8
        raise PolicyError(f"the policy is not JSON text: {exc}") from exc
