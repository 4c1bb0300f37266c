"""RightsML / ODRL 2.2: the exported policy is valid, and reading it back decides alike.

Validity is checked twice, without the network: against a JSON Schema written from the ODRL
2.2 Information Model (tests/data/odrl_policy.schema.json) and against the ODRL JSON-LD context
vendored in rights/odrl_context.jsonld (every term the policy uses must be defined there).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rights import (
    Channel,
    Code,
    Origin,
    Outcome,
    Override,
    Purpose,
    Restriction,
    RightsRecord,
    Use,
    evaluate,
)
from rights.odrl import (
    ODRL_CONTEXT,
    PolicyError,
    policy_from_record,
    read_policy,
    record_from_policy,
    record_with_policy,
)
from tests.rights_builders import T0, agency_record, records, seed_record
from tests.test_rights_scenarios import SCENARIOS

SCHEMA = json.loads((Path(__file__).parent / "data" / "odrl_policy.schema.json").read_text())
CONTEXT = json.loads((Path(__file__).parent.parent / "rights" / "odrl_context.jsonld").read_text())[
    "@context"
]
TARGET = "urn:rightsdesk:asset:01TEST"
DAY = timedelta(days=1)
TERRITORIES = (None, "GB", "DE", "FR", "US")
MOMENTS = (None, T0 - 400 * DAY, T0, T0 + 40 * DAY, T0 + 400 * DAY)


def export(record: RightsRecord, **kw: Any) -> dict[str, Any]:
    """The policy as a client receives it: through JSON."""
    return json.loads(json.dumps(policy_from_record(record, target=TARGET, **kw)))


def context_terms(policy: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The vendored ODRL terms plus the policy's own local context."""
    terms = dict(CONTEXT)
    for entry in policy["@context"][1:]:
        terms.update(entry)
    prefixes = {k for k, v in terms.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    return terms, prefixes


def undefined_terms(policy: dict[str, Any]) -> list[str]:
    """Keys and @vocab values the JSON-LD context does not define (they would be dropped)."""
    terms, prefixes = context_terms(policy)
    vocab_keys = {
        k for k, v in CONTEXT.items() if isinstance(v, dict) and v.get("@type") == "@vocab"
    }
    missing: list[str] = []

    def defined(name: str) -> bool:
        return name.startswith("@") or name in terms or name.split(":", 1)[0] in prefixes

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    continue
                if not defined(key):
                    missing.append(key)
                if key in vocab_keys and isinstance(value, str) and value not in terms:
                    missing.append(f"{key}={value}")
                if key == "@type" and isinstance(value, str) and not defined(value):
                    missing.append(f"@type={value}")
                walk(value)

    walk(policy)
    return missing


def decisions(record: RightsRecord, leases: tuple[Override, ...] = ()) -> list[Outcome]:
    return [
        evaluate(record, Use(purpose, Channel.WEB, territory, at), leases).decision
        for purpose in Purpose
        for territory in TERRITORIES
        for at in MOMENTS
    ]


def round_tripped(record: RightsRecord) -> RightsRecord:
    return record_from_policy(read_policy(export(record)), ingested_at=record.ingested_at)


def comparable(record: RightsRecord | None) -> bool:
    """Records whose whole meaning a policy states: the catalogue's kill state and unreadable
    blocks are facts about the file, not rights (unreadable blocks come back stricter)."""
    return (
        record is not None
        and not (record.killed or record.kill_requested or record.kill_notice)
        and not record.unreadable_blocks
    )


ROUND_TRIP = [s for s in SCENARIOS if comparable(s.record) and not s.overrides]


def test_the_seed_handout_exports_a_rightsml_policy_with_its_supplier_and_credit() -> None:
    policy = export(seed_record())
    assert policy["@context"][0] == ODRL_CONTEXT
    assert policy["profile"] == "https://iptc.org/std/RightsML/odrl-profile/"
    assert policy["assigner"]["vcard:fn"] == "EPA"
    duty = policy["permission"][0]["duty"][0]
    assert duty["action"] == "attribute"
    assert (
        duty["attributedParty"]["vcard:fn"] == "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"
    )
    phrases = {p["dct:description"] for p in policy["prohibition"]}
    assert phrases == {"EDITORIAL USE ONLY", "NO SALES"}
    assert {"action": "sell"}.items() <= next(
        p for p in policy["prohibition"] if p["dct:description"] == "NO SALES"
    ).items()


@pytest.mark.parametrize("scenario", ROUND_TRIP, ids=lambda s: s.name)
def test_every_scenario_exports_a_policy_valid_against_schema_and_context(scenario: Any) -> None:
    policy = export(scenario.record)
    jsonschema.validate(policy, SCHEMA)
    assert undefined_terms(policy) == []


@pytest.mark.parametrize("scenario", ROUND_TRIP, ids=lambda s: s.name)
def test_export_then_import_decides_every_use_alike(scenario: Any) -> None:
    assert decisions(round_tripped(scenario.record)) == decisions(scenario.record)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(records())
def test_any_record_round_trips_to_the_same_decisions(record: RightsRecord) -> None:
    if not comparable(record):
        return
    policy = export(record)
    jsonschema.validate(policy, SCHEMA)
    assert undefined_terms(policy) == []
    assert decisions(round_tripped(record)) == decisions(record)


def test_leases_appear_as_their_own_rules_with_their_window() -> None:
    lease = Override(
        Outcome.ALLOW,
        "sale agreed with the agency",
        purposes=(Purpose.SALE,),
        territories=("GB",),
        starts=T0,
        ends=T0 + 30 * DAY,
        id="L1",
    )
    policy = export(seed_record(), leases=(lease,))
    jsonschema.validate(policy, SCHEMA)
    assert undefined_terms(policy) == []
    rule = next(p for p in policy["permission"] if p.get("rdsk:lease") == "L1")
    assert rule["dct:description"] == "sale agreed with the agency"
    operands = {(c["leftOperand"], c["operator"]) for c in rule["constraint"]}
    assert {
        ("purpose", "isAnyOf"),
        ("spatial", "isAnyOf"),
        ("dateTime", "gteq"),
        ("dateTime", "lt"),
    } <= operands


def test_an_imported_lease_permission_never_lifts_a_restriction() -> None:
    lease = Override(Outcome.ALLOW, "sale agreed", purposes=(Purpose.SALE,), id="L1")
    reading = read_policy(export(seed_record(), leases=(lease,)))
    record = record_from_policy(reading, ingested_at=T0 - DAY)
    assert evaluate(record, Use(Purpose.SALE, at=T0)).decision == Outcome.DENY


def foreign(*rules: dict[str, Any], kind: str = "prohibition") -> dict[str, Any]:
    return {
        "@context": ODRL_CONTEXT,
        "@type": "Set",
        "uid": "http://example.com/p/1",
        kind: list(rules),
    }


@pytest.mark.parametrize(
    "rule",
    [
        {"target": TARGET, "action": "modify"},
        {"target": TARGET, "action": "http://example.com/vocab/crop"},
        {
            "target": TARGET,
            "action": "use",
            "constraint": [
                {"leftOperand": "industry", "operator": "eq", "rightOperand": "banking"}
            ],
        },
        {
            "target": TARGET,
            "action": "use",
            "constraint": [
                {"leftOperand": "purpose", "operator": "eq", "rightOperand": "propaganda"}
            ],
        },
        {
            "target": TARGET,
            "action": "use",
            "constraint": [
                {"leftOperand": "spatial", "operator": "eq", "rightOperand": "Atlantis"}
            ],
        },
        {
            "target": TARGET,
            "action": "use",
            "constraint": [
                {"leftOperand": "dateTime", "operator": "lt", "rightOperand": "next Tuesday"}
            ],
        },
        {"target": TARGET, "action": "use", "constraint": [{"or": []}]},
        {"target": TARGET, "action": "use"},
        "not a rule",
    ],
)
def test_what_an_imported_prohibition_cannot_state_exactly_is_other_and_reviews(rule: Any) -> None:
    reading = read_policy(foreign(rule))
    assert [r.code for r in reading.restrictions] == [Code.OTHER]
    assert reading.restrictions[0].origin == Origin.POLICY
    record = record_with_policy(agency_record(), reading)
    assert evaluate(record, Use(Purpose.EDITORIAL, at=T0)).decision == Outcome.REVIEW


@pytest.mark.parametrize(
    "duty",
    [
        {"action": "compensate"},
        {"action": "inform"},
        {"action": "reviewPolicy"},
        {"action": "delete"},
    ],
)
def test_an_unknown_duty_reviews(duty: dict[str, Any]) -> None:
    reading = read_policy(
        foreign({"target": TARGET, "action": "use", "duty": [duty]}, kind="permission")
    )
    assert [r.code for r in reading.restrictions] == [Code.OTHER]


def test_a_permission_limited_to_an_unknown_purpose_reviews_rather_than_allows() -> None:
    permission = {
        "target": TARGET,
        "action": "use",
        "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": "education"}],
    }
    reading = read_policy(foreign(permission, kind="permission"))
    assert [r.code for r in reading.restrictions] == [Code.OTHER]


