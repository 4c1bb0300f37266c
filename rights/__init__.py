"""Restriction vocabulary and policy evaluation. Pure: values in, values out, no I/O, no clock."""

from rights.decision import Decision, Override, Reason, Use
from rights.evaluate import evaluate
from rights.prepare import PreparedRecord, prepare
from rights.record import Evidence, Restriction, RightsRecord
from rights.ruleset import DEFAULT_ARCHIVE_RETENTION_DAYS, credit_for, retention_ends
from rights.vocabulary import Channel, Code, LeaseScope, Origin, Outcome, Purpose, ReasonCode

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
    "credit_for",
    "evaluate",
    "prepare",
    "retention_ends",
]
