"""API keys and roles. Keys are random, shown once, and stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from assets.errors import AssetNotFound
from assets.tables import ApiKey

KEY_PREFIX = "rd_"


class Role(StrEnum):
    """Who may do what. Each role includes the ones before it; `hook` only checks rights."""

    VIEWER = "viewer"
    EDITOR = "editor"
    RIGHTS_MANAGER = "rights_manager"
    ADMIN = "admin"
    HOOK = "hook"

    def grants(self, needed: Role) -> bool:
        """Whether a key of this role may call a route that needs `needed`."""
        if self is Role.HOOK or needed is Role.HOOK:
            return needed is Role.HOOK and self in (
                Role.HOOK,
                Role.EDITOR,
                Role.RIGHTS_MANAGER,
                Role.ADMIN,
            )
        return _RANK[self] >= _RANK[needed]


_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.RIGHTS_MANAGER: 2, Role.ADMIN: 3}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    session: Session, name: str, role: Role, can_kill: bool = False
) -> tuple[ApiKey, str]:
    """A new key; the plain text is returned once and never stored.

    `can_kill`: kill notices sent with the key kill outright, and it may call the kill routes
    (for an agency feed trusted to withdraw its own pictures)."""
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        role=role.value,
        key_hash=hash_key(plain),
        prefix=plain[:10],
        can_kill=can_kill,
    )
    session.add(row)
    session.flush()
    return row, plain


def verify_key(session: Session, plain: str) -> ApiKey | None:
    """The live key with this text, or None (unknown or revoked)."""
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(plain))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.id))))


def revoke_key(session: Session, key_id_or_name: str) -> ApiKey:
    row = (
        session.get(ApiKey, key_id_or_name)
        or session.exec(
            select(ApiKey).where(ApiKey.name == key_id_or_name, col(ApiKey.revoked_at).is_(None))
        ).first()
    )
    if row is None:
        raise AssetNotFound(
            f"no API key with id or name {key_id_or_name!r}; see `rightsdesk keys list`"
        )
    row.revoked_at = datetime.now(UTC)
    session.add(row)
    return row


def has_admin_key(session: Session) -> bool:
    query = select(ApiKey.id).where(
        ApiKey.role == Role.ADMIN.value, col(ApiKey.revoked_at).is_(None)
    )
    return session.exec(query).first() is not None
