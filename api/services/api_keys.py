"""Writes of API keys: create (the secret is returned once, only its hash is kept), revoke, record last use."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from api.exceptions import NotFound
from api.models import ApiKey, Role
from api.models.base import utcnow

PREFIX = "kb_"
LAST_USE_RESOLUTION = timedelta(minutes=1)


def hash_key(secret: str) -> str:
    """SHA-256 of the key: enough for 256 random bits (no dictionary to attack), and indexable for lookup."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(
    session: Session, name: str, role: Role | str, expires_at: datetime | None = None, created_by: str | None = None
) -> tuple[ApiKey, str]:
    """A new key and its secret `kb_…` (32 random bytes); the secret is not stored and cannot be shown again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(id=f"key-{secrets.token_hex(6)}", name=name, role=Role(role), key_hash=hash_key(secret),
                 expires_at=expires_at, created_by=created_by)
    session.add(key)
    session.flush()
    return key, secret


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Revoke a key from now on (revoking twice keeps the first moment)."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"There is no API key with id '{key_id}'.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def record_use(session: Session, key: ApiKey, moment: datetime | None = None) -> bool:
    """Set last use, at most once per minute per key (a conditional UPDATE, so concurrent requests write once).

    Returns True when a row was written; the caller commits.
    """
    moment = moment or utcnow()
    if key.last_used_at is not None and moment - key.last_used_at < LAST_USE_RESOLUTION:
        return False
    stale = moment - LAST_USE_RESOLUTION
    result = session.execute(
        update(ApiKey)
        .where(ApiKey.id == key.id, or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= stale))
        .values(last_used_at=moment)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
