"""`evaluate`: may this image be used this way, here, now?

The one entry point of the policy. It holds no clock: the moment of use is `now`, else
`use.at`; when neither is given, every rule that depends on time reviews instead of allowing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rights.decide import UNKNOWN_ASSET, decide, killed
from rights.decision import Decision, Override, Reason, Use
from rights.leases import apply_leases
from rights.moment import as_utc
from rights.prepare import PreparedRecord
from rights.record import RightsRecord
from rights.ruleset import credit_for, retention_ends, rules_for
from rights.territory import territory_code
from rights.vocabulary import Outcome, Purpose, ReasonCode

_PURPOSES: frozenset[str] = frozenset(Purpose)


def evaluate(
    record: RightsRecord | PreparedRecord | None,
    use: Use,
    overrides: Sequence[Override] = (),
    now: datetime | None = None,
) -> Decision:
    """Decide `use` of the image whose rights are `record`, given the leases in `overrides`.

    `record` None means the asset is unknown: deny. A killed record (a rights manager's kill or
    an agency's kill notice) is denied for every use.
    `overrides` may hold the asset's own leases and any agency- or source-wide ones; leases for
    other agencies or sources are ignored. Naive datetimes are read as UTC. Pass a
    `PreparedRecord` (from `prepare`) when the same record is checked many times.
    """
    if record is None:
        return UNKNOWN_ASSET
    if isinstance(record, PreparedRecord):
        if record.killed is not None:
            return record.killed
        if not overrides:
            ready = record.decisions.get(use.purpose)
            if ready is not None:
                return ready
        prepared: PreparedRecord | None = record
        rights = record.record
        credit, obligations = record.credit_line, record.obligations
        purge_at = record.retention_ends
    else:
        prepared, rights = None, record
        credit = credit_for(record)
        if record.killed or record.kill_notice:
            return killed(record, credit)
        obligations = (credit,) if credit else ()
        purge_at = retention_ends(record)

    moment = as_utc(now if now is not None else use.at)
    territory = territory_code(use.territory) if use.territory else None
    purpose = use.purpose
    if prepared is not None:
        reasons = prepared.judge(purpose, territory, moment)
    else:
        reasons = [rule.judge(purpose, territory, moment) for rule in rules_for(rights)]
    if purpose not in _PURPOSES:
        reasons.append(
            Reason(
                ReasonCode.UNKNOWN_PURPOSE,
                f'"{purpose}" is not a purpose the policy knows '
                f"({', '.join(Purpose)}); a person must decide.",
                Outcome.REVIEW,
            )
        )
    if overrides:
        reasons = apply_leases(reasons, overrides, rights, purpose, use.channel, territory, moment)
    purge = purge_at is not None and moment is not None and moment >= purge_at
    return decide(reasons, credit, obligations, purge)
