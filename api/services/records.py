"""Create-or-update of one record from plain values, telling whether anything changed."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from api.models.base import Base, utcnow

Outcome = str  # "created" | "updated" | "unchanged"


def snapshot(record: Base, columns: dict[str, Any]) -> dict[str, Any]:
    """The record's current values of `columns`, enums as their values."""
    return {key: _plain(getattr(record, key)) for key in columns}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def upsert(
    session: Session,
    model: type[Base],
    record_id: str,
    columns: dict[str, Any],
    children: dict[str, tuple[set[Any], Callable[[Base, set[Any]], None], Callable[[Base], set[Any]]]] | None = None,
) -> tuple[Base, Outcome]:
    """Insert or update `model` row `record_id` with `columns`; child sets are diffed, not rewritten.

    `children` maps a name to (wanted values, setter, getter): the setter replaces the record's child rows
    with the wanted set, the getter reads the current set.
    """
    children = children or {}
    record = session.get(model, record_id)
    if record is None:
        record = model(id=record_id, **columns)
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
