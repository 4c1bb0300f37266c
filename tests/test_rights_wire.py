"""Rights values survive the trip to JSON and back, and bad JSON is refused with a clear fix."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rights import (
    Channel,
    Code,
    LeaseScope,
    Outcome,
    Purpose,
    Use,
    WireError,
    decision_from_dict,
    decision_to_dict,
    evaluate,
    override_from_dict,
    override_to_dict,
    record_from_dict,
    record_to_dict,
    restriction_from_dict,
    restriction_to_dict,
    use_from_dict,
    use_to_dict,
)
from rights.moment import utc
from rights.wire import evidence_from_dict, evidence_to_dict
from tests.rights_builders import (
    SEED_CREDIT,
    T0,
    evidences,
    leases,
    maybe_moments,
    records,
    restrictions,
    seed_record,
    uses,
)

any_text = st.text(max_size=20)


def through_json(data: dict[str, Any]) -> Any:
    """What the other side of an HTTP call or a JSON column reads back."""
    return json.loads(json.dumps(data))


@st.composite
def full_records(draw: st.DrawFn) -> Any:
    """Records with every field drawn, including the descriptive ones the policy ignores."""
    record = draw(records())
    return replace(
        record,
        agency_ref=draw(st.none() | any_text),
        byline=draw(st.none() | any_text),
        copyright=draw(st.none() | any_text),
        handout=draw(st.booleans()),
        pool=draw(st.booleans()),
        date=draw(st.none() | st.dates() | st.sampled_from(["2022-01", "2021"])),
        place=draw(st.none() | any_text),
        parser_version=draw(st.none() | any_text),
        kill_reason=draw(st.none() | any_text),
        extra=draw(st.dictionaries(any_text, any_text, max_size=2)),
        territories=tuple(draw(st.lists(any_text, max_size=2))),
    )


@settings(max_examples=30, deadline=None)
@given(evidences())
def test_evidence_round_trips_through_json(evidence) -> None:
    assert evidence_from_dict(through_json(evidence_to_dict(evidence))) == evidence


@settings(max_examples=30, deadline=None)
@given(restrictions())
def test_restriction_round_trips_through_json(restriction) -> None:
    assert restriction_from_dict(through_json(restriction_to_dict(restriction))) == restriction


@settings(max_examples=30, deadline=None)
@given(full_records())
def test_rights_record_round_trips_through_json(record) -> None:
    assert record_from_dict(through_json(record_to_dict(record))) == record


@settings(max_examples=30, deadline=None)
@given(uses())
def test_use_round_trips_through_json(use) -> None:
    assert use_from_dict(through_json(use_to_dict(use))) == use


@settings(max_examples=30, deadline=None)
@given(leases())
def test_lease_round_trips_through_json(lease) -> None:
    assert override_from_dict(through_json(override_to_dict(lease))) == lease


@settings(max_examples=30, deadline=None)
@given(records(), uses(), st.lists(leases(), max_size=2), maybe_moments)
def test_decision_round_trips_through_json(record, use, overrides, now) -> None:
    decision = evaluate(record, use, overrides, now)
    assert decision_from_dict(through_json(decision_to_dict(decision))) == decision


def test_restriction_dict_has_the_shape_design_md_promises() -> None:
    [editorial, _] = seed_record().restrictions
    data = restriction_to_dict(editorial)

    assert {"code", "text", "origin", "start", "end"} <= data.keys()
    assert data["code"] == "EDITORIAL_USE_ONLY"
    assert data["origin"] == "caption"
    assert len(data["evidence"]) == 2


def test_seed_decision_dict_is_what_the_publishing_hook_answers() -> None:
    data = decision_to_dict(evaluate(seed_record(), Use(Purpose.SALE), now=T0))

    assert data["decision"] == "deny"
    assert data["credit_line"] == SEED_CREDIT
    assert data["obligations"] == [SEED_CREDIT]
    [no_sales] = [r for r in data["reasons"] if r["code"] == "NO_SALES"]
    assert no_sales["outcome"] == "deny"
    assert [e["text"] for e in no_sales["evidence"]] == ["NO SALES", "NO SALES"]
    assert json.loads(json.dumps(data)) == data


def test_record_date_reads_a_full_date_as_a_date_and_keeps_a_month_as_text() -> None:
    assert record_from_dict({"date": "2022-01-09"}).date == date(2022, 1, 9)
    assert record_from_dict({"date": "2022-01"}).date == "2022-01"


def test_unknown_restriction_code_is_read_as_other_so_checks_fail_closed() -> None:
    read = restriction_from_dict({"code": "NO_TIKTOK", "text": "NOT FOR TIKTOK"})
    assert read.code is Code.OTHER
    assert read.text == "NOT FOR TIKTOK"


def test_use_with_iso_time_and_z_suffix_is_read_as_utc() -> None:
    use = use_from_dict({"purpose": "editorial", "channel": "web", "at": "2026-01-10T12:00:00Z"})
    assert use == Use(Purpose.EDITORIAL, Channel.WEB, at=T0)


def test_lease_defaults_to_asset_scope_and_any_use() -> None:
    lease = override_from_dict({"effect": "allow", "reason": "bought"})
    assert (lease.scope, lease.purposes, lease.channels, lease.starts) == ("asset", (), (), None)
    assert lease.scope is LeaseScope.ASSET
    assert lease.effect is Outcome.ALLOW


@pytest.mark.parametrize(
    ("reader", "data", "names"),
    [
        (use_from_dict, {}, ["use.purpose", "editorial"]),
        (use_from_dict, {"purpose": "lunch"}, ["use.purpose", "editorial", "'lunch'"]),
        (use_from_dict, {"purpose": "editorial", "channel": "pigeon"}, ["use.channel", "web"]),
        (use_from_dict, {"purpose": "editorial", "at": "tomorrow"}, ["use.at", "ISO 8601"]),
        (use_from_dict, [], ["use must be a JSON object"]),
        (override_from_dict, {"reason": "x"}, ["override.effect", "allow or deny"]),
        (override_from_dict, {"effect": "allow"}, ["override.reason"]),
        (
            override_from_dict,
            {"effect": "deny", "reason": "x", "purposes": ["sale", "lunch"]},
            ["override.purposes[1]"],
        ),
        (
            override_from_dict,
            {"effect": "deny", "reason": "x", "starts": T0.isoformat(), "ends": T0.isoformat()},
            ["override.ends must be after"],
        ),
        (use_from_dict, {"purpose": "sale", "territory": "EU"}, ["use.territory", "'EU'"]),
        (
            override_from_dict,
            {"effect": "deny", "reason": "x", "territories": ["FR", "ZZ"]},
            ["override.territories[1]", "'ZZ' is not an ISO 3166-1"],
        ),
        (
            override_from_dict,
            {"effect": "deny", "reason": "x", "scope": "photographer"},
            ["override.scope", "agency", "'photographer'"],
        ),
        (record_from_dict, {"restrictions": [{"code": "NO_SALES"}]}, ["restrictions[0].text"]),
        (record_from_dict, {"handout": "yes"}, ["rights.handout", "true or false"]),
        (record_from_dict, {"restrictions": "NO SALES"}, ["rights.restrictions must be a list"]),
    ],
)
def test_bad_json_is_refused_naming_the_field_and_the_fix(reader, data, names) -> None:
    with pytest.raises(WireError) as error:
        reader(data)
    for name in names:
        assert name in str(error.value)


def test_lease_window_with_mixed_time_zones_is_checked_as_instants() -> None:
    data = {
        "effect": "allow",
        "reason": "x",
        "starts": T0.isoformat(),
        "ends": (T0 + timedelta(hours=1)).replace(tzinfo=None).isoformat(),
    }
    read = override_from_dict(data)
    assert read.ends is not None and read.starts is not None
    assert utc(read.ends) - utc(read.starts) == timedelta(hours=1)  # naive end read as UTC
    # the same wall-clock end, one hour earlier than it looks once its zone is known: +01:00
    # makes it the start instant itself, so the window is empty and refused
    empty = {**data, "ends": (T0 + timedelta(hours=1)).replace(tzinfo=None).isoformat() + "+01:00"}
    with pytest.raises(WireError, match="ends must be after"):
        override_from_dict(empty)
    # a start written in another zone is compared as the instant it names
    shifted = {**data, "starts": T0.astimezone(timezone(timedelta(hours=-5))).isoformat()}
    assert utc(override_from_dict(shifted).starts) == T0  # type: ignore[arg-type]
