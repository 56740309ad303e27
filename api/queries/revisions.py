"""Reads of the history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Revision
from api.queries.paging import Page, paginate


def list_revisions(session: Session, collection: str, record_id: str, params: dict[str, Any]) -> Page[Revision]:
    """A page of the revisions of one record, newest first."""
    stmt = (select(Revision).where(Revision.collection == collection, Revision.record_id == record_id)
            .order_by(Revision.id.desc()))
    return paginate(session, stmt, params["page"], params["page_size"])
