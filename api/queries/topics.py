"""Reads of topics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from api.models import Topic
from api.queries.curated import curated_filters
from api.queries.paging import Page, get_one, list_page, load_in_order

SORT_COLUMNS = {"id": Topic.id, "label": Topic.label}
FILTERS = {**curated_filters(Topic), "parent": lambda s, v: s.where(Topic.parent_id.in_(v))}


def list_topics(session: Session, params: dict[str, Any]) -> Page[Topic]:
    """A page of topics."""
    stmt = select(Topic).options(joinedload(Topic.parent))
    return list_page(session, stmt, Topic, params, FILTERS, SORT_COLUMNS, "label", search_type="topic")


def get_topic(session: Session, topic_id: str) -> Topic:
    """One topic, or NotFound."""
    return get_one(session, select(Topic).options(joinedload(Topic.parent)), Topic, topic_id, "topic")


def load_topics(session: Session, ids: Sequence[str]) -> list[Topic]:
    """The topics with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, select(Topic).options(joinedload(Topic.parent)), ids)
