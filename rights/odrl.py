"""Rights as an ODRL 2.2 policy in JSON-LD, under IPTC's RightsML profile, and back.

Export (`policy_from_record`) writes what the policy enforces: the supplier as assigner, one
permission to use the image with its constraints (editorial purpose, territory, embargo and
expiry windows) and duties (the exact credit line to attribute, releases to obtain, a review),
one prohibition per restriction, and one rule per lease with its window. Every rule carries the
phrase it came from as `dct:description`.

Import (`read_policy`) turns a policy into restrictions with origin `policy`. It only ever adds:
a permission never lifts a restriction, and whatever it cannot map exactly (an action, a
constraint, an operand or a value it does not know) becomes OTHER, which reviews. Pure: a dict
in, values out; the JSON-LD context is not fetched, terms are read as the ODRL context
(vendored in `rights/odrl_context.jsonld`) defines them, compact or as full IRIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from rights.decision import Override
from rights.moment import utc
from rights.record import Restriction, RightsRecord
from rights.rules import BARRED_PURPOSES
from rights.ruleset import credit_for, retention_days
from rights.territory import territory_code
from rights.vocabulary import Code, Origin, Outcome, Purpose

ODRL = "http://www.w3.org/ns/odrl/2/"
ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
RIGHTSML_PROFILE = "https://iptc.org/std/RightsML/odrl-profile/"
RDSK = "https://rightsdesk.org/ns/odrl/"
"""Our own terms: purposes, channels, and the reason a review duty stands for."""
ISO_COUNTRY = "http://cvx.iptc.org/iso3166-1a2/"
CONTEXT: list[Any] = [
    ODRL_CONTEXT,
    {
        "dct": "http://purl.org/dc/terms/",
        "vcard": "http://www.w3.org/2006/vcard/ns#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "rdsk": RDSK,
    },
]
PURPOSE_IRI = RDSK + "purpose/"
CHANNEL_IRI = RDSK + "channel/"

_USE_ACTIONS = frozenset({"use", "display", "present", "print", "reproduce", "play"})
_EVERY_PURPOSE = frozenset(str(p) for p in Purpose)
_RELEASE_PURPOSES = (Purpose.COMMERCIAL, Purpose.MARKETING, Purpose.ADVERTISING)


class PolicyError(ValueError):
    """A document that is not an ODRL policy at all; the message says what to send instead."""


@dataclass(frozen=True, slots=True)
class PolicyReading:
    """What an imported policy says, as the rights record takes it.

    `restrictions` all have origin POLICY. `credit_line` is the attribution the policy demands,
    `assigner` the supplier's name, `archive_retention_days` the delete duty's window (NO
    ARCHIVES). `notes` say what was read as OTHER or left aside, for the desk and the audit.
    """

    restrictions: tuple[Restriction, ...] = ()
    credit_line: str | None = None
    assigner: str | None = None
    archive_retention_days: int | None = None
    notes: tuple[str, ...] = ()


# --- export ----------------------------------------------------------------------------------


def policy_from_record(
    record: RightsRecord,
    *,
    target: str,
    leases: Sequence[Override] = (),
) -> dict[str, Any]:
    """The ODRL 2.2 `Set` policy (JSON-LD, RightsML profile) for the asset `target` (an IRI)."""
    assigner = _party(record.agency, "supplier")
    permission: dict[str, Any] = {"target": target, "action": "use", "assigner": assigner}
    constraints: list[dict[str, Any]] = []
    duties: list[dict[str, Any]] = []
    prohibitions: list[dict[str, Any]] = []
    for restriction in record.restrictions:
        _export_restriction(restriction, record, constraints, duties, prohibitions, target)
    if record.embargo_until is not None and not any(
        r.code == Code.EMBARGO for r in record.restrictions
    ):
        until = utc(record.embargo_until)
        constraints.append(_constraint("dateTime", "gteq", _when(until)))
        prohibitions.append(
            _rule(
                target, "use", "the record's embargo", [_constraint("dateTime", "lt", _when(until))]
            )
        )
    credit = credit_for(record)
    if credit and not any(d["action"] == "attribute" for d in duties):
        implicit = _attribute(credit, "agency credit" if record.agency else "credit line")
        implicit["rdsk:reason"] = "CREDIT"  # printed, though no restriction demands it
        duties.append(implicit)
    if not record.restrictions and not record.agency:
        duties.append(
            {"action": "reviewPolicy", "dct:description": "no supplier and no restriction stated"}
        )
    for text in record.unrecognised:
        duties.append({"action": "reviewPolicy", "dct:description": text})
    for block in record.unreadable_blocks:
        duties.append(
            {"action": "reviewPolicy", "dct:description": f"{block.block}: {block.warning}"}
        )
    if constraints:
        permission["constraint"] = constraints
    if duties:
        permission["duty"] = duties
    permissions = [permission]
    for lease in leases:
        rule = _lease_rule(lease, target)
        (permissions if lease.effect == Outcome.ALLOW else prohibitions).append(rule)
    policy: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Set",
        "uid": f"{target}/policy",
        "profile": RIGHTSML_PROFILE,
        "assigner": assigner,
        "permission": permissions,
    }
    if prohibitions:
        policy["prohibition"] = prohibitions
    return policy


def _export_restriction(
    restriction: Restriction,
    record: RightsRecord,
    constraints: list[dict[str, Any]],
    duties: list[dict[str, Any]],
    prohibitions: list[dict[str, Any]],
    target: str,
) -> None:
    """Add the constraints, duties and prohibition that state one restriction."""
    code, phrase = restriction.code, restriction.text

    def prohibit(action: str, *parts: dict[str, Any]) -> None:
        prohibitions.append(_rule(target, action, phrase, list(parts), code))

    if code == Code.EDITORIAL_USE_ONLY:
        constraints.append(_constraint("purpose", "eq", _purpose(Purpose.EDITORIAL)))
        others = [p for p in Purpose if p != Purpose.EDITORIAL]
        prohibit("use", _constraint("purpose", "isAnyOf", [_purpose(p) for p in others]))
    elif code == Code.NO_SALES:
        prohibit("sell")
    elif code in BARRED_PURPOSES:
        barred = sorted(BARRED_PURPOSES[code])
        prohibit("use", _constraint("purpose", "isAnyOf", [_purpose(p) for p in barred]))
    elif code == Code.NO_ARCHIVES:
        prohibit("archive")
        window = {"@value": f"P{retention_days(record)}D", "@type": "xsd:duration"}
        duties.append(
            {
                "action": "delete",
                "constraint": [_constraint("elapsedTime", "eq", window)],
                "dct:description": phrase,
            }
        )
    elif code == Code.EMBARGO and (restriction.embargo_until or record.embargo_until):
        until = _when(_embargo_end(restriction, record))
        constraints.append(_constraint("dateTime", "gteq", until))
        prohibit("use", _constraint("dateTime", "lt", until))
    elif code == Code.EXPIRY and restriction.expires_at is not None:
        ends = _when(utc(restriction.expires_at))
        constraints.append(_constraint("dateTime", "lt", ends))
        prohibit("use", _constraint("dateTime", "gteq", ends))
    elif code == Code.TERRITORY and (
        restriction.countries_included or restriction.countries_excluded
    ):
        if restriction.countries_included:
            places = [_country(c) for c in restriction.countries_included]
            constraints.append(_constraint("spatial", "isAnyOf", places))
            prohibit("use", _constraint("spatial", "isNoneOf", places))
        if restriction.countries_excluded:
            places = [_country(c) for c in restriction.countries_excluded]
            prohibit("use", _constraint("spatial", "isAnyOf", places))
    elif code == Code.MANDATORY_CREDIT:
        credit = credit_for(record)
        duties.append(
            _attribute(credit, phrase)
            if credit
            else {"action": "attribute", "dct:description": phrase}
        )
    elif code == Code.MODEL_RELEASE:
        duties.append(
            {
                "action": "obtainConsent",
                "constraint": [
                    _constraint("purpose", "isAnyOf", [_purpose(p) for p in _RELEASE_PURPOSES])
                ],
                "dct:description": phrase,
                "rdsk:reason": str(code),
            }
        )
    elif code == Code.SYNTHETIC_MEDIA:
        duties.append(
            {
                "action": "reviewPolicy",
                "constraint": [_constraint("purpose", "eq", _purpose(Purpose.EDITORIAL))],
                "dct:description": phrase,
                "rdsk:reason": str(code),
            }
        )
    else:  # OTHER, or a window whose end could not be read: a person must read it
        duties.append({"action": "reviewPolicy", "dct:description": phrase})


def _embargo_end(restriction: Restriction, record: RightsRecord) -> datetime:
    """The end the policy enforces: the later of the restriction's and the record's."""
    ends = [utc(e) for e in (restriction.embargo_until, record.embargo_until) if e is not None]
    return max(ends)


def _lease_rule(lease: Override, target: str) -> dict[str, Any]:
    """A lease as its own rule: the purposes, channels, territories and window it covers."""
    parts: list[dict[str, Any]] = []
    if lease.purposes:
        parts.append(_constraint("purpose", "isAnyOf", [_purpose(p) for p in lease.purposes]))
    if lease.channels:
        channels = [{"@id": CHANNEL_IRI + str(c)} for c in lease.channels]
        parts.append(_constraint("deliveryChannel", "isAnyOf", channels))
    if lease.territories:
        parts.append(_constraint("spatial", "isAnyOf", [_country(t) for t in lease.territories]))
    if lease.starts is not None:
        parts.append(_constraint("dateTime", "gteq", _when(utc(lease.starts))))
    if lease.ends is not None:
        parts.append(_constraint("dateTime", "lt", _when(utc(lease.ends))))
    rule = _rule(target, "use", lease.reason, parts)
    rule["rdsk:lease"] = lease.id or "lease"
    return rule


def _rule(
    target: str,
    action: str,
    phrase: str,
    constraints: list[dict[str, Any]],
    code: Code | None = None,
) -> dict[str, Any]:
    rule: dict[str, Any] = {"target": target, "action": action, "dct:description": phrase}
    if constraints:
        rule["constraint"] = constraints
    if code is not None:
        rule["rdsk:reason"] = str(code)
    return rule


def _constraint(left: str, operator: str, right: Any) -> dict[str, Any]:
    return {"leftOperand": left, "operator": operator, "rightOperand": right}


def _party(name: str | None, role: str) -> dict[str, Any]:
    party: dict[str, Any] = {"@type": "Party", "uid": f"{RDSK}party/{_slug(name or role)}"}
    if name:
        party["vcard:fn"] = name
    return party


def _attribute(credit: str, phrase: str) -> dict[str, Any]:
    return {
        "action": "attribute",
        "attributedParty": _party(credit, "credit"),
        "dct:description": phrase,
    }


def _purpose(purpose: str) -> dict[str, str]:
    return {"@id": PURPOSE_IRI + str(purpose)}


def _country(code: str) -> dict[str, str]:
    return {"@id": ISO_COUNTRY + (territory_code(code) or code.strip().upper())}


def _when(moment: datetime) -> dict[str, str]:
    return {"@value": moment.isoformat().replace("+00:00", "Z"), "@type": "xsd:dateTime"}


def _slug(name: str) -> str:
    kept = "".join(c.lower() if c.isalnum() else "-" for c in name)
    return "-".join(p for p in kept.split("-") if p) or "party"


# --- import ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Import:
    restrictions: list[Restriction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    credit_line: str | None = None
    retention: int | None = None

    def add(self, restriction: Restriction) -> None:
        """Keep one restriction per meaning: a permission constraint and the prohibition that
        state the same thing (as an export writes both) are one restriction."""
        if _meaning(restriction) not in {_meaning(r) for r in self.restrictions}:
            self.restrictions.append(restriction)

    def other(self, phrase: str, why: str) -> None:
        self.notes.append(f"{phrase}: {why}; read as OTHER (review)")
        self.add(Restriction(Code.OTHER, phrase, Origin.POLICY))


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
    rules = {
        kind: _as_list(policy.get(kind)) for kind in ("permission", "prohibition", "obligation")
    }
    if not any(rules.values()):
        raise PolicyError(
            "the policy has no permission, prohibition or obligation; send an ODRL 2.2 policy "
            "such as GET /v1/assets/{id}/policy returns"
        )
    out = _Import()
    for rule in rules["prohibition"]:  # first: a prohibition carries the restriction's phrase
        _read_prohibition(rule, out)
    for rule in rules["permission"]:
        _read_permission(rule, out)
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


def _read_permission(rule: object, out: _Import) -> None:
    """A permission adds what its constraints and duties demand; it never lifts anything."""
    if not isinstance(rule, Mapping):
        out.other("a permission", "not an object")
        return
    phrase = _phrase(rule, "permission")
    if rule.get("rdsk:lease") is not None:
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
        elif not (operator in ("eq", "isAnyOf") and purposes >= _EVERY_PURPOSE):
            out.other(phrase, f"permission limited by purpose ({operator})")
    elif left == "spatial":
        _read_places(operator, values, phrase, out, permitted=True)
    elif left == "dateTime":
        _read_window(operator, values, phrase, out, permitted=True)
    else:
        out.other(phrase, f"constraint {left or '(none)'} is not one this policy reads")


def _read_prohibition(rule: object, out: _Import) -> None:
    if not isinstance(rule, Mapping):
        out.other("a prohibition", "not an object")
        return
    phrase = _phrase(rule, "prohibition")
    action = _term(rule.get("action"))
    constraints = _as_list(rule.get("constraint"))
    if action == "sell" and not constraints:
        out.add(Restriction(Code.NO_SALES, phrase, Origin.POLICY))
    elif action == "archive" and not constraints:
        out.add(Restriction(Code.NO_ARCHIVES, phrase, Origin.POLICY))
    elif action in _USE_ACTIONS and len(constraints) == 1:
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
    if purposes == _EVERY_PURPOSE - {Purpose.EDITORIAL}:
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
    moment = _moment(values[0]) if len(values) == 1 else None
    starts = operator in ("gt", "gteq") if permitted else operator in ("lt", "lteq")
    ends = operator in ("lt", "lteq") if permitted else operator in ("gt", "gteq")
    if moment is None or not (starts or ends):
        out.other(phrase, "a time constraint that could not be read")
    elif starts:
        out.add(Restriction(Code.EMBARGO, phrase, Origin.POLICY, embargo_until=moment))
    else:
        out.add(Restriction(Code.EXPIRY, phrase, Origin.POLICY, expires_at=moment))


def _read_duty(duty: object, out: _Import) -> None:
    if not isinstance(duty, Mapping):
        out.other("a duty", "not an object")
        return
    phrase = _phrase(duty, "duty")
    action = _term(duty.get("action"))
    if action == "attribute":
        credit = _party_name(duty.get("attributedParty"))
        out.credit_line = out.credit_line or credit
        if duty.get("rdsk:reason") != "CREDIT" or credit is None:
            out.add(Restriction(Code.MANDATORY_CREDIT, phrase, Origin.POLICY))
    elif action == "obtainConsent":
        out.add(Restriction(Code.MODEL_RELEASE, phrase, Origin.POLICY))
    elif action == "reviewPolicy" and duty.get("rdsk:reason") == Code.SYNTHETIC_MEDIA:
        out.add(Restriction(Code.SYNTHETIC_MEDIA, phrase, Origin.POLICY))
    elif action == "delete" and _retention(duty) is not None:
        days = _retention(duty)
        out.retention = days if out.retention is None else min(out.retention, days or 0)
    else:
        out.other(phrase, f"duty {action or '(no action)'}")


def _retention(duty: Mapping[str, Any]) -> int | None:
    """The days of a delete duty's `elapsedTime eq P<n>D` constraint, else None."""
    constraints = _as_list(duty.get("constraint"))
    if len(constraints) != 1:
        return None
    left, operator, values = _parts(constraints[0])
    text = _literal(values[0]) if left == "elapsedTime" and operator == "eq" and values else None
    if text and text.startswith("P") and text.endswith("D") and text[1:-1].isdigit():
        return int(text[1:-1])
    return None


