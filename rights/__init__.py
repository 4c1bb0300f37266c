"""Restriction vocabulary and policy evaluation. Pure: values in, values out, no I/O, no clock."""

from rights.decision import Decision, Override, Reason, Use
from rights.record import Evidence, Restriction, RightsRecord
from rights.vocabulary import Channel, Code, Origin, Outcome, Purpose

__all__ = [
    "Channel",
    "Code",
    "Decision",
    "Evidence",
    "Origin",
    "Outcome",
    "Override",
    "Purpose",
    "Reason",
    "Restriction",
    "RightsRecord",
    "Use",
]
