"""The area hierarchy: which area codes serve a municipality."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Municipality
from api.models.experts import NATIONAL_AREA


def served_areas(session: Session, municipality_ids: Sequence[str]) -> list[str]:
    """Every area code that serves the municipalities: those that exist, their safety regions and police units,
    and NL (the one place that expands areas: expert lists and search use it)."""
    rows = session.execute(
        select(Municipality.id, Municipality.safety_region_id, Municipality.police_unit_id).where(
            Municipality.id.in_(municipality_ids)
        )
    )
    return sorted({NATIONAL_AREA, *(code for row in rows for code in row if code is not None)})
