"""API keys and roles. Keys are random, shown once, and stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from assets.clock import utcnow
from assets.errors import AssetNotFound, Conflict, InvalidRequest
from assets.storable import unstorable
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


ACTOR_PREFIX = "key:"
NAME_LENGTH = 128 - len(ACTOR_PREFIX)
"""A key acts as `key:NAME` in the audit trail, whose actor column holds 128 characters."""


def create_key(
    session: Session, name: str, role: Role, can_kill: bool = False
) -> tuple[ApiKey, str]:
    """A new key; the plain text is returned once and never stored.

    `can_kill`: kill notices sent with the key kill outright, and it may call the kill routes
    (for an agency feed trusted to withdraw its own pictures).

    Names are unique among live keys (a revoked key's name may be given to its successor)."""
    name = name.strip()
    if not name:
        raise InvalidRequest("a key needs a name: who or what uses it")
    if len(name) > NAME_LENGTH:
        raise InvalidRequest(f"a key name has at most {NAME_LENGTH} characters")
    if reason := unstorable(name):
        raise InvalidRequest(f"the key name {reason}")
    if live_keys_named(session, name):
        raise Conflict(
            f"a live key is already named {name!r}; choose another name, or revoke that key"
            f" first (`rightsdesk keys revoke {name}`)"
        )
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        role=role.value,
        key_hash=hash_key(plain),
        prefix=plain[:10],
        can_kill=can_kill,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # created at the same moment elsewhere
        raise Conflict(f"a live key is already named {name!r}; choose another name") from exc
    return row, plain


def verify_key(session: Session, plain: str) -> ApiKey | None:
    """The live key with this text, or None (unknown or revoked)."""
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(plain))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.id))))


def live_keys_named(session: Session, name: str) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.name == name, col(ApiKey.revoked_at).is_(None))
    return list(session.exec(query.order_by(col(ApiKey.id))))


def revoke_key(session: Session, key_id_or_name: str) -> list[ApiKey]:
    """Revoke the key with this id, or every live key with this name; the keys revoked.

    A key revoked already is not revoked again (its revocation time stays as it was)."""
    by_id = session.get(ApiKey, key_id_or_name)
    rows = [by_id] if by_id is not None else live_keys_named(session, key_id_or_name)
    if not rows:
        raise AssetNotFound(
            f"no live API key with id or name {key_id_or_name!r}; see `rightsdesk keys list`"
        )
    now = utcnow()
    revoked = [row for row in rows if row.revoked_at is None]
    for row in revoked:
        row.revoked_at = now
        session.add(row)
    return revoked


def has_admin_key(session: Session) -> bool:
    query = select(ApiKey.id).where(
        ApiKey.role == Role.ADMIN.value, col(ApiKey.revoked_at).is_(None)
    )
    return session.exec(query).first() is not None
