"""Desk sessions: a signed, expiring cookie that stands for an API key, and its CSRF token.

A person signs in with an API key once; the cookie names the key's id and an expiry and is
signed with HMAC keyed by the server secret and the key's stored hash. Nothing is stored per
session, so every replica accepts it, and it dies with the key: each request reads the key
row again, and a revoked key (or a new hash) makes every cookie of it worthless.

The CSRF token is derived from the cookie's signature, so a page can embed it in its forms
while a page on another site, which cannot read ours, cannot know it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from sqlmodel import Session

from assets.keys import Role, verify_key
from assets.tables import ApiKey

COOKIE = "rightsdesk_session"
BROWSER_COOKIE = "rightsdesk_browser"
"""With authentication off: a random value per browser, which the CSRF token is bound to."""
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LIFETIME_SECONDS = 12 * 3600
"""A working shift: a person signs in again the next day."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_EXPIRY = re.compile(r"[0-9]{1,12}")
"""Unix seconds in ASCII digits: `str.isdigit` also admits "²" and 5,000-digit numbers."""


@dataclass(frozen=True)
class DeskSession:
    """A valid session: whose key it is, and the token its forms must send back."""

    key_id: str
    key_name: str
    role: Role
    csrf: str
    can_kill: bool = False


def start_session(session: Session, plain_key: str, secret: str, now: float | None = None) -> str:
    """The cookie value for a live API key, or "" when the key is unknown or revoked."""
    key = verify_key(session, plain_key.strip())
    if key is None:
        return ""
    expires = int((now if now is not None else time.time()) + LIFETIME_SECONDS)
    payload = f"{key.id}.{expires}"
    return f"{payload}.{_sign(secret, key.key_hash, payload)}"


def read_session(
    session: Session, cookie: str, secret: str, now: float | None = None
) -> DeskSession | None:
    """The session a cookie stands for, or None: malformed, forged, expired or key revoked."""
    parts = cookie.split(".")
    if len(parts) != 3 or not _EXPIRY.fullmatch(parts[1]):
        return None
    key_id, expires, signature = parts
    if int(expires) <= (now if now is not None else time.time()):
        return None
    key = session.get(ApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return None
    expected = _sign(secret, key.key_hash, f"{key_id}.{expires}")
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        role = Role(key.role)
    except ValueError:
        return None
    csrf = _sign(secret, key.key_hash, f"csrf:{signature}")
    return DeskSession(key.id, key.name, role, csrf, can_kill=bool(key.can_kill))


def anonymous_csrf(secret: str, browser: str) -> str:
    """The token forms carry when authentication is off, or "" without a browser value.

    There is no session to bind it to, so it is bound to a random value the desk gives each
    browser in a SameSite=Strict cookie (`BROWSER_COOKIE`): a constant token would be one any
    other site could compute and send, even with an empty server secret."""
    return _sign(secret, "", f"csrf:anonymous:{browser}") if browser else ""


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def _sign(secret: str, key_hash: str, payload: str) -> str:
    key = hashlib.sha256(f"{secret}\x00{key_hash}".encode()).digest()
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
