"""Supplier keys as the catalogue stores and compares them, built by the one key function.

An agency or source lease reaches an asset when the key of its target equals the key of the
asset's agency or source (`rights.leases.reaches`, and `assets.leases.reaching` in SQL). Every
key is `captions.normalise.fold_for_match`, the key the caption parser's normal form gives a
name: "epa", "ＥＰＡ", "ЕРА" with Cyrillic letters and "E P A" all reach "EPA".
"""

from __future__ import annotations

import dataclasses

from captions.normalise import fold_for_match
from rights import LeaseScope, RightsRecord


def name_key(name: str | None) -> str | None:
    """An asset's agency or source as a lease target is compared with it (None: no name)."""
    return (fold_for_match(name) or None) if name else None


def target_key(scope: str, target: str | None) -> str | None:
    """What a lease's target is compared as: an asset id as it is, a supplier by its key.

    None when the target names nothing (no target, or a name with no letter or digit): such a
    lease reaches no asset by itself. The catalogue stores this beside each lease.
    """
    if target is None:
        return None
    if scope == LeaseScope.ASSET:
        return target or None
    return name_key(target)


def with_supplier_keys(record: RightsRecord) -> RightsRecord:
    """The record with its agency's and source's keys, as the policy compares them."""
    agency_key, source_key = name_key(record.agency), name_key(record.source)
    if (agency_key, source_key) == (record.agency_key, record.source_key):
        return record
    return dataclasses.replace(record, agency_key=agency_key, source_key=source_key)
