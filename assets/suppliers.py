"""Suppliers the catalogue knows, and lease targets checked against them.

An agency- or source-wide lease reaches assets by the supplier key of its target
(`captions.normalise.fold_for_match`, compared by `rights.leases.reaches`). A target no asset
and no agency profile carries would be stored, listed and never applied, so granting one is
refused with the known names closest to it, unless the rights manager insists (`force`: a
lease for a supplier whose pictures have not arrived yet).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from assets.errors import AssetError
from assets.supplier_keys import name_key, target_key
from assets.tables import Asset
from captions import PROFILES
from captions.normalise import fold_for_match
from rights import LeaseScope

_SUGGESTED = 8  # near matches named in a refusal
_LISTED = 80  # known names listed when nothing is near
_CATALOGUE_NAMES = 5000  # distinct names read from the catalogue for a suggestion


class UnknownSupplier(AssetError):
    """A lease target that names no supplier the catalogue or an agency profile knows:
    `field` is the request field that named it, `known` the names it could have been."""

    def __init__(self, message: str, field: str, known: list[str]) -> None:
        super().__init__(message)
        self.field = field
        self.known = known


@dataclass(frozen=True, slots=True)
class SupplierTarget:
    """A lease target as it will be stored and matched: the known spelling and its key."""

    name: str
    key: str
    known: bool


def resolve_target(
    session: Session, scope: LeaseScope, target: str, *, force: bool = False
) -> SupplierTarget:
    """The supplier an agency or source lease names, spelt as the catalogue or profile spells it.

    Known are the agencies and sources of stored assets and every agency profile's names; a
    profile alias is read as the profile's name ("European Pressphoto Agency" -> "EPA").
    """
    key = fold_for_match(target)
    if not key:
        raise UnknownSupplier(
            f"target {target!r} has no letter or digit, so it names no supplier",
            "target",
            [],
        )
    agencies = (Asset.agency, Asset.agency_key)
    sources = (Asset.source, Asset.source_key)
    own, other = (agencies, sources) if scope == LeaseScope.AGENCY else (sources, agencies)
    name = (
        _catalogue_spelling(session, *own, key)
        or _PROFILE_BY_KEY.get(key)
        or _catalogue_spelling(session, *other, key)
    )
    if name is not None:
        return SupplierTarget(name, fold_for_match(name), True)
    if force:
        tidy = _tidy(target)
        return SupplierTarget(tidy, fold_for_match(tidy), False)
    near = _near(key, known_names(session))
    listing = near or sorted({p.name for p in PROFILES}, key=str.casefold)[:_LISTED]
    what = "closest known names" if near else "known agencies"
    raise UnknownSupplier(
        f"no asset and no agency profile names the {scope.value} {target.strip()!r}, so this"
        f" lease would never apply; {what}: {', '.join(listing)}."
        ' Send one of them, or "force": true to grant it for a supplier not yet seen',
        "target",
        listing,
    )


def known_names(session: Session) -> list[str]:
    """Every supplier name known: agency profiles (names and aliases), then the catalogue's."""
    names = [alias for profile in PROFILES for alias in profile.aliases]
    for column in (col(Asset.agency), col(Asset.source)):
        query = sa.select(column).where(column.is_not(None)).distinct().limit(_CATALOGUE_NAMES)
        names.extend(str(n) for n in session.execute(query).scalars())
    return list(dict.fromkeys(names))


def refresh_supplier_keys(connection: Connection) -> int:
    """Set every stored key from its name (after `fold_for_match` changed); rows changed."""
    asset = sa.table(
        "asset",
        sa.column("agency"),
        sa.column("agency_key"),
        sa.column("source"),
        sa.column("source_key"),
    )
    lease = sa.table(
        "lease", sa.column("id"), sa.column("scope"), sa.column("target"), sa.column("target_key")
    )
    changed = 0
    for name_column, key_column in (("agency", "agency_key"), ("source", "source_key")):
        names = asset.c[name_column]
        keys = asset.c[key_column]
        pairs = connection.execute(sa.select(names, keys).distinct()).all()
        for name, stored in pairs:
            key = name_key(name)
            if key != stored:
                where = names.is_(None) if name is None else names == name
                result = connection.execute(sa.update(asset).where(where).values({key_column: key}))
                changed += result.rowcount or 0
    for lease_id, scope, target, stored in connection.execute(sa.select(lease)).all():
        key = target_key(scope, target)
        if key != stored:
            connection.execute(
                sa.update(lease).where(lease.c.id == lease_id).values(target_key=key)
            )
            changed += 1
    return changed


def _catalogue_spelling(session: Session, column: Any, key_column: Any, key: str) -> str | None:
    """The commonest spelling of a supplier among stored assets with this key, if any."""
    rows = session.execute(
        sa.select(column, sa.func.count())
        .where(key_column == key)
        .group_by(column)
        .order_by(sa.func.count().desc(), column)
        .limit(1)
    ).all()
    return str(rows[0][0]) if rows else None


def _near(key: str, names: Iterable[str]) -> list[str]:
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(fold_for_match(name), name)
    close = difflib.get_close_matches(key, list(by_key), n=_SUGGESTED, cutoff=0.6)
    prefixed = [k for k in by_key if key in k or k in key]
    ranked = Counter({k: 2 for k in close}) + Counter({k: 1 for k in prefixed})
    return [by_key[k] for k, _ in ranked.most_common(_SUGGESTED)]


def _tidy(target: str) -> str:
    """A forced target as it will be shown: compatibility forms unified, invisible and control
    characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", target)
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _HIDDEN)
    return " ".join(kept.split())


_HIDDEN = frozenset({"Cc", "Cf"})


_PROFILE_BY_KEY: dict[str, str] = {}
for _profile in PROFILES:
    for _alias in _profile.aliases:
        _PROFILE_BY_KEY.setdefault(fold_for_match(_alias), _profile.name)
