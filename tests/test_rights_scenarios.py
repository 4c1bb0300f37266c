"""The rights policy as a table of scenarios: one row per rule and per lease case.

Each row is a record, a use, the leases in force and the moment; the policy must answer with
the expected decision and cite the expected reasons. Read top to bottom, this is the product's
specification of `rights.evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from assets.supplier_keys import target_key, with_supplier_keys
from rights import (
    Channel,
    Code,
    Decision,
    Outcome,
    Override,
    Purpose,
    ReasonCode,
    RightsRecord,
    Use,
    evaluate,
    prepare,
    retention_ends,
)
from tests.rights_builders import (
    SEED_CAPTION,
    SEED_CREDIT,
    T0,
    agency_record,
    restriction,
    seed_record,
)

ALLOW, REVIEW, DENY = Outcome.ALLOW, Outcome.REVIEW, Outcome.DENY
P = Purpose
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Scenario:
    """`cites`: codes whose reasons carry the decision's outcome. `lifted`: codes a lease lifted."""

    name: str
    record: RightsRecord | None
    use: Use
    expected: Outcome
    cites: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    now: datetime | None = T0
    lifted: tuple[str, ...] = ()
    purge: bool = False


def use(purpose: Purpose, channel: Channel | None = Channel.WEB, **fields: object) -> Use:
    return Use(purpose, channel, **fields)  # type: ignore[arg-type]


def lease(effect: Outcome, **fields: object) -> Override:
    """A lease; a named target gets its key as the catalogue computes it, unless one is given."""
    values: dict[str, object] = {"reason": "negotiated with the agency", "id": "L1"}
    values.update(fields)
    target = values.get("target")
    if isinstance(target, str) and "target_key" not in values:
        values["target_key"] = target_key(str(values.get("scope", "asset")), target)
    return Override(effect, **values)  # type: ignore[arg-type]


def _keyed(record: RightsRecord | None) -> RightsRecord | None:
    """The record with its supplier keys, as the catalogue hands it to the policy."""
    return record and with_supplier_keys(record)


EMBARGO = restriction(
    Code.EMBARGO, "EMBARGOED UNTIL 10 JAN 2026 18:00 GMT", embargo_until=T0 + timedelta(hours=6)
)
UK_ONLY = restriction(Code.TERRITORY, "FOR USE IN UK ONLY", countries_included=("GB",))
NOT_GERMANY = restriction(Code.TERRITORY, "NO USE IN GERMANY", countries_excluded=("DE",))
NO_ARCHIVES = restriction(Code.NO_ARCHIVES, "NO ARCHIVES")
OTHER = restriction(Code.OTHER, "NOT FOR USE IN CONNECTION WITH ELECTIONS")
NO_SALES = restriction(Code.NO_SALES, "NO SALES")
SALE_LEASE_WINDOW = {"starts": T0 - DAY, "ends": T0 + DAY, "purposes": (P.SALE,)}

