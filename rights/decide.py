"""From reasons to a decision: deny beats review beats allow.

Also the two decisions that need no rules at all: an unknown asset and a killed one.
"""

from __future__ import annotations

from collections.abc import Iterable

from rights.decision import Decision, Reason
from rights.record import RightsRecord
from rights.vocabulary import Outcome, ReasonCode

_RANK = {Outcome.DENY: 0, Outcome.REVIEW: 1, Outcome.ALLOW: 2}

UNKNOWN_ASSET = Decision(
    Outcome.DENY,
    (
        Reason(
            ReasonCode.UNKNOWN_ASSET,
            "No rights record for this asset: an image whose rights are unknown is never used.",
            Outcome.DENY,
        ),
    ),
    None,
)

NOTHING_JUDGED = Reason(
    ReasonCode.NO_RIGHTS_STATED,
    "No rule could judge this use; a person must confirm the rights before the image is used.",
    Outcome.REVIEW,
)


def _rank(reason: Reason) -> int:
    return _RANK[reason.outcome]


def decide(
    reasons: Iterable[Reason],
    credit_line: str | None,
    obligations: tuple[str, ...],
    purge: bool = False,
) -> Decision:
    """The most severe outcome among `reasons`, with the reasons most severe first.

    No reasons at all means nothing vouched for the use, so it goes to review.
    """
    ordered = tuple(sorted(reasons, key=_rank)) or (NOTHING_JUDGED,)
    return Decision(ordered[0].outcome, ordered, credit_line, obligations, purge)


def withdrawn(record: RightsRecord, credit_line: str | None) -> Decision | None:
    """The answer for every use of a purged or killed image, or one whose kill awaits confirmation.

    None when neither applies. No lease lifts either: a kill request is denied until a rights
    manager rejects it (a kill notice read from a caption is such a request until confirmed).
    """
    if record.purged:
        reason = Reason(
            ReasonCode.PURGED,
            "The image was purged: its retention window has passed and its files are deleted. "
            "It must not be used, and published copies must be taken down.",
            Outcome.DENY,
        )
    elif record.killed:
        why = f": {record.kill_reason}" if record.kill_reason else ""
        reason = Reason(
            ReasonCode.KILLED,
            f"The image was killed{why}. It must not be used, and published copies must "
            "be taken down.",
            Outcome.DENY,
        )
    elif record.kill_requested or record.kill_notice:
        why = "the agency's kill notice in the caption" if record.kill_notice else "a kill request"
        reason = Reason(
            ReasonCode.KILL_REQUESTED,
            f"The image is withdrawn by {why}, waiting for a rights manager to confirm or "
            "reject the kill. It must not be used meanwhile.",
            Outcome.DENY,
        )
    else:
        return None
    return Decision(Outcome.DENY, (reason,), credit_line)
