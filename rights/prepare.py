"""A record made ready for many checks: rules built once, static answers judged per purpose.

The publishing hook checks the same images again and again. Building the rules and judging the
purpose-only ones once per record leaves a check with a dictionary lookup when nothing depends
on time or territory, and with only those rules otherwise. A `PreparedRecord` is immutable and
safe to share between threads; the caller decides how long to keep it (for instance keyed by
asset id and its last change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from rights.decide import decide, killed
from rights.decision import Decision, Reason
from rights.record import RightsRecord
from rights.rules import Rule
from rights.ruleset import credit_for, retention_ends, rules_for
from rights.vocabulary import Purpose


@dataclass(frozen=True, slots=True, eq=False)
class PreparedRecord:
    """A record with its rules built. Make one with `prepare`; pass it to `evaluate`."""

    record: RightsRecord
    credit_line: str | None
    obligations: tuple[str, ...]
    static_rules: tuple[Rule, ...]
    dynamic_rules: tuple[Rule, ...]
    static_reasons: Mapping[str, tuple[Reason, ...]]
    decisions: Mapping[str, Decision]
    retention_ends: datetime | None
    killed: Decision | None

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> list[Reason]:
        """Every rule's reason for this use (purpose known to the vocabulary or not)."""
        reasons = self.static_reasons.get(purpose)
        if reasons is None:
            out = [rule.judge(purpose, territory, moment) for rule in self.static_rules]
        else:
            out = list(reasons)
        out.extend(rule.judge(purpose, territory, moment) for rule in self.dynamic_rules)
        return out


def prepare(record: RightsRecord) -> PreparedRecord:
    """Build `record`'s rules and judge the purpose-only ones for every purpose."""
    credit = credit_for(record)
    obligations = (credit,) if credit else ()
    rules = rules_for(record)
    static_rules = tuple(r for r in rules if r.static)
    dynamic_rules = tuple(r for r in rules if not r.static)
    static_reasons: dict[str, tuple[Reason, ...]] = {
        purpose: tuple(rule.judge(purpose, None, None) for rule in static_rules)
        for purpose in Purpose
    }
    decisions: dict[str, Decision] = {}
    if not dynamic_rules:
        decisions = {
            purpose: decide(reasons, credit, obligations)
            for purpose, reasons in static_reasons.items()
        }
    return PreparedRecord(
        record=record,
        credit_line=credit,
        obligations=obligations,
        static_rules=static_rules,
        dynamic_rules=dynamic_rules,
        static_reasons=static_reasons,
        decisions=decisions,
        retention_ends=retention_ends(record),
        killed=killed(record, credit) if record.killed or record.kill_notice else None,
    )
