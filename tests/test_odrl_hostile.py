"""A policy written to loosen: aliases, contexts, unread keys, strict JSON, duties, times.

An imported policy only ever adds restrictions. Each class here is a way a document could say
a restriction that a reader skipping part of it would miss: the same key in another spelling,
a JSON-LD context giving a term another meaning, a key nobody reads, JSON that parsers read
differently, a duty limited to other uses than the rule it maps to, a time without a zone.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rights import Code, Origin, Outcome, Purpose, Restriction, RightsRecord, Use, evaluate
from rights.odrl import (
    ODRL,
    ODRL_CONTEXT,
    PolicyError,
    policy_from_record,
    policy_json,
    read_policy,
    record_from_policy,
    record_with_policy,
)
from tests.rights_builders import T0, agency_record, records

TARGET = "urn:rightsdesk:asset:01TEST"
DAY = timedelta(days=1)
MOMENTS = (None, T0 - 400 * DAY, T0, T0 + 40 * DAY, T0 + 400 * DAY)
TERRITORIES = (None, "GB", "DE", "US")
PERMIT = {"target": TARGET, "action": "use"}
EDITORIAL_ONLY = [
    {
        "leftOperand": "purpose",
        "operator": "eq",
        "rightOperand": {"@id": "https://rightsdesk.org/ns/odrl/purpose/editorial"},
    }
]


def decisions(record: RightsRecord) -> list[Outcome]:
    return [
        evaluate(record, Use(purpose, territory=territory, at=at)).decision
        for purpose in Purpose
        for territory in TERRITORIES
        for at in MOMENTS
    ]


def at_least_as_strict(strict: list[Outcome], loose: list[Outcome]) -> bool:
    return all(s.severity >= o.severity for s, o in zip(strict, loose, strict=True))


def codes(policy: dict[str, Any]) -> set[Code]:
    return {r.code for r in read_policy(policy).restrictions}


# --- the same key in another spelling ------------------------------------------------------

SPELLINGS = [lambda k: k, lambda k: f"odrl:{k}", lambda k: ODRL + k]


def respelled(node: Any, pick: int) -> Any:
    """`node` with every ODRL key written in spelling `pick` (compact, prefixed, full IRI)."""
    if isinstance(node, list):
        return [respelled(item, pick) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = value
            continue
        plain = not key.startswith("@") and ":" not in key
        out[SPELLINGS[pick](key) if plain else key] = respelled(value, pick)
    return out


@pytest.mark.parametrize("pick", [1, 2], ids=["prefixed", "iri"])
@pytest.mark.parametrize(
    ("policy", "code"),
    [
        ({"permission": [PERMIT], "prohibition": [{"action": "sell"}]}, Code.NO_SALES),
        ({"permission": [{**PERMIT, "constraint": EDITORIAL_ONLY}]}, Code.EDITORIAL_USE_ONLY),
        (
            {"permission": [{**PERMIT, "duty": [{"action": "attribute"}]}]},
            Code.MANDATORY_CREDIT,
        ),
        ({"obligation": [{"action": "attribute"}]}, Code.MANDATORY_CREDIT),
    ],
    ids=["prohibition", "permission-constraint", "duty", "obligation"],
)
def test_a_restriction_under_an_aliased_key_is_read(policy: Any, code: Code, pick: int) -> None:
    assert code in codes(respelled(policy, pick))


def test_one_key_written_two_ways_keeps_both_values() -> None:
    policy = {
        "permission": [PERMIT],
        "prohibition": [{"action": "archive"}],
        "odrl:prohibition": [{"action": "sell"}],
        ODRL + "prohibition": {"action": "use", "constraint": EDITORIAL_ONLY[:0]},
    }
    assert {Code.NO_SALES, Code.NO_ARCHIVES} <= codes(policy)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.sampled_from([1, 2]))
def test_any_exported_policy_respelled_decides_alike(record: RightsRecord, pick: int) -> None:
    """Every record's policy, its keys in another spelling, is read back exactly as before."""
    policy = json.loads(json.dumps(policy_from_record(record, target=TARGET)))
    plain = record_from_policy(read_policy(policy), ingested_at=record.ingested_at)
    other = record_from_policy(read_policy(respelled(policy, pick)), ingested_at=record.ingested_at)
    assert decisions(other) == decisions(plain)


# --- keys nobody reads, contexts that change meanings ---------------------------------------

