"""Leases: a rights manager's allow or deny for a scope and a time window.

A lease applies when its target covers the record and the use falls inside every limit it
sets (purposes, channels, territories, [starts, ends)). A lease whose limit the use leaves
unknown (no channel, no territory, no time) might apply: an allow lease is then not used, a
deny lease sends the check to review. A matching deny lease beats any allow lease. A matching
allow lease lifts the restriction reasons the rules gave, never a kill, an unknown asset or
another lease's denial, and the decision names the lease and what it lifted. When a use needed
lifting and an allow lease did not apply, the decision says why (LEASE_NOT_APPLIED), so a
rights manager can see that a lease was out of its window or scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from rights.decision import Override, Reason
from rights.moment import as_utc
from rights.record import Evidence, RightsRecord
from rights.territory import territory_codes, unresolved, with_covered
from rights.vocabulary import LeaseScope, Origin, Outcome, ReasonCode

UNLIFTABLE: frozenset[str] = frozenset(
    {
        ReasonCode.UNKNOWN_ASSET,
        ReasonCode.KILLED,
        ReasonCode.KILL_REQUESTED,
        ReasonCode.PURGED,
        ReasonCode.UNKNOWN_PURPOSE,
        ReasonCode.LEASE_DENY,
        ReasonCode.LEASE_REVIEW,
        ReasonCode.LEASE_MAY_APPLY,
    }
)
"""Reason codes an allow lease can never lift: only restrictions are leased away."""


class Fit(Enum):
    """How a lease relates to one check."""

    APPLIES = "applies"
    MAY_APPLY = "may apply"  # the use leaves one of the lease's limits unknown
    OUTSIDE = "outside"  # the use falls outside the lease's purposes, channels, ... or window
    OTHER_ASSET = "other asset"  # an agency or source lease for someone else's images


@dataclass(frozen=True, slots=True)
class LeaseFit:
    """A lease's fit for a check, and the limit that decided it (`why` puts it in words).

    `limit` is "scope", "target" (names given without their keys), "purposes", "channels",
    "territories", "unresolved" (a territory that names no country), "starts", "ends" or
    "unknown" (then `unknown` names what the use left out). The words are only built when a
    decision needs them, which keeps checks against many leases cheap.
    """

    lease: Override
    fit: Fit
    limit: str = ""
    unknown: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        lease, limit = self.lease, self.limit
        if limit == "scope":
            return f'its scope "{lease.scope}" is not one the policy knows'
        if limit in ("purposes", "channels", "territories"):
            return f"it covers {_listed(getattr(lease, limit))} only"
        if limit == "starts" and lease.starts is not None:
            return f"it starts at {_iso(lease.starts)}"
        if limit == "ends" and lease.ends is not None:
            return f"it ended at {_iso(lease.ends)}"
        if limit == "unresolved":
            names = _listed(unresolved(tuple(lease.territories)))
            return f"it names {names}, which is no country the policy can read"
        if limit == "target":
            return "its target and the image's supplier were given no keys to compare"
        if limit == "unknown":
            return f"the check gave no {' and no '.join(self.unknown)} of use"
        return ""


def reaches(
    scope: str,
    target_key: str | None,
    *,
    asset_id: str,
    agency_key: str | None,
    source_key: str | None,
) -> bool:
    """Whether a lease of `scope` whose target has `target_key` reaches this asset.

    The one rule, in Python; `assets.leases.reaching` is the same rule in SQL. An asset lease
    names the asset's id exactly; an agency or source lease reaches every asset whose agency or
    source has the same key. Keys are computed by the caller with one function
    (`captions.normalise.fold_for_match`: "epa", "ЕРА" and "E P A" all reach "EPA"); an empty or
    missing key reaches nothing.
    """
    if not target_key:
        return False
    if scope == LeaseScope.ASSET:
        return target_key == asset_id
    if scope == LeaseScope.AGENCY:
        return target_key == agency_key
    if scope == LeaseScope.SOURCE:
        return target_key == source_key
    return False


def fit(
    lease: Override,
    record: RightsRecord,
    purpose: str,
    channel: str | None,
    territory: str | None,
    moment: datetime | None,
) -> LeaseFit:
    """Whether `lease` covers this use of `record` (territory normalised, moment in UTC)."""
    scope = lease.scope
    uncompared = False  # a target named without the keys to compare it: it may reach
    if scope == LeaseScope.AGENCY or scope == LeaseScope.SOURCE:
        # No target: the caller already picked this lease for this asset.
        if lease.target is not None or lease.target_key is not None:
            uncompared = not _comparable(lease, record)
            if not uncompared and not reaches(
                scope,
                lease.target_key,
                asset_id="",
                agency_key=record.agency_key,
                source_key=record.source_key,
            ):
                return LeaseFit(lease, Fit.OTHER_ASSET)
    elif scope != LeaseScope.ASSET:
        return LeaseFit(lease, Fit.MAY_APPLY, "scope")
    if lease.purposes and purpose not in lease.purposes:
        return LeaseFit(lease, Fit.OUTSIDE, "purposes")
    unknown: list[str] = []
    if lease.channels:
        if channel is None:
            unknown.append("channel")
        elif channel not in lease.channels:
            return LeaseFit(lease, Fit.OUTSIDE, "channels")
    if lease.territories:
        if territory is None:
            unknown.append("territory")
        elif territory not in _lease_territories(lease):
            if lease.effect != Outcome.ALLOW and unresolved(tuple(lease.territories)):
                return LeaseFit(lease, Fit.MAY_APPLY, "unresolved")
            return LeaseFit(lease, Fit.OUTSIDE, "territories")
    if lease.starts is not None or lease.ends is not None:
        if moment is None:
            unknown.append("time")
        else:
            starts, ends = as_utc(lease.starts), as_utc(lease.ends)
            if starts is not None and moment < starts:
                return LeaseFit(lease, Fit.OUTSIDE, "starts")
            if ends is not None and moment >= ends:
                return LeaseFit(lease, Fit.OUTSIDE, "ends")
    if uncompared:
        return LeaseFit(lease, Fit.MAY_APPLY, "target")
    if unknown:
        return LeaseFit(lease, Fit.MAY_APPLY, "unknown", tuple(unknown))
    return LeaseFit(lease, Fit.APPLIES)


def _comparable(lease: Override, record: RightsRecord) -> bool:
    """Whether the keys to compare a lease's target with the record's name were given."""
    if lease.target_key is None and (lease.target or "").strip():
        return False
    name, key = (
        (record.agency, record.agency_key)
        if lease.scope == LeaseScope.AGENCY
        else (record.source, record.source_key)
    )
    return key is not None or not (name or "").strip()


def _lease_territories(lease: Override) -> frozenset[str]:
    """The countries a lease covers. A deny or review lease is read as an exclusion (a country
    with what it covers: a hold on France holds Réunion too); an allow lease only lifts
    restrictions in the countries it names."""
    codes = territory_codes(tuple(lease.territories))
    return codes if lease.effect == Outcome.ALLOW else with_covered(codes)


def apply_leases(
    reasons: list[Reason],
    leases: Sequence[Override],
    record: RightsRecord,
    purpose: str,
    channel: str | None,
    territory: str | None,
    moment: datetime | None,
) -> list[Reason]:
    """`reasons` with the leases taken into account: lifted, added to, or annotated."""
    fits = [fit(lease, record, purpose, channel, territory, moment) for lease in leases]
    # An allow lease that does not apply is worth a note only when it had something to lift.
    restricted = any(r.outcome is not Outcome.ALLOW for r in reasons)
    blocking: list[Reason] = []
    granted: list[Override] = []
    notes: list[Reason] = []
    for f in fits:
        lease = f.lease
        if f.fit is Fit.OTHER_ASSET:
            continue
        if lease.effect == Outcome.ALLOW:
            if f.fit is Fit.APPLIES:
                granted.append(lease)
            elif restricted:
                notes.append(_note(lease, f"{_opening_label(lease)} does not apply: {f.why}."))
        elif f.fit is Fit.APPLIES:
            blocking.append(_blocking(lease))
        elif f.fit is Fit.MAY_APPLY:
            blocking.append(
                Reason(
                    ReasonCode.LEASE_MAY_APPLY,
                    f"{_opening_label(lease)} {_verb(lease)} this image ({lease.reason}), "
                    f"and it may cover this use: {f.why}; a person must decide.",
                    Outcome.REVIEW,
                    _evidence(lease),
                )
            )
    if granted:
        denying = [r for r in blocking if r.code == ReasonCode.LEASE_DENY]
        if denying:
            notes.extend(
                _note(lease, f"{_opening_label(lease)} is overruled: a deny lease covers this use.")
                for lease in granted
            )
        else:
            reasons, lifted = _lift(reasons, granted[0])
            notes.append(_granted(granted[0], lifted))
            notes.extend(_granted(lease, None) for lease in granted[1:])
    return reasons + blocking + notes


def _lift(reasons: Iterable[Reason], lease: Override) -> tuple[list[Reason], tuple[str, ...]]:
    by = _label(lease)
    out: list[Reason] = []
    lifted: list[str] = []
    for reason in reasons:
        if reason.outcome is Outcome.ALLOW or reason.code in UNLIFTABLE:
            out.append(reason)
            continue
        out.append(
            Reason(
                reason.code,
                f"{reason.message} Lifted by {by}.",
                Outcome.ALLOW,
                reason.evidence,
                lifted_by=lease.id or "unsaved lease",
            )
        )
        if reason.code not in lifted:
            lifted.append(reason.code)
    return out, tuple(lifted)


def _granted(lease: Override, lifted: tuple[str, ...] | None) -> Reason:
    """The LEASE_ALLOW reason; `lifted` None for a lease that also applies but came later."""
    if lifted is None:
        what = ""
    elif lifted:
        what = f"; it lifts {', '.join(lifted)}"
    else:
        what = "; nothing needed lifting"
    return Reason(
        ReasonCode.LEASE_ALLOW,
        f"{_opening_label(lease)} allows this use ({lease.reason}){what}.",
        Outcome.ALLOW,
        _evidence(lease),
    )


def _blocking(lease: Override) -> Reason:
    if lease.effect == Outcome.DENY:
        code, outcome = ReasonCode.LEASE_DENY, Outcome.DENY
    else:
        code, outcome = ReasonCode.LEASE_REVIEW, Outcome.REVIEW
    message = f"{_opening_label(lease)} {_verb(lease)} this use: {lease.reason}."
    return Reason(code, message, outcome, _evidence(lease))


def _note(lease: Override, message: str) -> Reason:
    return Reason(ReasonCode.LEASE_NOT_APPLIED, message, Outcome.ALLOW, _evidence(lease))


def _verb(lease: Override) -> str:
    return "denies" if lease.effect == Outcome.DENY else "sends to review"


def _label(lease: Override) -> str:
    return f"lease {lease.id}" if lease.id else "an unsaved lease"


def _opening_label(lease: Override) -> str:
    """`_label` at the start of a sentence."""
    label = _label(lease)
    return label[0].upper() + label[1:]


def _evidence(lease: Override) -> tuple[Evidence, ...]:
    return (Evidence(lease.reason, Origin.OVERRIDE),)


def _listed(values: Iterable[str]) -> str:
    return ", ".join(str(v) for v in values)


def _iso(moment: datetime) -> str:
    utc = as_utc(moment)
    return utc.isoformat() if utc is not None else ""
