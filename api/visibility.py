"""What a caller may see of a record: unpublished related records and (for anonymous callers) personal data.

Every endpoint that returns catalogue records passes each dumped record through `present(collection, item)`:
it drops summaries of related records that are not published (a draft topic of a published expert, a draft
safety house of a region) for callers below curator, and applies the personal-data rule to experts.
"""

from __future__ import annotations

from typing import Any

from flask import request

from api.access import Role, viewer
from api.models import Organisation, SafetyHouse, Topic
from api.personal_data import redact_expert
from api.queries.curated import unpublished_ids
from api.sessions import db

# Dumped field holding summaries -> the curated collection they point into.
RELATED: dict[str, dict[str, str]] = {
    "experts": {"organisation": "organisations", "topics": "topics"},
    "approaches": {"provider": "organisations", "topics": "topics"},
    "topics": {"parent": "topics"},
    "safety-regions": {"safetyHouses": "safety-houses"},
}
MODELS = {"organisations": Organisation, "topics": Topic, "safety-houses": SafetyHouse}


def hidden_ids(collection: str, published_only: bool = False) -> set[str]:
    """Ids in `collection` the viewer may not see (none for curators, unless `published_only`).

    One query per collection and request (cached in the request's environ).
    """
    if viewer().at_least(Role.CURATOR) and not published_only:
        return set()
    cache: dict[str, set[str]] = request.environ.setdefault("kennisbank.hidden_ids", {})
    if collection not in cache:
        cache[collection] = unpublished_ids(db(), MODELS[collection])
    return cache[collection]


def present(collection: str, item: dict[str, Any], *, published_only: bool = False) -> dict[str, Any]:
    """`item` (a dumped record of `collection`) as this viewer may see it; edits and returns `item`.

    `published_only` shows the published catalogue even to curators (the export and the change feed).
    """
    for field, target in RELATED.get(collection, {}).items():
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
    if collection == "experts":
        redact_expert(item)
    return item
