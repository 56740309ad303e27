"""API keys: a name, one role, a hash of the secret (never the secret), expiry, revocation and last use."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, enum_column, utcnow


class Role(enum.StrEnum):
    """Roles an API key carries, each including the ones before it."""

    READER = "reader"
    CURATOR = "curator"
    ADMIN = "admin"


class ApiKey(Base):
    """One API key. The secret `kb_…` is shown once at creation; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "key_role"))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        """Usable now."""
        return self.usable_at(utcnow())

    def usable_at(self, moment: datetime) -> bool:
        """Neither revoked nor expired at `moment`."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