SCENARIOS = [
    # --- facts about the asset -------------------------------------------------------------
    Scenario("unknown asset is denied", None, use(P.EDITORIAL), DENY, (ReasonCode.UNKNOWN_ASSET,)),
    Scenario(
        "killed asset is denied even for editorial use",
        seed_record(killed=True),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.KILLED,),
    ),
    Scenario(
        "agency kill notice not yet confirmed is a kill request: denied",
        agency_record(kill_notice=True),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.KILL_REQUESTED,),
    ),
    Scenario(
        "kill request awaiting a rights manager is denied for every use",
        agency_record(kill_requested=True),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.KILL_REQUESTED,),
    ),
    Scenario(
        "a confirmed kill wins over a pending request",
        seed_record(killed=True, kill_requested=True, kill_notice=True),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.KILLED,),
    ),
    Scenario(
        "record without agency or restriction goes to review",
        RightsRecord(),
        use(P.EDITORIAL),
        REVIEW,
        (ReasonCode.NO_RIGHTS_STATED,),
    ),
    Scenario(
        "agency picture without restrictions is allowed with its credit",
        agency_record(),
        use(P.ADVERTISING),
        ALLOW,
        (ReasonCode.CREDIT,),
    ),
    Scenario(
        "unrecognised restriction text goes to review",
        agency_record(unrecognised=("PLEASE CALL DESK",)),
        use(P.EDITORIAL),
        REVIEW,
        (ReasonCode.UNRECOGNISED_RESTRICTION,),
    ),
    Scenario(
        "purpose outside the vocabulary goes to review",
        agency_record(),
        Use("lunch"),
        REVIEW,
        (ReasonCode.UNKNOWN_PURPOSE,),
    ),  # type: ignore[arg-type]
    # --- the seed handout --------------------------------------------------------------------
    *[
        Scenario(
            f"seed editorial on {c} is allowed",
            seed_record(),
            use(P.EDITORIAL, c),
            ALLOW,
            (Code.EDITORIAL_USE_ONLY, Code.NO_SALES, ReasonCode.CREDIT),
        )
        for c in Channel
    ],
    *[
        Scenario(
            f"seed {p} is denied by editorial use only",
            seed_record(),
            use(p),
            DENY,
            (Code.EDITORIAL_USE_ONLY,),
        )
        for p in (P.COMMERCIAL, P.ADVERTISING, P.MARKETING, P.ARCHIVE)
    ],
    Scenario(
        "seed sale is denied by no sales",
        seed_record(),
        use(P.SALE),
        DENY,
        (Code.EDITORIAL_USE_ONLY, Code.NO_SALES),
    ),
    # --- purpose restrictions ----------------------------------------------------------------
    Scenario("no sales allows editorial", agency_record(NO_SALES), use(P.EDITORIAL), ALLOW),
    Scenario("no sales denies sale", agency_record(NO_SALES), use(P.SALE), DENY, (Code.NO_SALES,)),
    Scenario(
        "no sales denies syndication",
        agency_record(NO_SALES),
        use(P.SYNDICATION),
        DENY,
        (Code.NO_SALES,),
    ),
    Scenario(
        "no resales denies syndication",
        agency_record(restriction(Code.NO_RESALES)),
        use(P.SYNDICATION),
        DENY,
        (Code.NO_RESALES,),
    ),
    Scenario(
        "no resales allows commercial use",
        agency_record(restriction(Code.NO_RESALES)),
        use(P.COMMERCIAL),
        ALLOW,
    ),
    Scenario(
        "no syndication denies syndication",
        agency_record(restriction(Code.NO_SYNDICATION)),
        use(P.SYNDICATION),
        DENY,
        (Code.NO_SYNDICATION,),
    ),
    Scenario(
        "no marketing denies marketing",
        agency_record(restriction(Code.NO_MARKETING)),
        use(P.MARKETING),
        DENY,
        (Code.NO_MARKETING,),
    ),
    Scenario(
        "no marketing denies advertising",
        agency_record(restriction(Code.NO_MARKETING)),
        use(P.ADVERTISING),
        DENY,
        (Code.NO_MARKETING,),
    ),
    Scenario(
        "no advertising denies advertising",
        agency_record(restriction(Code.NO_ADVERTISING)),
        use(P.ADVERTISING),
        DENY,
        (Code.NO_ADVERTISING,),
    ),
    Scenario(
        "no advertising allows marketing",
        agency_record(restriction(Code.NO_ADVERTISING)),
        use(P.MARKETING),
        ALLOW,
    ),
    *[
        Scenario(
            f"no commercial use denies {p}",
            agency_record(restriction(Code.NO_COMMERCIAL_USE)),
            use(p),
            DENY,
            (Code.NO_COMMERCIAL_USE,),
        )
        for p in (P.COMMERCIAL, P.ADVERTISING, P.MARKETING, P.SALE)
    ],
    Scenario(
        "no commercial use allows editorial",
        agency_record(restriction(Code.NO_COMMERCIAL_USE)),
        use(P.EDITORIAL),
        ALLOW,
    ),
    # --- no archives -------------------------------------------------------------------------
    Scenario(
        "no archives allows use inside the retention window",
        agency_record(NO_ARCHIVES),
        use(P.EDITORIAL),
        ALLOW,
        (Code.NO_ARCHIVES,),
    ),
    Scenario(
        "no archives denies archiving at once",
        agency_record(NO_ARCHIVES),
        use(P.ARCHIVE),
        DENY,
        (Code.NO_ARCHIVES,),
    ),
    Scenario(
        "no archives denies use after 30 days and asks for purge",
        agency_record(NO_ARCHIVES, ingested_at=T0 - 30 * DAY),
        use(P.EDITORIAL),
        DENY,
        (Code.NO_ARCHIVES,),
        purge=True,
    ),
    Scenario(
        "no archives uses the agency profile's window",
        agency_record(NO_ARCHIVES, ingested_at=T0 - 10 * DAY, archive_retention_days=7),
        use(P.EDITORIAL),
        DENY,
        (Code.NO_ARCHIVES,),
        purge=True,
    ),
    Scenario(
        "no archives with a longer profile window still allows",
        agency_record(NO_ARCHIVES, ingested_at=T0 - 40 * DAY, archive_retention_days=60),
        use(P.EDITORIAL),
        ALLOW,
    ),
    Scenario(
        "no archives without an ingest time goes to review",
        agency_record(NO_ARCHIVES, ingested_at=None),
        use(P.EDITORIAL),
        REVIEW,
        (Code.NO_ARCHIVES,),
    ),
    Scenario(
        "no archives without a time of use goes to review",
        agency_record(NO_ARCHIVES),
        use(P.EDITORIAL),
        REVIEW,
        (Code.NO_ARCHIVES,),
        now=None,
    ),
    # --- embargo -----------------------------------------------------------------------------
    Scenario(
        "embargo denies use before it ends",
        agency_record(EMBARGO),
        use(P.EDITORIAL),
        DENY,
        (Code.EMBARGO,),
    ),
    Scenario(
        "embargo allows use once it ends",
        agency_record(EMBARGO),
        use(P.EDITORIAL),
        ALLOW,
        (Code.EMBARGO,),
        now=T0 + timedelta(hours=6),
    ),
    Scenario(
        "embargo without a time of use goes to review",
        agency_record(EMBARGO),
        use(P.EDITORIAL),
        REVIEW,
        (Code.EMBARGO,),
        now=None,
    ),
    Scenario(
        "embargo whose end could not be read goes to review",
        agency_record(restriction(Code.EMBARGO, "EMBARGOED")),
        use(P.EDITORIAL),
        REVIEW,
        (Code.EMBARGO,),
    ),
    Scenario(
        "record embargo time alone denies before it ends",
        agency_record(embargo_until=T0 + DAY),
        use(P.EDITORIAL),
        DENY,
        (Code.EMBARGO,),
    ),
    Scenario(
        "use.at is the moment when now is not given",
        agency_record(EMBARGO),
        use(P.EDITORIAL, at=T0 + DAY),
        ALLOW,
        now=None,
    ),
    Scenario(
        "now wins over use.at",
        agency_record(EMBARGO),
        use(P.EDITORIAL, at=T0 + DAY),
        DENY,
        (Code.EMBARGO,),
    ),
    Scenario(
        "naive datetimes are read as UTC",
        agency_record(EMBARGO),
        use(P.EDITORIAL),
        DENY,
        (Code.EMBARGO,),
        now=(T0 + timedelta(hours=5)).replace(tzinfo=None),
    ),
    # --- territory ---------------------------------------------------------------------------
    Scenario(
        "territory allows inside the included countries",
        agency_record(UK_ONLY),
        use(P.EDITORIAL, territory="GB"),
        ALLOW,
        (Code.TERRITORY,),
    ),
    Scenario(
        "territory reads UK as GB", agency_record(UK_ONLY), use(P.EDITORIAL, territory="uk"), ALLOW
    ),
    Scenario(
        "territory denies outside the included countries",
        agency_record(UK_ONLY),
        use(P.EDITORIAL, territory="DE"),
        DENY,
        (Code.TERRITORY,),
    ),
    Scenario(
        "territory denies inside the excluded countries",
        agency_record(NOT_GERMANY),
        use(P.EDITORIAL, territory="DE"),
        DENY,
        (Code.TERRITORY,),
    ),
    Scenario(
        "territory allows outside the excluded countries",
        agency_record(NOT_GERMANY),
        use(P.EDITORIAL, territory="FR"),
        ALLOW,
    ),
    Scenario(
        "territory with no territory of use goes to review",
        agency_record(NOT_GERMANY),
        use(P.EDITORIAL),
        REVIEW,
        (Code.TERRITORY,),
    ),
    Scenario(
        "territory naming no country goes to review",
        agency_record(restriction(Code.TERRITORY, "RESTRICTED TERRITORIES")),
        use(P.EDITORIAL, territory="GB"),
        REVIEW,
        (Code.TERRITORY,),
    ),
    # --- credit, other -----------------------------------------------------------------------
    Scenario(
        "mandatory credit is an obligation",
        agency_record(restriction(Code.MANDATORY_CREDIT)),
        use(P.EDITORIAL),
        ALLOW,
        (Code.MANDATORY_CREDIT,),
    ),
    Scenario(
        "mandatory credit without a known credit goes to review",
        RightsRecord(restrictions=(restriction(Code.MANDATORY_CREDIT),)),
        use(P.EDITORIAL),
        REVIEW,
        (Code.MANDATORY_CREDIT,),
    ),
    Scenario(
        "other restriction goes to review",
        agency_record(OTHER),
        use(P.EDITORIAL),
        REVIEW,
        (Code.OTHER,),
    ),
    Scenario(
        "deny beats review", agency_record(OTHER, EMBARGO), use(P.EDITORIAL), DENY, (Code.EMBARGO,)
    ),
    # --- allow leases ------------------------------------------------------------------------
    Scenario(
        "allow lease lifts no sales within its window",
        seed_record(restrictions=(NO_SALES,)),
        use(P.SALE),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW, **SALE_LEASE_WINDOW),),
        lifted=(Code.NO_SALES,),
    ),
    Scenario(
        "allow lease lifts every restriction it covers",
        seed_record(),
        use(P.SALE),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW, **SALE_LEASE_WINDOW),),
        lifted=(Code.EDITORIAL_USE_ONLY, Code.NO_SALES),
    ),
    Scenario(
        "allow lease applies from its first instant",
        agency_record(NO_SALES),
        use(P.SALE),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW, starts=T0),),
        lifted=(Code.NO_SALES,),
    ),
    Scenario(
        "allow lease no longer applies at its end",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, ends=T0),),
    ),
    Scenario(
        "allow lease before its start is ignored",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, starts=T0 + DAY),),
    ),
    Scenario(
        "allow lease for another purpose is ignored",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, purposes=(P.SYNDICATION,)),),
    ),
    Scenario(
        "allow lease for another channel is ignored",
        agency_record(NO_SALES),
        use(P.SALE, Channel.PRINT),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, channels=(Channel.WEB,)),),
    ),
    Scenario(
        "allow lease for another territory is ignored",
        agency_record(NO_SALES),
        use(P.SALE, territory="US"),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, territories=("GB",)),),
    ),
    Scenario(
        "allow lease needing a channel the use does not give is ignored",
        agency_record(NO_SALES),
        use(P.SALE, None),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, channels=(Channel.WEB,)),),
    ),
    Scenario(
        "allow lease with a window is ignored without a time of use",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, **SALE_LEASE_WINDOW),),
        now=None,
    ),
    Scenario(
        "allow lease lifts an embargo",
        agency_record(EMBARGO),
        use(P.EDITORIAL),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW),),
        lifted=(Code.EMBARGO,),
    ),
    Scenario(
        "allow lease lifts a review",
        agency_record(OTHER),
        use(P.EDITORIAL),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW),),
        lifted=(Code.OTHER,),
    ),
    Scenario(
        "allow lease never lifts a kill",
        seed_record(killed=True),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.KILLED,),
        (lease(ALLOW),),
    ),
    Scenario(
        "allow lease never lifts a kill request",
        seed_record(kill_requested=True),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.KILL_REQUESTED,),
        (lease(ALLOW),),
    ),
    Scenario(
        "allow lease never lifts an unknown asset",
        None,
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.UNKNOWN_ASSET,),
        (lease(ALLOW),),
    ),
    Scenario(
        "allow lease never lifts an unknown purpose",
        agency_record(),
        Use("lunch"),
        REVIEW,  # type: ignore[arg-type]
        (ReasonCode.UNKNOWN_PURPOSE,),
        (lease(ALLOW),),
    ),
    Scenario(
        "agency-wide allow lease applies to that agency's pictures",
        agency_record(NO_SALES),
        use(P.SALE),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW, scope="agency", target="afp"),),
        lifted=(Code.NO_SALES,),
    ),
    Scenario(
        "agency-wide allow lease for another agency is ignored",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, scope="agency", target="EPA"),),
    ),
    Scenario(
        "agency-wide allow lease typed with look-alike letters applies to that agency",
        agency_record(NO_SALES),
        use(P.SALE),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW, scope="agency", target="\u0410\uff26\u0420"),),  # Cyrillic А, Р; fullwidth F
        lifted=(Code.NO_SALES,),
    ),
    Scenario(
        "agency-wide deny lease typed letter-spaced denies that agency's pictures",
        agency_record(),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.LEASE_DENY,),
        (lease(DENY, scope="agency", target="a f p"),),
    ),
    Scenario(
        "agency-wide allow lease naming a target without its key is not used",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (Code.NO_SALES,),
        (lease(ALLOW, scope="agency", target="AFP", target_key=None),),
    ),
    Scenario(
        "agency-wide deny lease naming a target without its key sends the use to review",
        agency_record(),
        use(P.EDITORIAL),
        REVIEW,
        (ReasonCode.LEASE_MAY_APPLY,),
        (lease(DENY, scope="agency", target="AFP", target_key=None),),
    ),
    Scenario(
        "agency lease already picked by the caller applies",
        agency_record(NO_SALES),
        use(P.SALE),
        ALLOW,
        (ReasonCode.LEASE_ALLOW,),
        (lease(ALLOW, scope="agency"),),
        lifted=(Code.NO_SALES,),
    ),
    # --- deny leases -------------------------------------------------------------------------
    Scenario(
        "deny lease denies an otherwise allowed use",
        agency_record(),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.LEASE_DENY,),
        (lease(DENY),),
    ),
    Scenario(
        "deny lease beats an allow lease",
        agency_record(NO_SALES),
        use(P.SALE),
        DENY,
        (ReasonCode.LEASE_DENY, Code.NO_SALES),
        (lease(ALLOW, id="L1"), lease(DENY, id="L2")),
    ),
    Scenario(
        "deny lease out of its window is ignored",
        agency_record(),
        use(P.EDITORIAL),
        ALLOW,
        (),
        (lease(DENY, ends=T0),),
    ),
    Scenario(
        "deny lease for another purpose is ignored",
        agency_record(),
        use(P.EDITORIAL),
        ALLOW,
        (),
        (lease(DENY, purposes=(P.ADVERTISING,)),),
    ),
    Scenario(
        "deny lease that may cover the use sends it to review",
        agency_record(),
        use(P.EDITORIAL, None),
        REVIEW,
        (ReasonCode.LEASE_MAY_APPLY,),
        (lease(DENY, channels=(Channel.SOCIAL,)),),
    ),
    Scenario(
        "source-wide deny lease applies to that source's pictures",
        seed_record(),
        use(P.EDITORIAL),
        DENY,
        (ReasonCode.LEASE_DENY,),
        (lease(DENY, scope="source", target="Russian Defence Ministry Press Service"),),
    ),
    Scenario(
        "review lease sends the use to review",
        agency_record(),
        use(P.EDITORIAL),
        REVIEW,
        (ReasonCode.LEASE_REVIEW,),
        (lease(REVIEW),),
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_policy_answers_each_scenario_as_specified(scenario: Scenario) -> None:
    decision = evaluate(_keyed(scenario.record), scenario.use, scenario.overrides, scenario.now)

    assert decision.decision is scenario.expected, _explain(decision)
    for code in scenario.cites:
        assert any(r.code == code for r in decision.reasons), (code, _explain(decision))
        if code not in (ReasonCode.CREDIT, Code.MANDATORY_CREDIT):
            cited = [r for r in decision.reasons if r.code == code]
            assert any(r.outcome is scenario.expected for r in cited), (code, _explain(decision))
    lifted = {r.code for r in decision.reasons if r.lifted_by is not None}
    assert lifted == set(scenario.lifted), _explain(decision)
    assert decision.purge is scenario.purge


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_prepared_record_answers_every_scenario_like_the_plain_record(scenario: Scenario) -> None:
    keyed = _keyed(scenario.record)
    record = keyed and prepare(keyed)
    plain = evaluate(keyed, scenario.use, scenario.overrides, scenario.now)
    assert evaluate(record, scenario.use, scenario.overrides, scenario.now) == plain


def _explain(decision: Decision) -> str:
    return "\n".join(f"{r.outcome}: {r.code}: {r.message}" for r in decision.reasons)


# --- the seed handout, spelled out -------------------------------------------------------------


@pytest.mark.parametrize("channel", list(Channel))
def test_editorial_use_of_seed_handout_is_allowed_with_the_credit_line_as_obligation(
    channel: Channel,
) -> None:
    decision = evaluate(seed_record(), Use(P.EDITORIAL, channel), now=T0)

    assert decision.decision is ALLOW
    assert decision.credit_line == SEED_CREDIT
    assert decision.obligations == (SEED_CREDIT,)


@pytest.mark.parametrize("purpose", [P.COMMERCIAL, P.ADVERTISING, P.MARKETING])
def test_non_editorial_use_of_seed_handout_is_denied_citing_editorial_use_only_phrase(
    purpose: Purpose,
) -> None:
    decision = evaluate(seed_record(), Use(purpose, Channel.WEB), now=T0)

    assert decision.decision is DENY
    [reason] = [r for r in decision.reasons if r.code == Code.EDITORIAL_USE_ONLY]
    assert reason.outcome is DENY
    assert "EDITORIAL USE ONLY" in reason.message
    assert [(e.text, e.origin, e.start, e.end) for e in reason.evidence] == [
        ("EDITORIAL USE ONLY", "caption", start, start + 18)
        for start in (SEED_CAPTION.find("EDITORIAL"), SEED_CAPTION.rfind("EDITORIAL"))
    ]
    assert all(SEED_CAPTION[e.start : e.end] == e.text for e in reason.evidence)  # type: ignore[index]


def test_sale_of_no_sales_handout_is_denied() -> None:
    decision = evaluate(seed_record(), Use(P.SALE), now=T0)

    assert decision.decision is DENY
    [reason] = [r for r in decision.reasons if r.code == Code.NO_SALES]
    assert reason.outcome is DENY
    assert len(reason.evidence) == 2
    assert all(SEED_CAPTION[e.start : e.end] == "NO SALES" for e in reason.evidence)  # type: ignore[index]


def test_reasons_come_most_severe_first() -> None:
    record = agency_record(OTHER, EMBARGO, NO_SALES)
    decision = evaluate(record, Use(P.EDITORIAL), now=T0)

    ranks = [{DENY: 0, REVIEW: 1, ALLOW: 2}[r.outcome] for r in decision.reasons]
    assert ranks == sorted(ranks)
    assert [r.code for r in decision.reasons][:2] == [Code.EMBARGO, Code.OTHER]


def test_lease_allow_reason_names_the_lease_and_what_it_lifted() -> None:
    granted = lease(ALLOW, id="L7", reason="bought from EPA, invoice 42", **SALE_LEASE_WINDOW)
    decision = evaluate(seed_record(), Use(P.SALE), [granted], now=T0)

    [reason] = [r for r in decision.reasons if r.code == ReasonCode.LEASE_ALLOW]
    assert "L7" in reason.message
    assert "EDITORIAL_USE_ONLY" in reason.message and "NO_SALES" in reason.message
    assert [(e.text, e.origin) for e in reason.evidence] == [
        ("bought from EPA, invoice 42", "override")
    ]
    assert all(r.lifted_by == "L7" for r in decision.reasons if r.code == Code.NO_SALES)


def test_allow_lease_out_of_its_window_is_mentioned_but_not_used() -> None:
    late = lease(ALLOW, id="L9", starts=T0 + DAY)
    decision = evaluate(agency_record(NO_SALES), Use(P.SALE), [late], now=T0)

    assert decision.decision is DENY
    [note] = [r for r in decision.reasons if r.code == ReasonCode.LEASE_NOT_APPLIED]
    assert "L9" in note.message and "starts" in note.message


def test_kill_reason_is_given_to_the_editor() -> None:
    record = seed_record(killed=True, kill_reason="agency withdrew the picture")
    decision = evaluate(record, Use(P.EDITORIAL), now=T0)

    assert decision.reasons[0].code == ReasonCode.KILLED
    assert "agency withdrew the picture" in decision.reasons[0].message


def test_purge_is_not_signalled_inside_the_retention_window() -> None:
    record = replace(agency_record(NO_ARCHIVES), ingested_at=T0 - 29 * DAY)
    assert evaluate(record, Use(P.EDITORIAL), now=T0).purge is False


def test_record_with_a_list_of_restrictions_is_still_judged() -> None:
    record = replace(seed_record(), restrictions=list(seed_record().restrictions))  # type: ignore[arg-type]
    assert evaluate(record, Use(P.SALE), now=T0).decision is DENY
    assert evaluate(record, Use(P.EDITORIAL), now=T0).decision is ALLOW


def test_retention_end_is_ingest_plus_the_profile_window() -> None:
    record = agency_record(NO_ARCHIVES, archive_retention_days=7)
    assert retention_ends(record) == T0 - DAY + 7 * DAY
    assert retention_ends(agency_record(NO_ARCHIVES)) == T0 - DAY + 30 * DAY
    assert retention_ends(agency_record()) is None


def test_credit_falls_back_to_the_agency_when_the_caption_gives_no_credit_line() -> None:
    decision = evaluate(agency_record(credit_line=None), Use(P.EDITORIAL), now=T0)
    assert decision.decision is ALLOW
    assert decision.credit_line == "AFP"
    assert decision.obligations == ("AFP",)


def test_lease_with_a_scope_the_policy_does_not_know_is_not_trusted() -> None:
    odd = lease(ALLOW, scope="photographer")
    decision = evaluate(agency_record(NO_SALES), Use(P.SALE), [odd], now=T0)
    assert decision.decision is DENY
    odd_denial = lease(DENY, scope="photographer")
    assert evaluate(agency_record(), Use(P.EDITORIAL), [odd_denial], now=T0).decision is REVIEW


def test_a_lease_whose_target_cannot_be_compared_says_so() -> None:
    unkeyed = lease(ALLOW, scope="agency", target="AFP", target_key=None)
    decision = evaluate(_keyed(agency_record(NO_SALES)), use(P.SALE), (unkeyed,), T0)
    notes = [r.message for r in decision.reasons if r.code == ReasonCode.LEASE_NOT_APPLIED]
    assert notes and "no keys to compare" in notes[0]
    # A record handed over without its keys is no more comparable than a lease without one.
    keyed = lease(ALLOW, scope="agency", target="AFP")
    assert evaluate(agency_record(NO_SALES), use(P.SALE), (keyed,), T0).decision is DENY
