"""`GET /v1/assets?cost=...&purpose=...`: the assets a use of which costs this much.

The cost of a use is the agreement's (rights.agreements), which depends on the supplier, the
use and this month's count against a quota; so the filter is worked out once per listing from
the few agreements in force, as sets of supplier keys, and becomes one SQL condition on the
asset's agency and source keys (the same keys `rights.agreement_for` compares).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from assets.agreements import in_force
from assets.quota import month_of
from assets.tables import SupplierUse
from rights import Agreement, Cost, Use
from rights.agreements import judge_agreement
from rights.moment import as_utc
from rights.territory import territory_code


@dataclass(frozen=True, slots=True)
class CostFilter:
    """Suppliers whose use costs the asked cost.

    `own`: keys whose own agreement gives it; `named`: every key with its own agreement;
    `default`: whether the default agreement gives it, and then only to suppliers in
    `only` (None: all of them) and not in `but`."""

    own: frozenset[str]
    named: frozenset[str]
    default: bool
    only: frozenset[str] | None = None
    but: frozenset[str] = frozenset()

    def condition(self, c: Any) -> sa.ColumnElement[bool]:
        """The condition on asset columns `c` (agency_key, source_key)."""
        named = sorted(self.named)
        agency_free = sa.or_(c.agency_key.is_(None), c.agency_key.not_in(named))
        source_free = sa.or_(c.source_key.is_(None), c.source_key.not_in(named))
        own = sorted(self.own)
        parts: list[sa.ColumnElement[bool]] = []
        if own:
            parts.append(sa.or_(c.agency_key.in_(own), sa.and_(agency_free, c.source_key.in_(own))))
        if self.default:
            supplier = sa.func.coalesce(c.agency_key, c.source_key, "")
            default = [agency_free, source_free]
            if self.only is not None:
                default.append(supplier.in_(sorted(self.only)))
            if self.but:
                default.append(supplier.not_in(sorted(self.but)))
            parts.append(sa.and_(*default))
        return sa.or_(*parts) if parts else sa.false()


def cost_filter(session: Session, cost: Cost, use: Use, now: datetime) -> CostFilter:
    """Which suppliers a `use` at `now` costs `cost` for."""
    agreements = in_force(session)
    month = month_of(now)
    moment = as_utc(use.at or now)
    territory = territory_code(use.territory) if use.territory else None
    own: set[str] = set()
    named = {a.supplier_key for a in agreements if a.supplier is not None and a.supplier_key}
    default = next((a for a in agreements if a.supplier is None), None)

    def costs(agreement: Agreement, used: int) -> Cost | None:
        terms = judge_agreement(agreement, use.purpose, use.channel, territory, moment, used)
        return terms.cost

    for agreement in agreements:
        if agreement.supplier is None or not agreement.supplier_key:
            continue
        used = _uses(session, month, agreement.quota, [agreement.supplier_key])
        if costs(agreement, used.get(agreement.supplier_key, 0)) is cost:
            own.add(agreement.supplier_key)
    if default is None:
        return CostFilter(frozenset(own), frozenset(named), False)
    base = costs(default, 0)
    if default.quota is None or base is None:
        return CostFilter(frozenset(own), frozenset(named), base is cost)
    over = frozenset(k for k, n in _uses(session, month, default.quota, None).items())
    if cost is Cost.OVERQUOTA:
        return CostFilter(frozenset(own), frozenset(named), bool(over), only=over)
    return CostFilter(frozenset(own), frozenset(named), base is cost, but=over)


def _uses(
    session: Session, month: str, quota: int | None, keys: list[str] | None
) -> dict[str, int]:
    """Keys at or over `quota` this month, with their counts (none without a quota)."""
    if quota is None:
        return {}
    query = sa.select(col(SupplierUse.supplier_key), col(SupplierUse.uses)).where(
        col(SupplierUse.month) == month, col(SupplierUse.uses) >= quota
    )
    if keys is not None:
        query = query.where(col(SupplierUse.supplier_key).in_(keys))
    return {key: uses for key, uses in session.connection().execute(query)}
