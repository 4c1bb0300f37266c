"""`evaluate`: may this image be used this way, here, now?

The one entry point of the policy. It holds no clock: the moment of use is `now`, else
`use.at`; when neither is given, every rule that depends on time reviews instead of allowing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rights.agreements import Agreement, Governing, Terms, judge_agreement
from rights.decide import NOTHING_JUDGED, UNKNOWN_ASSET, decide
from rights.decision import Decision, Override, Reason, Use
from rights.leases import apply_leases
from rights.moment import as_utc
from rights.options import PolicyOptions
from rights.prepare import PreparedRecord, prepared_for
from rights.record import RightsRecord
from rights.releases import SyntheticMediaRule
from rights.territory import territory_code
from rights.vocabulary import Code, Outcome, Purpose, ReasonCode

_PURPOSES: frozenset[str] = frozenset(Purpose)


def evaluate(
    record: RightsRecord | PreparedRecord | None,
    use: Use,
    overrides: Sequence[Override] = (),
    now: datetime | None = None,
    *,
    agreement: Governing = None,
    uses_this_month: int = 0,
    options: PolicyOptions | None = None,
    terms: Terms | None = None,
) -> Decision:
    """Decide `use` of the image whose rights are `record`, given the leases in `overrides`.

    `record` None means the asset is unknown: deny. A killed record (KILLED), or one whose kill
    awaits confirmation (a kill request or an agency's kill notice: KILL_REQUESTED), is
    denied for every use.
    `overrides` may hold the asset's own leases and any agency- or source-wide ones; leases for
    other agencies or sources are ignored. Naive datetimes are read as UTC. A plain record is
    prepared (or found among the recently prepared, by content) on the way; passing a
    `PreparedRecord` from `prepare` skips even that lookup.
    `agreement` is the supplier's agreement (`rights.agreements.agreement_for`), passed like
    leases; None when no agreement is configured, which leaves the policy as it was.
    `uses_this_month` counts the uses recorded for the supplier this month, for its quota.
    `options` are the switches an agreement sets (`PolicyOptions`); None takes the agreement's
    own (`Agreement.options`), else the strict default.
    `terms` are `agreement_terms(agreement, use, now, uses_this_month)` when the caller worked
    them out already (a batch judges each supplier's agreement once, not once per image).
    """
    if record is None:
        return UNKNOWN_ASSET
    prepared = record if isinstance(record, PreparedRecord) else prepared_for(record)
    if prepared.killed is not None:
        return prepared.killed
    if options is None and isinstance(agreement, Agreement):
        options = agreement.options
    relaxed = _relaxed_rules(prepared, options)
    purpose = use.purpose
    if not overrides and not relaxed and purpose in _PURPOSES:
        answer = prepared.ready_decision(purpose) or prepared.answer(
            purpose, territory_of(use), moment_of(use, now)
        )
        if agreement is None:
            return answer
        if terms is None:
            terms = agreement_terms(agreement, use, now, uses_this_month)
        return prepared.with_terms(answer, terms, _with_agreement)

    moment = moment_of(use, now)
    territory = territory_of(use)
    reasons = prepared.judge(purpose, territory, moment)
    if relaxed:
        reasons = [relaxed.get(r, r) for r in reasons]
    if purpose not in _PURPOSES:
        reasons.append(
            Reason(
                ReasonCode.UNKNOWN_PURPOSE,
                f'"{purpose}" is not a purpose the policy knows '
                f"({', '.join(Purpose)}); a person must decide.",
                Outcome.REVIEW,
            )
        )
    if terms is None:
        terms = agreement_terms(agreement, use, now, uses_this_month)
    reasons.extend(terms.reasons)
    if overrides:
        reasons = apply_leases(
            reasons, overrides, prepared.record, purpose, use.channel, territory, moment
        )
    purge_at = prepared.retention_ends
    purge = purge_at is not None and moment is not None and moment >= purge_at
    return _priced(decide(reasons, prepared.credit_line, prepared.obligations, purge), terms)


def moment_of(use: Use, now: datetime | None) -> datetime | None:
    """The moment of use the policy judges, in UTC: `now`, else the use's own `at`."""
    return as_utc(now if now is not None else use.at)


def territory_of(use: Use) -> str | None:
    """The use's territory as an ISO code (None when the use names none)."""
    return territory_code(use.territory) if use.territory else None


def agreement_terms(
    agreement: Governing, use: Use, now: datetime | None, uses_this_month: int = 0
) -> Terms:
    """What `agreement` says about `use` (`rights.agreements.judge_agreement`), with the moment
    and territory read as `evaluate` reads them."""
    return judge_agreement(
        agreement, use.purpose, use.channel, territory_of(use), moment_of(use, now),
        uses_this_month,
    )  # fmt: skip


def _with_agreement(answer: Decision, terms: Terms) -> Decision:
    """A remembered answer with the agreement's reasons: what the full path below gives (the
    record remembers it for this answer and these terms, both remembered objects)."""
    judged = [r for r in answer.reasons if r is not NOTHING_JUDGED]
    decision = decide(judged + list(terms.reasons), answer.credit_line, answer.obligations,
                      answer.purge)  # fmt: skip
    return _priced(decision, terms)


def _priced(decision: Decision, terms: Terms) -> Decision:
    """The decision with the agreement's cost and price (unchanged when it states none)."""
    if terms.cost is None:
        return decision
    return Decision(
        decision.decision,
        decision.reasons,
        decision.credit_line,
        decision.obligations,
        decision.purge,
        str(terms.cost),
        terms.price,
    )


def _relaxed_rules(prepared: PreparedRecord, options: PolicyOptions | None) -> dict[Reason, Reason]:
    """Reasons an agreement's options replace, keyed by the strict reason they replace.

    Empty for the strict default, which keeps the fast, remembered path of every check.
    """
    if options is None or options.review_synthetic_media:
        return {}
    out: dict[Reason, Reason] = {}
    for restriction in prepared.record.restrictions:
        if restriction.code != Code.SYNTHETIC_MEDIA:
            continue
        strict, relaxed = SyntheticMediaRule(restriction), SyntheticMediaRule(restriction, False)
        for purpose in Purpose:
            out[strict.judge(purpose, None, None)] = relaxed.judge(purpose, None, None)
    return out