def test_a_foreign_rightsml_geographic_permission_becomes_a_territory_restriction() -> None:
    permission = {
        "target": "urn:newsml:example.com:20120101:180106-999-000013",
        "assigner": "http://example.com/cv/party/epa",
        "action": "http://www.w3.org/ns/odrl/2/distribute",
        "constraint": [
            {
                "leftOperand": "http://www.w3.org/ns/odrl/2/spatial",
                "operator": "http://www.w3.org/ns/odrl/2/eq",
                "rightOperand": "http://cvx.iptc.org/iso3166-1a2/DE",
            }
        ],
    }
    reading = read_policy(foreign(permission, kind="permission"))
    assert [(r.code, r.countries_included) for r in reading.restrictions] == [
        (Code.TERRITORY, ("DE",))
    ]
    record = record_with_policy(agency_record(), reading)
    assert evaluate(record, Use(Purpose.EDITORIAL, territory="FR", at=T0)).decision == Outcome.DENY
    assert evaluate(record, Use(Purpose.EDITORIAL, territory="DE", at=T0)).decision == Outcome.ALLOW


def test_a_policy_never_removes_a_caption_restriction() -> None:
    caption = seed_record()
    permissive = foreign(
        {"target": TARGET, "action": "sell", "constraint": []},
        {"target": TARGET, "action": "use"},
        kind="permission",
    )
    record = record_with_policy(caption, read_policy(permissive))
    assert set(caption.restrictions) <= set(record.restrictions)
    assert evaluate(record, Use(Purpose.SALE, at=T0)).decision == Outcome.DENY


