"""A record's rules: which rule each restriction becomes, plus the record-level ones.

This is where the vocabulary meets the policy. Restrictions the policy has no rule for become a
review, never a silent allow, and a record that states no rights at all is reviewed too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rights.moment import as_utc
from rights.record import Evidence, Restriction, RightsRecord
from rights.releases import ModelReleaseRule, SyntheticMediaRule
from rights.rules import (
    BARRED_PURPOSES,
    CreditRule,
    EditorialOnlyRule,
    PurposeRule,
    ReviewRule,
    Rule,
    UnreadableMetadataRule,
)
from rights.territory import territory_rule
from rights.timing import ArchiveRule, EmbargoRule, ExpiryRule
from rights.vocabulary import Code, ReasonCode

DEFAULT_ARCHIVE_RETENTION_DAYS = 30
"""How long a NO ARCHIVES image may be used after ingest when its agency profile says nothing."""


_FACTS = frozenset({Code.MODEL_RELEASE, Code.SYNTHETIC_MEDIA})
"""Codes that state facts about the picture (people pictured, how it was made), not rights:
a record with only these still states no rights, and is reviewed as such."""


def states_no_rights(record: RightsRecord) -> bool:
    """No agency and no restriction but facts: nobody has said what may be done with it."""
    return not record.agency and all(r.code in _FACTS for r in record.restrictions)


def credit_for(record: RightsRecord) -> str | None:
    """The credit to print: the caption's credit line, else the agency's name. Blank text is
    no credit: a MANDATORY CREDIT is not met by printing spaces."""
    for credit in (record.credit_line, record.agency):
        if credit and credit.strip():
            return credit
    return None


def retention_days(record: RightsRecord) -> int:
    """The NO ARCHIVES window in days: the agency profile's value, else the default."""
    days = record.archive_retention_days
    return DEFAULT_ARCHIVE_RETENTION_DAYS if days is None else max(0, days)


def retention_ends(record: RightsRecord) -> datetime | None:
    """When a NO ARCHIVES image must stop being used and be purged.

    None when the record has no NO ARCHIVES restriction, or its ingest time is unknown (the
    policy then reviews every use rather than guess).
    """
    ingested = as_utc(record.ingested_at)
    if ingested is None or not any(r.code == Code.NO_ARCHIVES for r in record.restrictions):
        return None
    return ingested + timedelta(days=retention_days(record))


def rules_for(record: RightsRecord) -> tuple[Rule, ...]:
    """Every rule that applies to `record`: the static ones first, each group in the order its
    restrictions appear, so a prepared record and a plain one give reasons in the same order."""
    credit = credit_for(record)
    rules: list[Rule] = [_rule_for(r, record, credit) for r in record.restrictions]
    codes = {r.code for r in record.restrictions}
    if record.embargo_until is not None and Code.EMBARGO not in codes:
        rules.append(EmbargoRule("The record", as_utc(record.embargo_until)))
    if credit and Code.MANDATORY_CREDIT not in codes:
        source = "agency credit" if record.agency else "credit from the caption"
        rules.append(CreditRule(ReasonCode.CREDIT, credit, source))
    rules.extend(
        ReviewRule(
            ReasonCode.UNRECOGNISED_RESTRICTION,
            f'"{text}" reads like a restriction but could not be classified; '
            "a person must read it.",
            (Evidence(text),),
        )
        for text in record.unrecognised
    )
    if record.unreadable_blocks:
        rules.append(
            UnreadableMetadataRule(
                tuple(Evidence(b.warning, b.block) for b in record.unreadable_blocks)
            )
        )
    if states_no_rights(record):
        rules.append(
            ReviewRule(
                ReasonCode.NO_RIGHTS_STATED,
                "The record names no agency and no restriction; a person must confirm the "
                "rights before the image is used.",
            )
        )
    return tuple(r for r in rules if r.static) + tuple(r for r in rules if not r.static)


def _rule_for(restriction: Restriction, record: RightsRecord, credit: str | None) -> Rule:
    code = restriction.code
    phrase = f'"{restriction.text}"'
    evidence = restriction.all_evidence()
    if code == Code.EDITORIAL_USE_ONLY:
        return EditorialOnlyRule(restriction)
    if code in BARRED_PURPOSES:
        return PurposeRule(restriction, BARRED_PURPOSES[Code(code)])
    if code == Code.NO_ARCHIVES:
        return ArchiveRule(restriction, retention_days(record), retention_ends(record))
    if code == Code.EMBARGO:
        return EmbargoRule(phrase, _embargo_end(restriction, record), evidence)
    if code == Code.TERRITORY:
        return territory_rule(restriction)
    if code == Code.EXPIRY:
        return ExpiryRule(restriction)
    if code == Code.MODEL_RELEASE:
        return ModelReleaseRule(restriction)
    if code == Code.SYNTHETIC_MEDIA:
        return SyntheticMediaRule(restriction)
    if code == Code.MANDATORY_CREDIT:
        if credit:
            return CreditRule(code, credit, f"required by {phrase}", evidence)
        return ReviewRule(
            code,
            f"{phrase} requires a credit, but no credit line is known; a person must supply it.",
            evidence,
        )
    if code == Code.OTHER:
        return ReviewRule(
            code,
            f"{phrase} is a restriction the policy cannot judge; a person must read it.",
            evidence,
        )
    return ReviewRule(code, f"{phrase} ({code}) has no rule yet; a person must read it.", evidence)


def _embargo_end(restriction: Restriction, record: RightsRecord) -> datetime | None:
    """The later of the restriction's and the record's embargo ends: the stricter one wins."""
    ends = [e for e in (as_utc(restriction.embargo_until), as_utc(record.embargo_until)) if e]
    return max(ends) if ends else None
