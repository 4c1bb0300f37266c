"""A rights record (and the leases that reach it) as an ODRL 2.2 policy under RightsML.

One permission to use the picture with its constraints and duties, one prohibition per
restriction, one rule per lease with its window; every rule cites its phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rights.decision import Override
from rights.moment import utc
from rights.odrl_terms import (
    CHANNEL_IRI,
    CONTEXT,
    ISO_COUNTRY,
    PURPOSE_IRI,
    RDSK,
    RELEASE_PURPOSES,
    RIGHTSML_PROFILE,
)
from rights.record import Restriction, RightsRecord
from rights.rules import BARRED_PURPOSES
from rights.ruleset import credit_for, retention_days, states_no_rights
from rights.territory import territory_code
from rights.vocabulary import Code, Outcome, Purpose


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
    if states_no_rights(record):
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
                    _constraint("purpose", "isAnyOf", [_purpose(p) for p in RELEASE_PURPOSES])
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
