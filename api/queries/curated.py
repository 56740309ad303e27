"""Filters every curated collection shares: workflow status, last change and the demo mark."""

from __future__ import annotations

from typing import Any

from api.queries.paging import Filter


def curated_filters(model: Any) -> dict[str, Filter]:
    """status (OR), updatedSince and demo filters for a curated model."""
    return {
        "status": lambda s, v: s.where(model.status.in_(v)),
        "updated_since": lambda s, v: s.where(model.updated_at >= v),
        "demo": lambda s, v: s.where(model.demo.is_(v)),
    }
