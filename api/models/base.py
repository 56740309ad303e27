"""The declarative base, shared column types and the enumerations of the catalogue."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Status(enum.StrEnum):
    """Workflow of curated content."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class SizeClass(enum.StrEnum):
    """The Inspectie's municipality size classes."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


def size_class_of(population: int) -> SizeClass:
    """small < 50,000 <= medium < 100,000 <= large."""
    if population < 50_000:
        return SizeClass.SMALL
    if population < 100_000:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Versioned:
    """A record that writes keep a version of: 1 when created, one more on every change (see api/services/curation)."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")


class CuratedMixin(Versioned):
    """Columns every curated record has: workflow, timestamps, sources and the demo mark."""

    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), default=Status.PUBLISHED, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    demo: Mapped[bool] = mapped_column(default=False)


ID = String(64)
CODE = String(8)
