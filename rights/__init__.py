"""Restriction vocabulary and policy evaluation. Pure: values in, values out, no I/O, no clock."""

from rights.decision import Decision, Override, Reason, Use
from rights.evaluate import evaluate
from rights.prepare import PreparedRecord, prepare
from rights.record import Evidence, Restriction, RightsRecord
from rights.ruleset import DEFAULT_ARCHIVE_RETENTION_DAYS, credit_for, retention_ends
from rights.vocabulary import Channel, Code, LeaseScope, Origin, Outcome, Purpose, ReasonCode
from rights.wire import (
    WireError,
    decision_from_dict,
    decision_to_dict,
    override_from_dict,
    override_to_dict,
    record_from_dict,
    record_to_dict,
    restriction_from_dict,
    restriction_to_dict,
    use_from_dict,
    use_to_dict,
)

__all__ = [
    "DEFAULT_ARCHIVE_RETENTION_DAYS",
    "Channel",
    "Code",
    "Decision",
    "Evidence",
    "LeaseScope",
    "Origin",
    "Outcome",
    "Override",
    "PreparedRecord",
    "Purpose",
    "Reason",
    "ReasonCode",
    "Restriction",
    "RightsRecord",
    "Use",
    "WireError",
    "credit_for",
    "decision_from_dict",
    "decision_to_dict",
    "evaluate",
    "override_from_dict",
    "override_to_dict",
    "prepare",
    "record_from_dict",
    "record_to_dict",
    "restriction_from_dict",
    "restriction_to_dict",
    "retention_ends",
    "use_from_dict",
    "use_to_dict",
]
