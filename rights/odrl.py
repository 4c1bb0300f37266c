"""Rights as an ODRL 2.2 policy in JSON-LD, under IPTC's RightsML profile, and back.

Export (`policy_from_record`) writes what the policy enforces: the supplier as assigner, one
permission to use the image with its constraints (editorial purpose, territory, embargo and
expiry windows) and duties (the exact credit line to attribute, releases to obtain, a review),
one prohibition per restriction, and one rule per lease with its window. Every rule carries the
phrase it came from as `dct:description`.

Import (`read_policy`) turns a policy into restrictions with origin `policy`. It only ever adds:
a permission never lifts a restriction, and whatever it cannot map exactly (an action, a
constraint, an operand or a value it does not know) becomes OTHER, which reviews. Pure: a dict
in, values out; the JSON-LD context is not fetched, terms are read as the ODRL context
(vendored in `rights/odrl_context.jsonld`) defines them, compact or as full IRIs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rights.errors import PolicyError
from rights.odrl_export import policy_from_record
from rights.odrl_import import policy_json, read_policy
from rights.odrl_terms import (
    CONTEXT,
    ODRL,
    ODRL_CONTEXT,
    RIGHTSML_PROFILE,
    PolicyReading,
)
from rights.record import RightsRecord

__all__ = [
    "CONTEXT",
    "ODRL",
    "ODRL_CONTEXT",
    "RIGHTSML_PROFILE",
    "PolicyError",
    "PolicyReading",
    "policy_from_record",
    "policy_json",
    "read_policy",
    "record_from_policy",
    "record_with_policy",
]


def record_with_policy(record: RightsRecord, reading: PolicyReading) -> RightsRecord:
    """`record` with the policy's restrictions added, never any removed.

    The credit line is taken from the policy only where the record has no credit to print (no
    credit line, no agency: a policy never replaces the agency's credit), and the NO
    ARCHIVES window only ever shortens: a policy cannot make a record looser. The supplier it
    names is not taken as the record's agency (that would answer a missing-rights review).
    """
    restrictions = list(record.restrictions)
    for restriction in reading.restrictions:
        if restriction not in restrictions:
            restrictions.append(restriction)
    days = record.archive_retention_days
    if reading.archive_retention_days is not None:
        days = min(reading.archive_retention_days, days if days is not None else 10**6)
    return replace(
        record,
        restrictions=tuple(restrictions),
        credit_line=record.credit_line or (None if record.agency else reading.credit_line),
        archive_retention_days=days,
    )


def record_from_policy(
    reading: PolicyReading, *, ingested_at: datetime | None = None
) -> RightsRecord:
    """A record that knows only what a policy says: its supplier, credit, restrictions."""
    return RightsRecord(
        agency=reading.assigner,
        credit_line=reading.credit_line,
        restrictions=reading.restrictions,
        archive_retention_days=reading.archive_retention_days,
        ingested_at=ingested_at,
    )
