"""Create-or-update of one record from the values its input schema loaded, telling whether anything changed."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from api.models.base import Base, utcnow

Outcome = str  # "created" | "updated" | "unchanged"
Children = dict[str, tuple[set[Any], Callable[[Any, set[Any]], None], Callable[[Any], set[Any]]]]
"""A child set's name -> (wanted values, setter that replaces the child rows, getter of the current set)."""


def snapshot(record: Base, columns: dict[str, Any]) -> dict[str, Any]:
    """The record's current values of `columns`, enums as their values."""
    return {key: _plain(getattr(record, key)) for key in columns}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def upsert(session: Session, model: type[Base], data: dict[str, Any], children: Children | None = None
           ) -> tuple[Any, Outcome]:
    """Insert or update the `model` row `data["id"]` with the other values of `data`; child sets are diffed.

    `data` holds attribute names, as the input schemas load them (`organisation_id`, `contact`, ...); the keys
    named in `children` are child sets and are left out of the columns.
    """
    children = children or {}
    columns = {key: value for key, value in data.items() if key != "id" and key not in children}
    record = session.get(model, data["id"])
    if record is None:
        record = model(id=data["id"], **columns)
        session.add(record)
        for wanted, setter, _getter in children.values():
            setter(record, wanted)
        return record, "created"
    changed = snapshot(record, columns) != {k: _plain(v) for k, v in columns.items()}
    for key, value in columns.items():
        if _plain(getattr(record, key)) != _plain(value):
            setattr(record, key, value)
    for wanted, setter, getter in children.values():
        if getter(record) != wanted:
            setter(record, wanted)
            changed = True
    if changed:
        _touch(record)
    return record, "updated" if changed else "unchanged"


def _touch(record: Base) -> None:
    if hasattr(record, "updated_at"):
        record.updated_at = utcnow()  # type: ignore[attr-defined]