@pytest.mark.parametrize("document", [None, [], "policy", {}, {"permission": []}, 3])
def test_a_document_that_is_no_policy_is_refused_with_advice(document: Any) -> None:
    with pytest.raises(PolicyError, match="policy"):
        read_policy(document)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "permission",
                    "prohibition",
                    "obligation",
                    "action",
                    "constraint",
                    "duty",
                    "leftOperand",
                    "operator",
                    "rightOperand",
                    "@id",
                    "@value",
                    "target",
                    "dct:description",
                    "attributedParty",
                    "vcard:fn",
                    "rdsk:reason",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_is_read_as_restrictions_or_refused_never_crashes(document: Any) -> None:
    try:
        reading = read_policy(document)
    except PolicyError:
        return
    assert all(r.origin == Origin.POLICY for r in reading.restrictions)
    record = record_with_policy(agency_record(), reading)
    assert isinstance(record.restrictions, tuple)


def test_a_restriction_of_every_code_survives_the_round_trip() -> None:
    every = tuple(
        Restriction(
            code,
            code.value,
            embargo_until=T0 + DAY if code == Code.EMBARGO else None,
            expires_at=T0 + DAY if code == Code.EXPIRY else None,
            countries_excluded=("DE",) if code == Code.TERRITORY else (),
        )
        for code in Code
    )
    for restriction in every:
        record = agency_record(restriction)
        assert decisions(round_tripped(record)) == decisions(record), restriction.code


def test_the_example_policy_in_the_standards_guide_is_valid_and_reads_back() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "standards.md").read_text()
    example = json.loads(guide.split("```json", 1)[1].split("```", 1)[0])
    jsonschema.validate(example, SCHEMA)
    assert undefined_terms(example) == []
    reading = read_policy(example)
    assert {r.code for r in reading.restrictions} == {
        Code.EDITORIAL_USE_ONLY,
        Code.NO_SALES,
        Code.EXPIRY,
    }
    assert reading.credit_line == "EPA/RUSSIAN DEFENCE MINISTRY PRESS SERVICE/HANDOUT"


LEASED = [s for s in SCENARIOS if s.overrides and s.record is not None and comparable(s.record)]


@pytest.mark.parametrize("scenario", LEASED, ids=lambda s: s.name)
def test_leases_decide_alike_on_the_record_and_on_its_policy_read_back(scenario: Any) -> None:
    """The catalogue's leases apply to an imported record as to the record it came from."""
    from assets.supplier_keys import with_supplier_keys

    back = with_supplier_keys(
        replace(round_tripped(scenario.record), source=scenario.record.source)
    )
    original = with_supplier_keys(scenario.record)
    assert decisions(back, scenario.overrides) == decisions(original, scenario.overrides)


@pytest.mark.parametrize(
    "when", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "99999-01-01"]
)
def test_a_time_beyond_the_calendar_is_read_as_other(when: str) -> None:
    rule = {
        "target": TARGET,
        "action": "use",
        "constraint": [{"leftOperand": "dateTime", "operator": "lt", "rightOperand": when}],
    }
    assert [r.code for r in read_policy(foreign(rule)).restrictions] == [Code.OTHER]


def test_a_huge_retention_window_is_read_without_overflow() -> None:
    duty = {
        "action": "delete",
        "constraint": [
            {"leftOperand": "elapsedTime", "operator": "eq", "rightOperand": "P" + "9" * 40 + "D"}
        ],
    }
    reading = read_policy(
        foreign({"target": TARGET, "action": "use", "duty": [duty]}, kind="permission")
    )
    record = record_from_policy(reading, ingested_at=T0)
    assert evaluate(record, Use(Purpose.ARCHIVE, at=T0)).decision == Outcome.DENY
    assert evaluate(record, Use(Purpose.EDITORIAL, at=T0)).decision == Outcome.ALLOW
