"""Full-text matching for the `q` parameter of every collection, with the same engine as /search."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.queries.search import run_search

MAX_RANKED = 1000
"""A collection's `q` ranks at most this many matches (then filters and pages them)."""


def ranked_ids(session: Session, search_type: str, q: str) -> list[str]:
    """Ids of the records of `search_type` matching `q`, most relevant first (status is filtered by the caller)."""
    result = run_search(session, q, types=[search_type], statuses=("draft", "published", "archived"),
                        limit=MAX_RANKED, snippets=False)
    return [hit.id for hit in result.hits]
