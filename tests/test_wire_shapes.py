"""One wire shape per concept: the API's models and `rights.wire` name the same fields.

`rights.wire` is what the catalogue stores and the hook answers with; the pydantic models are
what the OpenAPI document declares. A field added to one and not the other is how the check
answer once lost `lifted_by`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from api.kill_schemas import KillRequestPublic
from api.schemas import (
    CheckResult,
    EvidencePublic,
    OverridePublic,
    ReasonPublic,
    RestrictionPublic,
    RightsPublic,
    UnreadableBlockPublic,
)
from assets.leases import lease_json, to_override
from assets.tables import KillRequest, Lease, Usage, UsagePublic
from rights import Decision, Outcome, Reason, RightsRecord
from rights.record import Evidence, Restriction, UnreadableBlock
from rights.vocabulary import Code, Origin
from rights.wire import (
    decision_to_dict,
    evidence_to_dict,
    override_to_dict,
    reason_to_dict,
    record_to_dict,
    restriction_to_dict,
    unreadable_block_to_dict,
)

EVIDENCE = Evidence(text="NO SALES", origin=Origin.CAPTION, start=0, end=8)
REASON = Reason(
    code="NO_SALES",
    message="lifted",
    outcome=Outcome.ALLOW,
    evidence=(EVIDENCE,),
    lifted_by="L1",
)

# What the policy reads but the asset's public `rights` object does not show, each with why.
RIGHTS_NOT_PUBLIC = {
    "unrecognised": "parser residue, shown by the desk, not part of the contract",
    "killed": "the asset's `status` says it",
    "kill_notice": "the asset's `status` says it",
    "kill_requested": "the asset's `status` says it",
    "kill_reason": "a top-level field of the asset",
    "ingested_at": "the asset's `created_at`",
    "archive_retention_days": "the policy's input, surfaced as the check's `purge`",
    "extra": "free-form, not part of the contract",
}


def fields(model: type) -> set[str]:
    return set(model.model_fields)  # type: ignore[attr-defined]


def test_evidence_restriction_and_unreadable_block_have_the_wire_fields():
    restriction = Restriction(code=Code.NO_SALES, text="NO SALES", evidence=(EVIDENCE,))
    assert fields(EvidencePublic) == set(evidence_to_dict(EVIDENCE))
    assert fields(RestrictionPublic) == set(restriction_to_dict(restriction))
    block = UnreadableBlock(block=Origin.XMP, warning="damaged")
    assert fields(UnreadableBlockPublic) == set(unreadable_block_to_dict(block))


def test_rights_public_is_the_record_less_what_the_policy_keeps_to_itself():
    stored = record_to_dict(RightsRecord())
    assert fields(RightsPublic) == set(stored) - set(RIGHTS_NOT_PUBLIC)
    assert set(RIGHTS_NOT_PUBLIC) <= set(stored), "a field named here left the record"


def test_reason_and_check_result_have_the_wire_fields_and_keep_lifted_by():
    assert fields(ReasonPublic) == set(reason_to_dict(REASON))
    decision = Decision(decision=Outcome.ALLOW, reasons=(REASON,), credit_line="EPA")
    wired = CheckResult.wire("ref", "a1", decision, usage_id="u1")
    assert fields(CheckResult) == set(decision_to_dict(decision)) | {
        "asset",
        "asset_id",
        "usage_id",
    }
    assert set(wired) == fields(CheckResult)
    assert wired["reasons"][0]["lifted_by"] == "L1"
    # the plain dict validates as the declared model, field for field
    assert CheckResult.model_validate(wired).model_dump(mode="json") == wired


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_lease_shows_every_field_the_policy_reads_of_it():
    lease = Lease(scope="asset", target="a1", effect="allow", reason="licensed", starts=T0)
    lease.created_at = T0
    public = OverridePublic.from_lease(lease)
    policy_fields = set(override_to_dict(to_override(lease)))
    assert policy_fields <= fields(OverridePublic)
    assert public.starts == lease.starts and public.reason == "licensed"
    assert fields(Lease) <= fields(OverridePublic)
    assert set(lease_json(lease)) <= fields(OverridePublic)


def test_usage_and_kill_request_show_their_table_fields():
    usage = Usage(asset_id="a1", purpose="editorial", publication="Daily", url="https://e.org/p")
    usage.created_at = T0
    public = UsagePublic.from_usage(usage)
    assert fields(UsagePublic) == (fields(Usage) - {"asset_id"}) | {"asset"}
    assert public.asset == "a1" and public.url == usage.url
    renamed = {"asset_id": "asset", "assets": "marked"}
    shown = {renamed.get(f, f) for f in fields(KillRequest)}
    assert shown <= fields(KillRequestPublic)