UNREAD = [
    ("policy", "inheritFrom", "http://example.com/parent-policy"),
    ("policy", "assignee", "http://example.com/another-publisher"),
    ("policy", "action", "sell"),
    ("policy", "@graph", [{"prohibition": [{"action": "use"}]}]),
    ("policy", "@nest", {"prohibition": [{"action": "use"}]}),
    ("policy", "Prohibition", [{"action": "use"}]),
    ("permission", "assignee", "http://example.com/another-publisher"),
    ("permission", "@context", {"constraint": "http://example.com/ignored"}),
    ("permission", "refinement", [{"leftOperand": "count", "operator": "lteq", "rightOperand": 1}]),
    ("permission", "constraints", EDITORIAL_ONLY),
    ("duty", "consequence", [{"action": "compensate"}]),
    ("constraint", "status", 3),
    ("constraint", "rightOperandReference", "http://example.com/elsewhere"),
]


def with_unread(where: str, key: str, value: Any) -> dict[str, Any]:
    constraint = {"leftOperand": "purpose", "operator": "eq", "rightOperand": "editorial"}
    duty = {"action": "attribute", "attributedParty": {"vcard:fn": "EPA"}}
    permission: dict[str, Any] = {**PERMIT, "constraint": [constraint], "duty": [duty]}
    policy: dict[str, Any] = {"@context": ODRL_CONTEXT, "permission": [permission]}
    node = {"policy": policy, "permission": permission, "duty": duty, "constraint": constraint}
    node[where][key] = value
    return policy


@pytest.mark.parametrize(("where", "key", "value"), UNREAD, ids=[f"{w}-{k}" for w, k, _ in UNREAD])
def test_a_key_nobody_reads_is_other_and_reviews_every_use(
    where: str, key: str, value: Any
) -> None:
    reading = read_policy(with_unread(where, key, value))
    assert Code.OTHER in {r.code for r in reading.restrictions}
    record = record_with_policy(agency_record(), reading)
    for purpose in Purpose:
        assert evaluate(record, Use(purpose, at=T0)).decision != Outcome.ALLOW, purpose


CONTEXTS = [
    "http://example.com/my-odrl-context.jsonld",
    [ODRL_CONTEXT, {"sell": ODRL + "use"}],
    [ODRL_CONTEXT, {"eq": ODRL + "neq"}],
    [ODRL_CONTEXT, {"ban": ODRL + "prohibition"}],
    [ODRL_CONTEXT, {"odrl": "http://example.com/not-odrl/"}],
    [ODRL_CONTEXT, {"rdsk": "http://example.com/not-ours/"}],
    [ODRL_CONTEXT, {"prohibition": {"@id": ODRL + "prohibition", "@container": "@set"}}],
    [ODRL_CONTEXT, {"@vocab": "http://example.com/vocab/"}],
    [ODRL_CONTEXT, {"@base": "http://example.com/"}],
    [ODRL_CONTEXT, "not a context"],
    [ODRL_CONTEXT, 42],
]


@pytest.mark.parametrize("context", CONTEXTS, ids=range(len(CONTEXTS)))
def test_a_context_that_could_change_what_a_term_means_reviews(context: Any) -> None:
    policy = {
        "@context": context,
        "permission": [PERMIT],
        "prohibition": [{"action": "sell"}],
        "ban": [{"action": "use"}],
    }
    reading = read_policy(policy)
    assert Code.OTHER in {r.code for r in reading.restrictions}
    record = record_with_policy(agency_record(), reading)
    assert evaluate(record, Use(Purpose.EDITORIAL, at=T0)).decision == Outcome.REVIEW


@pytest.mark.parametrize(
    "context",
    [None, ODRL_CONTEXT, "https://www.w3.org/ns/odrl.jsonld", [ODRL_CONTEXT, {"odrl": ODRL}]],
)
def test_the_odrl_context_and_our_prefixes_read_without_review(context: Any) -> None:
    policy = {"@context": context, "permission": [PERMIT], "prohibition": [{"action": "sell"}]}
    assert codes(policy) == {Code.NO_SALES}


def test_a_policy_of_lease_permissions_only_is_read_as_it_states() -> None:
    """A lease marker lets a permission's constraints stand for a lease granted here only when
    the policy has a permission of its own: otherwise the marker would hide them."""
    policy: dict[str, list[Any]] = {
        "permission": [{**PERMIT, "constraint": EDITORIAL_ONLY, "rdsk:lease": "L1"}]
    }
    assert codes(policy) == {Code.EDITORIAL_USE_ONLY}
    policy["permission"].append(PERMIT)
    assert codes(policy) == set()


# --- JSON that readers read differently -----------------------------------------------------

AMBIGUOUS = [
    b'{"permission": [{"action": "use"}], "prohibition": [{"action": "sell"}], "prohibition": []}',
    b'{"prohibition": [{"action": "sell", "action": "print"}]}',
    b'{"prohibition": [{"action": "use", "constraint": [{"leftOperand": "dateTime",'
    b' "operator": "lt", "rightOperand": NaN}]}]}',
    b'{"prohibition": [{"action": "sell"}], "x": Infinity}',
    '{"prohibition": [{"action": "sell", "dct:description": "caf\xe9"}]}'.encode("latin-1"),
    b'{"permission": [{"action": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}",
    b"{not json",
]


