"""Reads of API keys (for admins; the hash never leaves this layer's callers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from api.models import ApiKey
from api.models.base import utcnow
from api.queries.paging import Page, get_one, list_page

SORT_COLUMNS = {"id": ApiKey.id, "name": ApiKey.name, "createdAt": ApiKey.created_at,
                "lastUsedAt": ApiKey.last_used_at}


def _active(stmt: Any, wanted: bool) -> Any:
    now = utcnow()
    usable = and_(ApiKey.revoked_at.is_(None), or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now))
    return stmt.where(usable if wanted else ~usable)


FILTERS = {
    "role": lambda s, v: s.where(ApiKey.role.in_(v)),
    "active": _active,
}


def list_keys(session: Session, params: dict[str, Any]) -> Page[ApiKey]:
    """A page of API keys; `q` is part of a key's name or id (any case), not a search of the catalogue."""
    stmt = select(ApiKey)
    if params.get("q"):
        stmt = stmt.where(or_(ApiKey.name.icontains(params["q"], autoescape=True),
                              ApiKey.id.icontains(params["q"], autoescape=True)))
    return list_page(session, stmt, ApiKey, {**params, "q": None}, FILTERS, SORT_COLUMNS, "name")


def get_key(session: Session, key_id: str) -> ApiKey:
    """One API key, or NotFound."""
    return get_one(session, select(ApiKey), ApiKey, key_id, "API key")
