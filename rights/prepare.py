"""A record made ready for many checks: rules built once, purpose-only answers remembered.

The publishing hook checks the same images again and again, and the catalogue hands the policy
a fresh `RightsRecord` each time. Building the rules and judging the purpose-only ones is most
of the work of a check, so it is done once per record content: `prepared_for` keeps recently
prepared records keyed by the fields the policy reads (a changed record has a different key, so
nothing goes stale), and a `PreparedRecord` remembers the answer for each purpose the first
time it is asked. Memoisation only: the answers are exactly those of a fresh evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple, TypeVar

from rights.decide import decide, withdrawn
from rights.decision import Decision, Reason
from rights.record import Restriction, RightsRecord, UnreadableBlock
from rights.rules import Rule
from rights.ruleset import credit_for, retention_ends, rules_for
from rights.vocabulary import Purpose

_PURPOSES: frozenset[str] = frozenset(Purpose)
T = TypeVar("T")
PREPARED_RECORDS_KEPT = 2048
"""How many recently checked record contents `prepared_for` keeps ready."""
_ANSWERS_KEPT = 512  # per prepared record: purposes x purge x rule outcomes x territories


@dataclass(frozen=True, slots=True, eq=False)
class PreparedRecord:
    """A record with its rules built. Make one with `prepare`; pass it to `evaluate`.

    Immutable to its users and safe to share between threads: the answers it remembers are
    deterministic, so two threads filling the same entry store equal values.
    """

    record: RightsRecord
    credit_line: str | None
    obligations: tuple[str, ...]
    static_rules: tuple[Rule, ...]
    dynamic_rules: tuple[Rule, ...]
    retention_ends: datetime | None
    killed: Decision | None
    _reasons: dict[str, tuple[Reason, ...]] = field(default_factory=dict, repr=False)
    _decisions: dict[tuple[object, ...], Decision] = field(default_factory=dict, repr=False)
    _agreed: dict[tuple[int, int], tuple[Decision, object, Decision]] = field(
        default_factory=dict, repr=False
    )

    def with_terms(
        self, answer: Decision, terms: T, combine: Callable[[Decision, T], Decision]
    ) -> Decision:
        """`combine(answer, terms)`, remembered for this answer and these agreement terms.

        Both are remembered objects (this record's answers, `rights.agreements`' terms), told
        apart by identity and kept in the entry, so an id can never be taken by another."""
        key = (id(answer), id(terms))
        entry = self._agreed.get(key)
        if entry is not None and entry[0] is answer and entry[1] is terms:
            return entry[2]
        decision = combine(answer, terms)
        if len(self._agreed) < _ANSWERS_KEPT:
            self._agreed[key] = (answer, terms, decision)
        return decision

    def ready_decision(self, purpose: str) -> Decision | None:
        """The whole answer for `purpose` when nothing in it depends on time or territory."""
        if self.dynamic_rules or self.retention_ends is not None:
            return None
        decision = self._decisions.get((purpose,))
        if decision is None and purpose in _PURPOSES:
            decision = decide(self.static_reasons(purpose), self.credit_line, self.obligations)
            self._decisions[(purpose,)] = decision
        return decision

    def answer(self, purpose: str, territory: str | None, moment: datetime | None) -> Decision:
        """The answer for a use of a known purpose when no lease is in play.

        Time and territory rules hand back reasons they worked out once, so the answer is
        remembered by which of those reasons came back and whether the image is due for purge.
        Reasons are told apart by identity, which is safe because a remembered decision holds
        its reasons, so no other object can take their ids; the cap keeps a rule that made
        fresh reasons on every call from growing the memory without end.
        """
        dynamic = tuple(rule.judge(purpose, territory, moment) for rule in self.dynamic_rules)
        ends = self.retention_ends
        purge = ends is not None and moment is not None and moment >= ends
        key = (purpose, purge, *map(id, dynamic))
        decision = self._decisions.get(key)
        if decision is None:
            reasons = self.static_reasons(purpose) + dynamic
            decision = decide(reasons, self.credit_line, self.obligations, purge)
            if len(self._decisions) < _ANSWERS_KEPT:
                self._decisions[key] = decision
        return decision

    def static_reasons(self, purpose: str) -> tuple[Reason, ...]:
        """What the purpose-only rules say about `purpose` (remembered for known purposes)."""
        reasons = self._reasons.get(purpose)
        if reasons is None:
            reasons = tuple(rule.judge(purpose, None, None) for rule in self.static_rules)
            if purpose in _PURPOSES:
                self._reasons[purpose] = reasons
        return reasons

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> list[Reason]:
        """Every rule's reason for this use, static rules first."""
        out = list(self.static_reasons(purpose))
        out.extend(rule.judge(purpose, territory, moment) for rule in self.dynamic_rules)
        return out


def prepare(record: RightsRecord) -> PreparedRecord:
    """Build `record`'s rules; answers per purpose are worked out on first use."""
    credit = credit_for(record)
    rules = rules_for(record)
    return PreparedRecord(
        record=record,
        credit_line=credit,
        obligations=(credit,) if credit else (),
        static_rules=tuple(r for r in rules if r.static),
        dynamic_rules=tuple(r for r in rules if not r.static),
        retention_ends=retention_ends(record),
        killed=withdrawn(record, credit),
    )


class _PolicyContent(NamedTuple):
    """The fields of a record the policy reads: two records alike here get the same answers."""

    agency: str | None
    credit_line: str | None
    source: str | None
    restrictions: tuple[Restriction, ...]
    embargo_until: datetime | None
    killed: bool
    kill_reason: str | None
    kill_notice: bool
    kill_requested: bool
    ingested_at: datetime | None
    archive_retention_days: int | None
    unrecognised: tuple[str, ...]
    unreadable_blocks: tuple[UnreadableBlock, ...]
    agency_key: str | None
    source_key: str | None
    purged: bool


def prepared_for(record: RightsRecord) -> PreparedRecord:
    """A prepared record for `record`'s content, reusing one prepared moments ago if any."""
    content = _PolicyContent(
        record.agency,
        record.credit_line,
        record.source,
        record.restrictions,
        record.embargo_until,
        record.killed,
        record.kill_reason,
        record.kill_notice,
        record.kill_requested,
        record.ingested_at,
        record.archive_retention_days,
        record.unrecognised,
        record.unreadable_blocks,
        record.agency_key,
        record.source_key,
        record.purged,
    )
    try:
        return _prepared_by_content(content)
    except TypeError:  # unhashable content (a list where a tuple belongs): prepare afresh
        return prepare(record)


@lru_cache(maxsize=PREPARED_RECORDS_KEPT)
def _prepared_by_content(content: _PolicyContent) -> PreparedRecord:
    return prepare(RightsRecord(**content._asdict()))