@pytest.mark.parametrize("text", AMBIGUOUS, ids=range(len(AMBIGUOUS)))
def test_json_that_readers_read_differently_is_refused(text: bytes) -> None:
    with pytest.raises(PolicyError):
        policy_json(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_any_text_is_a_policy_document_or_a_policy_error(text: str | bytes) -> None:
    try:
        document = policy_json(text)
    except PolicyError:
        return
    with contextlib.suppress(PolicyError):
        read_policy(document)


# --- a delete duty's window, whatever its digits --------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12) | st.from_regex(r"\A[0-9]{1,6000}\Z"))
def test_any_delete_window_is_days_or_other_never_an_error(digits: str) -> None:
    duty = {
        "action": "delete",
        "constraint": [
            {"leftOperand": "elapsedTime", "operator": "eq", "rightOperand": f"P{digits}D"}
        ],
    }
    reading = read_policy({"obligation": [duty]})
    if reading.archive_retention_days is None:
        assert [r.code for r in reading.restrictions] == [Code.OTHER]
    else:
        assert digits.isascii() and digits.isdigit()
        assert reading.archive_retention_days == min(int(digits[:6]), 36_500) or len(digits) > 6


# --- duties limited to uses the rule they map to does not cover -----------------------------

PURPOSE_SETS = [None, *([p] for p in Purpose), list(Purpose)]


@pytest.mark.parametrize("reason", [None, "MODEL_RELEASE", "SYNTHETIC_MEDIA"])
@pytest.mark.parametrize("action", ["obtainConsent", "reviewPolicy"])
@pytest.mark.parametrize("purposes", PURPOSE_SETS, ids=str)
def test_a_duty_reviews_every_use_it_is_limited_to(
    purposes: list[Purpose] | None, action: str, reason: str | None
) -> None:
    """Consent or review demanded for a use: that use is never allowed outright."""
    duty: dict[str, Any] = {"action": action}
    if reason:
        duty["rdsk:reason"] = reason
    if purposes is not None:
        duty["constraint"] = [
            {"leftOperand": "purpose", "operator": "isAnyOf", "rightOperand": list(purposes)}
        ]
    record = record_with_policy(agency_record(), read_policy({"obligation": [duty]}))
    for purpose in purposes if purposes is not None else list(Purpose):
        assert evaluate(record, Use(purpose, at=T0)).decision != Outcome.ALLOW, purpose


# --- a time without a zone ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(["prohibition", "permission"]),
)
def test_a_time_without_a_zone_restricts_in_every_zone(
    naive: datetime, date_only: bool, kind: str
) -> None:
    text = naive.date().isoformat() if date_only else naive.replace(microsecond=0).isoformat()
    local = datetime.fromisoformat(text)
    zones = [timedelta(hours=h) for h in range(-12, 15)]
    instants = [(local - zone).replace(tzinfo=UTC) for zone in zones]
    for embargo in (True, False):
        operator = ("lt" if embargo else "gteq") if kind == "prohibition" else None
        operator = operator or ("gteq" if embargo else "lt")
        rule = {
            **PERMIT,
            "constraint": [{"leftOperand": "dateTime", "operator": operator, "rightOperand": text}],
        }
        (read,) = read_policy({kind: [rule]}).restrictions
        if embargo:
            assert read.embargo_until is not None and read.embargo_until >= max(instants)
        else:
            assert read.expires_at is not None and read.expires_at <= min(instants)


# --- a policy's OTHER survives a re-reading that finds its words elsewhere -----------------


@pytest.mark.parametrize("phrase", ["EPA", "Rally", "a", "EDITORIAL USE ONLY"])
def test_a_policy_other_is_kept_when_its_words_appear_in_the_caption(phrase: str) -> None:
    from assets.metadata import EmbeddedMetadata
    from assets.rights_reading import read_rights

    other = (Code.OTHER, phrase, Origin.POLICY)
    previous = read_rights("Rally. EPA/JOHN DOE EDITORIAL USE ONLY", EmbeddedMetadata())
    previous = record_with_policy(
        previous, read_policy({"prohibition": [{"action": "modify", "dct:description": phrase}]})
    )
    assert other in {(r.code, r.text, r.origin) for r in previous.restrictions}
    again = read_rights(
        "Rally in Paris. EPA/JOHN DOE EDITORIAL USE ONLY a", EmbeddedMetadata(), previous
    )
    assert other in {(r.code, r.text, r.origin) for r in again.restrictions}
    assert evaluate(again, Use(Purpose.EDITORIAL, at=T0)).decision == Outcome.REVIEW


