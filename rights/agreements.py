"""Agreements: what our subscription with a supplier covers, and what each use costs.

An agreement names its supplier (or none: the default, for every supplier without its own)
and may limit purposes, channels and territories, a [starts, ends) validity window, a quota
of uses per calendar month (UTC), and the purposes that need a lease on top. Its cost is
`free`, `conditional` or `pay`, with an optional price per use; a use beyond the quota costs
`overquota` and is reviewed.

The caller (the catalogue) picks the governing agreement with `agreement_for` and passes it to
`rights.evaluate` like leases, with the uses already recorded this month. Three cases:

- `None`: no agreement is configured at all. The policy is exactly what it was without
  agreements, and the answer carries no cost (a newsroom that never set agreements up is
  not sent to review everywhere).
- `NO_AGREEMENT`: agreements exist, but none names the image's supplier and there is no
  default. Nobody has said the subscription covers this supplier: review.
- an `Agreement`: a use outside its purposes, channels, territories or window is denied
  (NOT_COVERED_BY_AGREEMENT, naming it); a purpose it reserves for leases is denied
  without one (LEASE_REQUIRED); the use after the quota is reviewed (AGREEMENT_QUOTA).

Agreement reasons are limits like restrictions: an allow lease in scope and window lifts
them, and the answer names the lease (rights.leases). Deny beats review beats allow still.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from rights.decision import Reason
from rights.moment import as_utc
from rights.options import STRICT, PolicyOptions
from rights.record import Evidence, RightsRecord
from rights.territory import territory_codes
from rights.vocabulary import Channel, Origin, Outcome, Purpose, ReasonCode


class Cost(StrEnum):
    """What a use costs under the governing agreement."""

    FREE = "free"
    CONDITIONAL = "conditional"
    PAY = "pay"
    OVERQUOTA = "overquota"


AGREED_COSTS: tuple[Cost, ...] = (Cost.FREE, Cost.CONDITIONAL, Cost.PAY)
"""The costs an agreement may state; `overquota` is only ever worked out."""


@dataclass(frozen=True, slots=True)
class Agreement:
    """One supplier's agreement (or the default's, when `supplier` is None).

    Empty `purposes`/`channels`/`territories` mean "any". `quota` is uses per calendar month,
    counted per supplier. `lease_required` lists purposes the subscription covers only with a
    lease. `supplier_key` is the supplier as names are compared (the caller computes it with
    `captions.normalise.fold_for_match`, like a lease target's). `retention_days` is how long
    the supplier lets us keep an image after ingest (None: no limit); `assets.purge` enforces it.
    `review_synthetic_media` False allows editorial use of pictures declared AI-made or
    synthetic (`rights.options.PolicyOptions`); the reason stays on the answer.
    """

    supplier: str | None
    cost: Cost = Cost.FREE
    purposes: tuple[Purpose, ...] = ()
    channels: tuple[Channel, ...] = ()
    territories: tuple[str, ...] = ()
    price: Decimal | None = None
    currency: str | None = None
    quota: int | None = None
    lease_required: tuple[Purpose, ...] = ()
    starts: datetime | None = None
    ends: datetime | None = None
    retention_days: int | None = None
    id: str | None = None
    version: int | None = None
    supplier_key: str | None = None
    note: str = ""
    review_synthetic_media: bool = True

    @property
    def options(self) -> PolicyOptions:
        """The policy switches this agreement sets (a supplier that labels AI-made pictures
        may have editorial use of them allowed rather than reviewed)."""
        return (
            STRICT if self.review_synthetic_media else PolicyOptions(review_synthetic_media=False)
        )

    @property
    def label(self) -> str:
        """How reasons name the agreement."""
        who = f'"{self.supplier}"' if self.supplier else "the default agreement"
        if self.supplier:
            who = f"the agreement with {who}"
        return f"{who} (version {self.version})" if self.version is not None else who

    @property
    def price_text(self) -> str | None:
        if self.price is None:
            return None
        return f"{self.price} {self.currency}" if self.currency else str(self.price)


class NoAgreement:
    """Agreements exist, and none governs this image's supplier: every use is reviewed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_AGREEMENT"


NO_AGREEMENT = NoAgreement()

Governing = Agreement | NoAgreement | None
"""What the caller passes to `evaluate`: see the module's docstring."""


def agreement_for(agreements: Sequence[Agreement], record: RightsRecord) -> Governing:
    """The agreement governing `record`: its agency's, else its source's, else the default.

    `agreements` are those in force (any version the caller keeps current); none at all gives
    None, so the policy works as before agreements existed. Names are compared by key only.
    """
    if not agreements:
        return None
    by_key = {a.supplier_key: a for a in agreements if a.supplier is not None and a.supplier_key}
    for key in (record.agency_key, record.source_key):
        if key and key in by_key:
            return by_key[key]
    for agreement in agreements:
        if agreement.supplier is None:
            return agreement
    return NO_AGREEMENT


def supplier_key_of(agreement: Agreement, record: RightsRecord) -> str:
    """The supplier whose monthly quota a use of `record` counts against.

    The supplier's own agreement counts under its key; the default counts each supplier apart
    (the record's agency key, else its source key; "" for an image with neither)."""
    if agreement.supplier is not None and agreement.supplier_key:
        return agreement.supplier_key
    return record.agency_key or record.source_key or ""


@dataclass(frozen=True, slots=True)
class Terms:
    """What an agreement says about one use: its reasons, and the cost and price to report.

    Cost and price are None when the agreement does not cover the use (or there is none)."""

    reasons: tuple[Reason, ...]
    cost: Cost | None = None
    price: str | None = None


def judge_agreement(
    governing: Governing,
    purpose: str,
    channel: str | None,
    territory: str | None,
    moment: datetime | None,
    uses_this_month: int = 0,
) -> Terms:
    """The agreement's reasons for this use (territory an ISO code, moment in UTC).

    `uses_this_month` is how many uses were recorded for the supplier this calendar month
    before this one: at or over the quota the use is reviewed and costs `overquota`.
    The same question gets the same `Terms` object back (remembered), so a caller may
    remember what it built on it.
    """
    if governing is None:
        return _NOTHING_AGREED
    if isinstance(governing, NoAgreement):
        return _NO_AGREEMENT_TERMS
    agreement = governing
    window = _window(agreement, moment)
    over = agreement.quota is not None and uses_this_month >= agreement.quota
    try:
        return _terms(
            agreement, purpose, channel, territory, window, uses_this_month if over else -1
        )
    except TypeError:  # an unhashable value where a tuple belongs: judge afresh
        return _terms.__wrapped__(
            agreement, purpose, channel, territory, window, uses_this_month if over else -1
        )


_NOTHING_AGREED = Terms(())
_NO_AGREEMENT_TERMS = Terms(
    (
        Reason(
            ReasonCode.NO_AGREEMENT,
            "No agreement covers this image's supplier and there is no default "
            "agreement; a person must confirm the subscription before it is used.",
            Outcome.REVIEW,
        ),
    )
)


def _window(agreement: Agreement, moment: datetime | None) -> str:
    """Where `moment` falls in the agreement's window: open (no window), unknown, before,
    inside or after."""
    if agreement.starts is None and agreement.ends is None:
        return "open"
    if moment is None:
        return "unknown"
    starts, ends = as_utc(agreement.starts), as_utc(agreement.ends)
    if starts is not None and moment < starts:
        return "before"
    if ends is not None and moment >= ends:
        return "after"
    return "inside"


@lru_cache(maxsize=4096)
def _terms(
    agreement: Agreement,
    purpose: str,
    channel: str | None,
    territory: str | None,
    window: str,
    over_count: int,
) -> Terms:
    """The terms for one question; `over_count` is the month's count when over the quota,
    else -1 (under the quota every count gets the same answer)."""
    evidence = (Evidence(agreement.label, Origin.AGREEMENT),)
    outside = _outside(agreement, purpose, channel, territory, window)
    if outside is not None:
        outcome, why = outside
        message = f"Not covered by {agreement.label}: {why}."
        if outcome is Outcome.REVIEW:
            message += " A person must decide."
        return Terms((Reason(ReasonCode.NOT_COVERED_BY_AGREEMENT, message, outcome, evidence),))
    reasons: list[Reason] = []
    cost = agreement.cost
    if purpose in agreement.lease_required:
        reasons.append(
            Reason(
                ReasonCode.LEASE_REQUIRED,
                f"{_opening(agreement.label)} covers {purpose} use only with a lease; "
                "no lease allows this use.",
                Outcome.DENY,
                evidence,
            )
        )
    if over_count >= 0:
        cost = Cost.OVERQUOTA
        reasons.append(
            Reason(
                ReasonCode.AGREEMENT_QUOTA,
                f"{_opening(agreement.label)} allows {agreement.quota} uses a month and "
                f"{over_count} are recorded this month; a person must approve the "
                "extra cost.",
                Outcome.REVIEW,
                evidence,
            )
        )
    price = agreement.price_text
    priced = f" at {price} per use" if price and cost is not Cost.FREE else ""
    reasons.append(
        Reason(
            ReasonCode.AGREEMENT,
            f"{_opening(agreement.label)} covers this use; cost {cost}{priced}.",
            Outcome.ALLOW,
            evidence,
        )
    )
    return Terms(tuple(reasons), cost, price)


def _outside(
    agreement: Agreement,
    purpose: str,
    channel: str | None,
    territory: str | None,
    window: str,
) -> tuple[Outcome, str] | None:
    """Why the use falls outside the agreement (deny), or cannot be placed (review)."""
    if agreement.purposes and purpose not in agreement.purposes:
        return Outcome.DENY, f"it covers {_listed(agreement.purposes)} use only"
    unknown: list[str] = []
    if agreement.channels:
        if channel is None:
            unknown.append("channel")
        elif channel not in agreement.channels:
            return Outcome.DENY, f"it covers {_listed(agreement.channels)} only"
    if agreement.territories:
        if territory is None:
            unknown.append("territory")
        elif territory not in territory_codes(agreement.territories):
            return Outcome.DENY, f"it covers {_listed(agreement.territories)} only"
    if window == "unknown":
        unknown.append("time")
    elif window == "before" and agreement.starts is not None:
        return Outcome.DENY, f"it starts at {_iso(agreement.starts)}"
    elif window == "after" and agreement.ends is not None:
        return Outcome.DENY, f"it ended at {_iso(agreement.ends)}"
    if unknown:
        return Outcome.REVIEW, f"the check gave no {' and no '.join(unknown)} of use"
    return None


def _iso(moment: datetime) -> str:
    utc = as_utc(moment)
    return utc.isoformat() if utc is not None else ""


def _opening(label: str) -> str:
    return label[0].upper() + label[1:]


def _listed(values: Sequence[str]) -> str:
    return ", ".join(str(v) for v in values)
