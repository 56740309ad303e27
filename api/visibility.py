"""The one visibility rule: unpublished records (drafts, archived ones) exist for curators only.

Every path that can reveal a record goes through here or through the published-only search documents of
`api.services.search_index`:
- item and list bodies: `present_dumped` drops summaries of related records that are not published (a draft
  topic of a published expert, a draft safety house of a region) for callers below curator, and applies the
  personal-data rule (`Collection.redact`); what a record shows depending on the summaries left is finished by
  `Collection.narrow` (a municipality's fallback houses);
- the support bundle: its query takes the statuses the viewer may see (`api.access.visible_statuses`);
- list and search filters: `check_filters` answers a filter naming an unknown or unpublished record with the
  same 400, so a filter is no existence check.
"""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema
from sqlalchemy import select

from api.access import Role, viewer
from api.collections import AREA_COLLECTIONS, AREAS, BY_NAME, COLLECTIONS, Collection
from api.exceptions import InvalidInput, InvalidParam
from api.queries.curated import unpublished_ids_by_collection
from api.record_dumps import per_state
from api.sessions import db

RELATED_TARGETS = tuple(sorted({target for collection in COLLECTIONS for target in collection.related.values()
                                if BY_NAME[target].curated}))
"""The curated collections that records show summaries of (whose unpublished ids a viewer may not see)."""
FILTER_TARGET = "references"
"""Metadata key of a query-schema field whose values are ids of a collection (or `areas`)."""


def hidden_ids(collection: str, published_only: bool = False) -> set[str]:
    """Ids in `collection` the viewer may not see (none for curators, unless `published_only`).

    One query for all of them, once per catalogue state for GETs (`api.record_dumps.per_state`), else once per
    request (cached in the request's environ). The sets are shared: never edit one.
    """
    if not BY_NAME[collection].curated or (viewer().at_least(Role.CURATOR) and not published_only):
        return set()
    cache: dict[str, set[str]] = request.environ.setdefault("kennisbank.hidden_ids", {})
    if collection not in cache:  # every related collection at once: a record usually needs two of them
        wanted = RELATED_TARGETS if collection in RELATED_TARGETS else (collection,)
        cache.update(per_state(("unpublished", wanted), lambda: unpublished_ids_by_collection(
            db(), {name: BY_NAME[name].model for name in wanted})))
    return cache[collection]


def present_dumped(collection: Collection, item: dict[str, Any], *, published_only: bool = False) -> dict[str, Any]:
    """`item` (a dumped record of `collection`) as this viewer may see it; edits and returns `item`.

    `published_only` shows the published catalogue even to curators (the export and the change feed).
    """
    for field, target in collection.related.items():
        value = item.get(field)
        if not value:
            continue
        hidden = hidden_ids(target, published_only)
        if not hidden:
            continue
        if isinstance(value, list):
            item[field] = [summary for summary in value if summary.get("id") not in hidden]
        elif value.get("id") in hidden:
            item[field] = None
    if collection.narrow is not None:
        collection.narrow(item)
    if collection.redact is not None:
        collection.redact(item)
    return item


def visible_ids(target: str, ids: set[str]) -> set[str]:
    """Which of `ids` name a record of `target` (or, for `areas`, an area code) that this viewer may see."""
    if target == AREAS:
        found = {"NL"} & ids
        for name in AREA_COLLECTIONS:
            found |= visible_ids(name, ids)
        return found
    model: Any = BY_NAME[target].model
    return set(db().scalars(select(model.id).where(model.id.in_(ids)))) - hidden_ids(target)


def check_filters(query: Schema, params: dict[str, Any]) -> None:
    """400 naming every filter value that is not the id of a record this viewer may see."""
    errors: list[InvalidParam] = []
    for name, field in query.fields.items():
        target = field.metadata.get(FILTER_TARGET)
        wanted = params.get(name)
        if target is None or not wanted:
            continue
        known = visible_ids(target, set(wanted))
        errors.extend(InvalidParam(field.data_key or name, "unknown-reference", f"unknown {target} id '{value}'")
                      for value in wanted if value not in known)
    if errors:
        raise InvalidInput(errors)
