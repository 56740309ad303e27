"""Reads of organisations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Organisation
from api.queries.curated import curated_filters
from api.queries.paging import Page, get_one, list_page, load_in_order

SORT_COLUMNS = {"id": Organisation.id, "name": Organisation.name, "updatedAt": Organisation.updated_at}
FILTERS = {
    **curated_filters(Organisation),
    "kind": lambda s, v: s.where(Organisation.kind.in_(v)),
    "scope": lambda s, v: s.where(Organisation.scope.in_(v)),
}


def list_organisations(session: Session, params: dict[str, Any]) -> Page[Organisation]:
    """A page of organisations."""
    return list_page(session, select(Organisation), Organisation, params, FILTERS, SORT_COLUMNS, "name",
                     search_type="organisation")


def get_organisation(session: Session, organisation_id: str) -> Organisation:
    """One organisation, or NotFound."""
    return get_one(session, select(Organisation), Organisation, organisation_id, "organisation")


def load_organisations(session: Session, ids: Sequence[str]) -> list[Organisation]:
    """The organisations with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, select(Organisation), ids)