@pytest.mark.parametrize("zone", ["-23:59", "+23:59", "-12:01", "+14:01"])
@pytest.mark.parametrize("operator", ["lt", "gteq"])
def test_a_time_in_a_zone_no_place_has_is_other(zone: str, operator: str) -> None:
    when = f"2027-01-31T00:00:00{zone}"
    rule = {
        **PERMIT,
        "constraint": [{"leftOperand": "dateTime", "operator": operator, "rightOperand": when}],
    }
    assert codes({"prohibition": [rule]}) == {Code.OTHER}


# --- the exported policy states every restriction of the record ----------------------------

SHAPES: list[dict[str, Any]] = [
    {},
    {"embargo_until": T0 + DAY},
    {"expires_at": T0 + DAY},
    {"countries_excluded": ("DE",)},
    {"countries_included": ("GB",)},
    {"countries_included": ("GB", "DE"), "countries_excluded": ("DE",)},
    {"embargo_until": T0 + DAY, "expires_at": T0 + 2 * DAY, "countries_excluded": ("FR",)},
]


@pytest.mark.parametrize("shape", SHAPES, ids=range(len(SHAPES)))
@pytest.mark.parametrize("code", list(Code))
def test_the_export_states_every_restriction_as_strictly_as_the_record(
    code: Code, shape: dict[str, Any]
) -> None:
    """Every code, in every shape a restriction takes: the policy cites its phrase, and read
    back it decides no use more loosely than the record (a consumer of the policy allows
    nothing we deny)."""
    restriction = Restriction(code, f"{code} as stated", **shape)
    for record in (agency_record(restriction), agency_record(restriction, embargo_until=T0)):
        policy = json.loads(json.dumps(policy_from_record(record, target=TARGET)))
        assert json.dumps(restriction.text) in json.dumps(policy)
        back = record_from_policy(read_policy(policy), ingested_at=record.ingested_at)
        assert at_least_as_strict(decisions(back), decisions(record))


@pytest.mark.parametrize("reason", [None, "CREDIT"])
def test_a_policy_never_replaces_the_credit_a_record_prints(reason: str | None) -> None:
    duty: dict[str, Any] = {"action": "attribute", "attributedParty": {"vcard:fn": "SOMEONE"}}
    if reason:
        duty["rdsk:reason"] = reason
    reading = read_policy({"obligation": [duty]})
    for record in (agency_record(), agency_record(credit_line=None)):
        printed = evaluate(record, Use(Purpose.EDITORIAL, at=T0)).credit_line
        after = record_with_policy(record, reading)
        assert evaluate(after, Use(Purpose.EDITORIAL, at=T0)).credit_line == printed
    bare = record_with_policy(RightsRecord(), reading)
    assert evaluate(bare, Use(Purpose.EDITORIAL, at=T0)).credit_line == "SOMEONE"


@pytest.mark.parametrize("kind", ["prohibition", "permission", "obligation"])
def test_a_flood_of_rules_is_read_in_bounded_time_and_the_rest_reviews(kind: str) -> None:
    """A request-sized policy (4 MiB) of distinct rules: read in seconds, not hours, into a
    bounded set of restrictions, and what was not kept reviews every use."""
    import time

    from rights.odrl_import import MAX_RESTRICTIONS

    rule: dict[str, Any] = {"action": "modify"}
    if kind == "permission":  # a constraint nobody reads: each rule would be an OTHER
        rule = {"action": "use", "constraint": [{"leftOperand": "industry", "operator": "eq"}]}
    count = 60_000 if kind != "permission" else 35_000
    rules = [{**rule, "dct:description": f"rule {i}"} for i in range(count)]
    text = json.dumps({kind: rules}).encode()
    assert len(text) < 4 << 20
    started = time.perf_counter()
    reading = read_policy(policy_json(text))
    assert time.perf_counter() - started < 30
    assert len(reading.restrictions) <= MAX_RESTRICTIONS + 1
    assert len(reading.notes) <= MAX_RESTRICTIONS
    record = record_with_policy(agency_record(), reading)
    assert evaluate(record, Use(Purpose.EDITORIAL, at=T0)).decision == Outcome.REVIEW


@pytest.mark.parametrize("blank", [" ", "\t\n", "\u00a0"])
def test_a_blank_credit_line_meets_no_mandatory_credit_and_round_trips(blank: str) -> None:
    credit = Restriction(Code.MANDATORY_CREDIT, "MANDATORY CREDIT")
    for record in (
        agency_record(credit, agency=None, credit_line=blank),
        agency_record(Restriction(Code.EDITORIAL_USE_ONLY, "A"), agency=None, credit_line=blank),
    ):
        back = record_from_policy(
            read_policy(policy_from_record(record, target=TARGET)), ingested_at=record.ingested_at
        )
        assert decisions(back) == decisions(record)
    mandatory = agency_record(credit, agency=None, credit_line=blank)
    assert evaluate(mandatory, Use(Purpose.EDITORIAL, at=T0)).decision == Outcome.REVIEW