# --- reading JSON-LD values ------------------------------------------------------------------


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _term(value: object) -> str:
    """An ODRL term as its compact name: "use", "odrl:use" and the full IRI read alike.

    An action with a refinement ({"rdf:value": ...}) is not read as the plain action: "".
    """
    if isinstance(value, Mapping):
        value = value.get("@id", value.get("id"))
    if isinstance(value, list) and len(value) == 1:
        return _term(value[0])
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
    if any(k in constraint for k in ("and", "or", "xor", "andSequence")):
        return "", "", []  # logical constraints: read as OTHER by the callers
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
        if text not in _EVERY_PURPOSE:
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


def _moment(value: object) -> datetime | None:
    text = _literal(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return utc(moment)


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


def record_with_policy(record: RightsRecord, reading: PolicyReading) -> RightsRecord:
    """`record` with the policy's restrictions added, never any removed.

    The credit line is taken from the policy only where the record has none, and the NO
    ARCHIVES window only ever shortens: a policy cannot make a record looser. The supplier it
    names is not taken as the record's agency (that would answer a missing-rights review).
    """
    restrictions = list(record.restrictions)
    for restriction in reading.restrictions:
        if restriction not in restrictions:
            restrictions.append(restriction)
    days = record.archive_retention_days
    if reading.archive_retention_days is not None:
        days = min(reading.archive_retention_days, days if days is not None else 10**6)
    return replace(
        record,
        restrictions=tuple(restrictions),
        credit_line=record.credit_line or reading.credit_line,
        archive_retention_days=days,
    )


def record_from_policy(
    reading: PolicyReading, *, ingested_at: datetime | None = None
) -> RightsRecord:
    """A record that knows only what a policy says: its supplier, credit, restrictions."""
    return RightsRecord(
        agency=reading.assigner,
        credit_line=reading.credit_line,
        restrictions=reading.restrictions,
        archive_retention_days=reading.archive_retention_days,
        ingested_at=ingested_at,
    )
