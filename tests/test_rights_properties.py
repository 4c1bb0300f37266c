"""Properties the rights policy keeps for every record, use and set of leases.

These are the promises the publishing system relies on: the same question always gets the same
answer, nothing is allowed that a restriction forbids unless a lease says so, and an unknown
or restricted image never slips through.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rights import (
    Code,
    Decision,
    Outcome,
    Override,
    Purpose,
    Restriction,
    RightsRecord,
    Use,
    evaluate,
    prepare,
    record_from_dict,
    record_to_dict,
)
from rights.moment import as_utc
from tests.rights_builders import leases, maybe_moments, moments, records, restrictions, uses

RANK = {Outcome.ALLOW: 0, Outcome.REVIEW: 1, Outcome.DENY: 2}
overrides_lists = st.lists(leases(), max_size=3)
deny_leases = st.lists(leases(st.just(Outcome.DENY)), max_size=3)

# The specification, written independently of the engine: purposes each restriction forbids.
FORBIDDEN: dict[Code, set[Purpose]] = {
    Code.NO_SALES: {Purpose.SALE},
    Code.NO_RESALES: {Purpose.SYNDICATION},
    Code.NO_SYNDICATION: {Purpose.SYNDICATION},
    Code.NO_MARKETING: {Purpose.MARKETING},
    Code.NO_ADVERTISING: {Purpose.ADVERTISING},
    Code.NO_COMMERCIAL_USE: {Purpose.COMMERCIAL},
    Code.NO_ARCHIVES: {Purpose.ARCHIVE},
}


def forbids(restriction: Restriction, use: Use, record: RightsRecord, now: object) -> bool:
    """True when the specification says this restriction alone denies this use."""
    if restriction.code == Code.EDITORIAL_USE_ONLY:
        return use.purpose != Purpose.EDITORIAL
    if use.purpose in FORBIDDEN.get(restriction.code, set()):
        return True
    moment = as_utc(now or use.at)  # type: ignore[arg-type]
    until = as_utc(restriction.embargo_until)
    return restriction.code == Code.EMBARGO and None not in (moment, until) and moment < until  # type: ignore[operator]


def rank(decision: Decision) -> int:
    return RANK[decision.decision]


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments)
def test_same_question_gets_the_same_answer(record, use, overrides, now) -> None:
    first = evaluate(record, use, overrides, now)
    assert evaluate(record, use, overrides, now) == first
    assert evaluate(prepare(record), use, overrides, now) == first


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments)
def test_decision_is_the_most_severe_reason_and_reasons_come_most_severe_first(
    record, use, overrides, now
) -> None:
    decision = evaluate(record, use, overrides, now)
    ranks = [RANK[r.outcome] for r in decision.reasons]
    assert decision.reasons
    assert ranks == sorted(ranks, reverse=True)
    assert RANK[decision.decision] == ranks[0]


@settings(max_examples=40, deadline=None)
@given(records(), uses(), deny_leases, maybe_moments)
def test_never_allow_when_a_restriction_forbids_the_use_and_no_allow_lease_exists(
    record, use, overrides, now
) -> None:
    decision = evaluate(record, use, overrides, now)
    if any(forbids(r, use, record, now) for r in record.restrictions):
        assert decision.decision is Outcome.DENY


@settings(max_examples=60, deadline=None)
@given(records(), uses(), deny_leases, maybe_moments, restrictions(), st.data())
def test_a_restriction_forbidding_the_purpose_denies_it_without_an_allow_lease(
    record, use, overrides, now, forbidding, data
) -> None:
    code, purpose = data.draw(
        st.sampled_from([(c, p) for c, ps in FORBIDDEN.items() for p in ps])
        | st.tuples(
            st.just(Code.EDITORIAL_USE_ONLY),
            st.sampled_from([p for p in Purpose if p != Purpose.EDITORIAL]),
        )
    )
    record = replace(record, restrictions=(*record.restrictions, replace(forbidding, code=code)))
    decision = evaluate(record, replace(use, purpose=purpose), overrides, now)
    assert decision.decision is Outcome.DENY
    assert any(r.code == code and r.outcome is Outcome.DENY for r in decision.reasons) or (
        decision.reasons[0].code in ("KILLED", "KILL_REQUESTED")
    )


@settings(max_examples=40, deadline=None)
@given(uses(), overrides_lists, maybe_moments)
def test_never_allow_without_a_record(use, overrides, now) -> None:
    decision = evaluate(None, use, overrides, now)
    assert decision.decision is Outcome.DENY
    assert decision.reasons[0].code == "UNKNOWN_ASSET"


@settings(max_examples=40, deadline=None)
@given(records(), restrictions(), uses(), overrides_lists, maybe_moments)
def test_adding_a_restriction_never_turns_deny_into_allow(
    record, extra, use, overrides, now
) -> None:
    before = evaluate(record, use, overrides, now)
    after = evaluate(
        replace(record, restrictions=(*record.restrictions, extra)), use, overrides, now
    )
    if before.decision is Outcome.DENY:
        assert after.decision is Outcome.DENY


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, deny_leases, maybe_moments)
def test_adding_deny_leases_never_makes_an_answer_more_permissive(
    record, use, overrides, denials, now
) -> None:
    before = evaluate(record, use, overrides, now)
    after = evaluate(record, use, [*overrides, *denials], now)
    assert rank(after) >= rank(before)


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments, st.data())
def test_a_deny_lease_covering_the_use_always_denies(record, use, overrides, now, data) -> None:
    moment = now or use.at
    window = {}
    if moment is not None and data.draw(st.booleans()):
        window = {"starts": moment - timedelta(hours=1), "ends": moment + timedelta(hours=1)}
    covering = Override(
        Outcome.DENY,
        "photographer withdrew consent",
        purposes=(use.purpose,) if data.draw(st.booleans()) else (),
        channels=(use.channel,) if use.channel and data.draw(st.booleans()) else (),
        territories=(use.territory,) if use.territory and data.draw(st.booleans()) else (),
        id="LD",
        **window,  # type: ignore[arg-type]
    )
    position = data.draw(st.integers(0, len(overrides)))
    overrides = [*overrides[:position], covering, *overrides[position:]]
    assert evaluate(record, use, overrides, now).decision is Outcome.DENY


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments)
def test_allow_always_carries_the_credit_line_when_the_record_has_one(
    record, use, overrides, now
) -> None:
    decision = evaluate(record, use, overrides, now)
    if decision.decision is Outcome.ALLOW and record.credit_line:
        assert decision.credit_line == record.credit_line
        assert record.credit_line in decision.obligations


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments)
def test_killed_images_are_denied_whatever_the_leases(record, use, overrides, now) -> None:
    record = replace(record, killed=True)
    assert evaluate(record, use, overrides, now).decision is Outcome.DENY


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments)
def test_kill_requests_are_denied_for_every_use_whatever_the_leases(
    record, use, overrides, now
) -> None:
    record = replace(record, killed=False, kill_requested=True)
    decision = evaluate(record, use, overrides, now)
    assert decision.decision is Outcome.DENY
    assert [r.code for r in decision.reasons] == ["KILL_REQUESTED"]


@settings(max_examples=40, deadline=None)
@given(records(), uses())
def test_time_dependent_rules_never_allow_without_a_time(record, use) -> None:
    timed = replace(use, at=None)
    decision = evaluate(record, timed, (), None)
    time_bound = record.embargo_until is not None or any(
        r.code in (Code.EMBARGO, Code.NO_ARCHIVES) for r in record.restrictions
    )
    if time_bound:
        assert decision.decision is not Outcome.ALLOW


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, maybe_moments)
def test_a_record_read_back_from_json_gets_the_same_answer(record, use, overrides, now) -> None:
    read_back = record_from_dict(json.loads(json.dumps(record_to_dict(record))))
    assert evaluate(read_back, use, overrides, now) == evaluate(record, use, overrides, now)


@settings(max_examples=40, deadline=None)
@given(records(), uses(), overrides_lists, moments, st.booleans())
def test_an_allow_lease_outside_its_window_changes_nothing_but_a_note(
    record, use, overrides, now, too_early
) -> None:
    window = {"starts": now + timedelta(seconds=1)} if too_early else {"ends": now}
    idle = Override(Outcome.ALLOW, "next season's licence", id="LX", **window)  # type: ignore[arg-type]
    without = evaluate(record, use, overrides, now)
    with_idle = evaluate(record, use, [*overrides, idle], now)
    assert with_idle.decision is without.decision
    assert [r for r in with_idle.reasons if "LX" not in r.message] == list(without.reasons)
