"""API keys for tests, created through the service like `kennisbank keys create` does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api.database import Database
from api.models.base import utcnow
from api.services.api_keys import create_key, revoke_key

ROLES = ("reader", "curator", "admin")


@dataclass(frozen=True)
class Keys:
    """One working key per role, plus a revoked and an expired (curator) key."""

    reader: str
    curator: str
    admin: str
    revoked: str
    expired: str

    def headers(self, who: str) -> dict[str, str]:
        """Authorization header of `who` (a role, `revoked` or `expired`); {} for `anonymous`."""
        return {} if who == "anonymous" else {"Authorization": f"Bearer {getattr(self, who)}"}


def make_keys(url: str) -> Keys:
    """Create the keys in the database at `url`."""
    database = Database(url)
    secrets: dict[str, str] = {}
    with database.transaction() as session:
        for role in ROLES:
            _key, secrets[role] = create_key(session, f"test {role}", role)
        revoked, secrets["revoked"] = create_key(session, "test revoked", "curator")
        revoke_key(session, revoked.id)
        _key, secrets["expired"] = create_key(session, "test expired", "curator",
                                              expires_at=utcnow() - timedelta(minutes=1))
    database.dispose()
    return Keys(**secrets)
