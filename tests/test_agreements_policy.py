"""Agreements in the policy: scenario tables through `rights.evaluate`, and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.supplier_keys import name_key, with_supplier_keys
from rights import (
    NO_AGREEMENT,
    Agreement,
    Channel,
    Code,
    Cost,
    LeaseScope,
    Outcome,
    Override,
    Purpose,
    ReasonCode,
    Use,
    agreement_for,
    agreement_from_dict,
    agreement_to_dict,
    evaluate,
)
from rights.wire import WireError
from tests.rights_builders import T0, agency_record, leases, records, restriction, seed_record, uses

AFP = with_supplier_keys(agency_record())
EPA = with_supplier_keys(seed_record())
LATER = T0 + timedelta(days=40)


def afp(**terms: object) -> Agreement:
    values: dict[str, object] = {"supplier": "AFP", "supplier_key": name_key("AFP"), "version": 3}
    values.update(terms)
    return Agreement(**values)  # type: ignore[arg-type]


def use(purpose: str = "editorial", channel: str | None = "web", territory: str | None = "GB"):
    return Use(Purpose(purpose), None if channel is None else Channel(channel), territory, T0)


def codes(decision) -> set[str]:
    return {str(r.code) for r in decision.reasons if r.outcome is not Outcome.ALLOW}


SCENARIOS = [
    # (name, agreement, use, decision, cost, codes that hold the decision)
    ("free and covered", afp(), use(), "allow", "free", set()),
    ("purpose outside", afp(purposes=(Purpose.EDITORIAL,)), use("commercial"), "deny", None,
     {"NOT_COVERED_BY_AGREEMENT"}),
    ("channel outside", afp(channels=(Channel.PRINT,)), use(), "deny", None,
     {"NOT_COVERED_BY_AGREEMENT"}),
    ("channel unknown", afp(channels=(Channel.PRINT,)), use(channel=None), "review", None,
     {"NOT_COVERED_BY_AGREEMENT"}),
    ("territory outside", afp(territories=("FR",)), use(), "deny", None,
     {"NOT_COVERED_BY_AGREEMENT"}),
    ("territory alias inside", afp(territories=("UK",)), use(), "allow", "free", set()),
    ("territory unknown", afp(territories=("FR",)), use(territory=None), "review", None,
     {"NOT_COVERED_BY_AGREEMENT"}),
    ("not started", afp(starts=T0 + timedelta(days=1)), use(), "deny", None,
     {"NOT_COVERED_BY_AGREEMENT"}),
    ("ended", afp(ends=T0), use(), "deny", None, {"NOT_COVERED_BY_AGREEMENT"}),
    ("inside window", afp(starts=T0 - timedelta(days=1), ends=T0 + timedelta(seconds=1)), use(),
     "allow", "free", set()),
    ("pay with price", afp(cost=Cost.PAY, price=Decimal("12.50"), currency="EUR"), use(),
     "allow", "pay", set()),
    ("conditional", afp(cost=Cost.CONDITIONAL), use(), "allow", "conditional", set()),
    ("lease required, none", afp(lease_required=(Purpose.COMMERCIAL,)), use("commercial"),
     "deny", "free", {"LEASE_REQUIRED"}),
    ("lease required for another purpose", afp(lease_required=(Purpose.COMMERCIAL,)), use(),
     "allow", "free", set()),
    ("quota left", afp(quota=10), use(), "allow", "free", set()),
    ("no agreement for the supplier", NO_AGREEMENT, use(), "review", None, {"NO_AGREEMENT"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("agreement", "the_use", "decision", "cost", "held_by"),
    [s[1:] for s in SCENARIOS],
    ids=[s[0] for s in SCENARIOS],
)
def test_agreement_scenarios(agreement, the_use, decision, cost, held_by):
    result = evaluate(AFP, the_use, (), T0, agreement=agreement)
    assert result.decision == decision, result.reasons
    assert result.cost == cost
    assert codes(result) == held_by


def test_not_covered_names_the_agreement_and_its_version():
    result = evaluate(AFP, use("sale"), (), T0, agreement=afp(purposes=(Purpose.EDITORIAL,)))
    [reason] = [r for r in result.reasons if r.code == ReasonCode.NOT_COVERED_BY_AGREEMENT]
    assert '"AFP"' in reason.message and "version 3" in reason.message
    assert "editorial" in reason.message


def test_use_after_the_quota_is_reviewed_and_costs_overquota():
    result = evaluate(AFP, use(), (), T0, agreement=afp(quota=10), uses_this_month=10)
    assert result.decision == "review" and result.cost == Cost.OVERQUOTA
    assert codes(result) == {"AGREEMENT_QUOTA"}
    assert evaluate(AFP, use(), (), T0, agreement=afp(quota=10), uses_this_month=9).cost == "free"


def test_price_is_reported_with_its_currency():
    result = evaluate(AFP, use(), (), T0, agreement=afp(cost=Cost.PAY, price=Decimal("12.50"),
                                                      currency="EUR"))  # fmt: skip
    assert result.price == "12.50 EUR"


def test_restriction_deny_still_beats_a_free_agreement():
    record = with_supplier_keys(agency_record(restriction(Code.NO_SALES)))
    result = evaluate(record, use("sale"), (), T0, agreement=afp())
    assert result.decision == "deny" and "NO_SALES" in codes(result)
    assert result.cost == "free"


def test_review_from_a_restriction_beats_an_agreement_allow():
    record = with_supplier_keys(agency_record(restriction(Code.OTHER, "CALL THE DESK")))
    assert evaluate(record, use(), (), T0, agreement=afp()).decision == "review"


def test_killed_and_purged_are_denied_whatever_the_agreement():
    for record in (replace(AFP, killed=True), replace(AFP, purged=True)):
        result = evaluate(record, use(), (), T0, agreement=afp())
        assert result.decision == "deny"
        assert result.reasons[0].code in (ReasonCode.KILLED, ReasonCode.PURGED)


def test_allow_lease_lifts_the_agreement_limit_inside_its_scope_and_window_and_says_so():
    agreement = afp(purposes=(Purpose.EDITORIAL,))
    lease = Override(
        Outcome.ALLOW,
        "one-off commercial licence",
        purposes=(Purpose.COMMERCIAL,),
        starts=T0 - timedelta(days=1),
        ends=T0 + timedelta(days=1),
        id="L1",
    )
    inside = evaluate(AFP, use("commercial"), (lease,), T0, agreement=agreement)
    assert inside.decision == "allow"
    lifted = [r for r in inside.reasons if r.code == ReasonCode.NOT_COVERED_BY_AGREEMENT]
    assert lifted and lifted[0].lifted_by == "L1"
    assert any(r.code == ReasonCode.LEASE_ALLOW and "NOT_COVERED" in r.message
               for r in inside.reasons)  # fmt: skip
    after = evaluate(AFP, replace(use("commercial"), at=LATER), (lease,), LATER,
                     agreement=agreement)  # fmt: skip
    assert after.decision == "deny"
    assert any(r.code == ReasonCode.LEASE_NOT_APPLIED for r in after.reasons)
    other_purpose = evaluate(AFP, use("sale"), (lease,), T0, agreement=agreement)
    assert other_purpose.decision == "deny"


def test_lease_lifts_a_required_lease():
    agreement = afp(lease_required=(Purpose.COMMERCIAL,))
    lease = Override(Outcome.ALLOW, "licensed", purposes=(Purpose.COMMERCIAL,), id="L2")
    assert evaluate(AFP, use("commercial"), (lease,), T0, agreement=agreement).decision == "allow"


def test_no_agreement_configured_leaves_the_policy_unchanged():
    for record in (AFP, EPA, with_supplier_keys(agency_record(agency=None, credit_line=None))):
        for purpose in Purpose:
            before = evaluate(record, use(purpose), (), T0)
            assert evaluate(record, use(purpose), (), T0, agreement=None) == before
            assert before.cost is None


def test_agreement_for_picks_the_supplier_then_the_source_then_the_default():
    default = Agreement(None, cost=Cost.CONDITIONAL)
    epa = Agreement("epa ", supplier_key=name_key("EPA"))
    source = Agreement("Russian Defence Ministry Press Service",
                       supplier_key=name_key("RUSSIAN DEFENCE MINISTRY PRESS SERVICE"))  # fmt: skip
    assert agreement_for((), EPA) is None
    assert agreement_for((default,), EPA) is default
    assert agreement_for((epa,), AFP) is NO_AGREEMENT
    assert agreement_for((default, source), EPA) is source
    assert agreement_for((default, source, epa), EPA) is epa
    assert agreement_for((default,), with_supplier_keys(agency_record(agency=None))) is default


def test_an_unknown_supplier_without_a_default_is_reviewed():
    unknown = with_supplier_keys(agency_record(agency=None))
    governing = agreement_for((afp(),), unknown)
    assert evaluate(unknown, use(), (), T0, agreement=governing).decision == "review"


def test_wire_round_trip_and_refusals():
    agreement = afp(cost=Cost.PAY, price=Decimal("3.5"), currency="eur", quota=5,
                    territories=("GB",), starts=T0, ends=LATER, id="A1")  # fmt: skip
    data = agreement_to_dict(agreement)
    again = agreement_from_dict(data)
    assert again.price == Decimal("3.50") and again.currency == "EUR" and again.quota == 5
    assert agreement_to_dict(again)["price"] == "3.50"
    for bad in (
        {"cost": "overquota"},
        {"cost": "free", "quota": -1},
        {"cost": "free", "price": "-3"},
        {"cost": "free", "price": "NaN"},
        {"cost": "free", "price": True},
        {"cost": "free", "territories": ["Atlantis"]},
        {"cost": "free", "starts": "2026-02-01T00:00:00Z", "ends": "2026-01-01T00:00:00Z"},
        {"cost": "free", "supplier": "  "},
        {"cost": "free", "currency": "EURO"},
        {"cost": "free", "cots": "typo"},
        {},
    ):
        with pytest.raises(WireError):
            agreement_from_dict(bad)


agreements = st.builds(
    afp,
    cost=st.sampled_from([Cost.FREE, Cost.CONDITIONAL, Cost.PAY]),
    purposes=st.lists(st.sampled_from(Purpose), max_size=3, unique=True).map(tuple),
    channels=st.lists(st.sampled_from(Channel), max_size=3, unique=True).map(tuple),
    territories=st.lists(st.sampled_from(["GB", "FR", "DE"]), max_size=2, unique=True).map(tuple),
    quota=st.none() | st.integers(min_value=0, max_value=5),
    lease_required=st.lists(st.sampled_from(Purpose), max_size=2, unique=True).map(tuple),
    ends=st.none() | st.just(T0) | st.just(LATER),
)


@settings(max_examples=300, deadline=None)
@given(records(), uses(), st.lists(leases(), max_size=3), agreements,
       st.integers(min_value=0, max_value=8))  # fmt: skip
def test_adding_an_agreement_never_turns_deny_into_allow(record, the_use, lease_list, agreement,
                                                         used):  # fmt: skip
    record = with_supplier_keys(record)
    agreement = replace(agreement, supplier=None, supplier_key=None)  # the default: governs all
    without = evaluate(record, the_use, lease_list, T0)
    with_it = evaluate(record, the_use, lease_list, T0, agreement=agreement,
                       uses_this_month=used)  # fmt: skip
    assert with_it.decision.severity >= without.decision.severity
    assert evaluate(record, the_use, lease_list, T0, agreement=NO_AGREEMENT).decision.severity >= (
        without.decision.severity
    )


@settings(max_examples=300, deadline=None)
@given(records(), uses(), agreements, st.integers(min_value=0, max_value=8))
def test_the_remembered_answer_with_an_agreement_is_the_full_evaluation(
    record, the_use, agreement, used
):
    """A lease for another supplier changes nothing but forces the full path: the answers agree."""
    record = with_supplier_keys(record)
    agreement = replace(agreement, supplier=None, supplier_key=None)
    elsewhere = Override(Outcome.DENY, "other supplier", scope=LeaseScope.AGENCY,
                         target="Nobody", target_key="nobody-at-all")  # fmt: skip
    fast = evaluate(record, the_use, (), T0, agreement=agreement, uses_this_month=used)
    full = evaluate(record, the_use, (elsewhere,), T0, agreement=agreement, uses_this_month=used)
    assert fast == full


SYNTHETIC = restriction(Code.SYNTHETIC_MEDIA, "Iptc4xmpExt:DigitalSourceType compositeSynthetic")


def test_an_agreement_keeps_the_synthetic_media_review_by_default() -> None:
    record = with_supplier_keys(agency_record(SYNTHETIC))
    decision = evaluate(record, use(), agreement=afp())
    assert decision.decision == Outcome.REVIEW
    assert "SYNTHETIC_MEDIA" in codes(decision)


def test_an_agreement_that_trusts_its_suppliers_labels_allows_synthetic_editorial_use() -> None:
    record = with_supplier_keys(agency_record(SYNTHETIC))
    decision = evaluate(record, use(), agreement=afp(review_synthetic_media=False))
    assert decision.decision == Outcome.ALLOW
    assert any(r.code == Code.SYNTHETIC_MEDIA for r in decision.reasons)  # still on the answer


def test_the_synthetic_switch_of_an_agreement_never_lifts_its_other_limits() -> None:
    record = with_supplier_keys(agency_record(SYNTHETIC))
    relaxed = afp(review_synthetic_media=False, purposes=(Purpose.EDITORIAL,))
    assert evaluate(record, use("commercial"), agreement=relaxed).decision == Outcome.DENY


@pytest.mark.parametrize("value", ["false", 0, None, "no", []])
def test_the_synthetic_switch_is_read_only_as_a_json_boolean(value: object) -> None:
    with pytest.raises(WireError, match="review_synthetic_media"):
        agreement_from_dict({"cost": "free", "review_synthetic_media": value})


def test_the_synthetic_switch_survives_the_wire_round_trip() -> None:
    agreement = afp(review_synthetic_media=False)
    assert agreement_from_dict(agreement_to_dict(agreement)).review_synthetic_media is False
    assert agreement_from_dict({"cost": "free"}).review_synthetic_media is True
