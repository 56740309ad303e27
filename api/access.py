"""Who is calling: the viewer of the current request and what they may see."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

from api.exceptions import Forbidden, InvalidInput, InvalidParam, NotFound, Unauthorized
from api.models.api_keys import Role

__all__ = ["ANONYMOUS", "RANK", "Role", "Viewer", "ensure_visible", "require", "viewer", "visible_statuses"]

RANK = {Role.READER: 1, Role.CURATOR: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Viewer:
    """The caller: anonymous (role None) or an API key with a role."""

    key_id: str | None = None
    role: Role | None = None

    @property
    def authenticated(self) -> bool:
        """True for any valid key."""
        return self.role is not None

    def at_least(self, role: Role) -> bool:
        """True when the viewer's role includes `role`."""
        return self.role is not None and RANK[self.role] >= RANK[role]


ANONYMOUS = Viewer()


def viewer() -> Viewer:
    """The viewer of the current request."""
    return g.get("viewer", ANONYMOUS)


def require(role: Role) -> Viewer:
    """The viewer, if their role includes `role`; otherwise 401 (no key) or 403 (too weak a key).

    Marks the request as key-only, so that its answer is never stored by a cache (`api.http.cache_control`).
    """
    g.key_required = True
    current = viewer()
    if not current.authenticated:
        raise Unauthorized("This needs an API key: send Authorization: Bearer kb_…")
    if not current.at_least(role):
        raise Forbidden(f"This needs the {role.value} role.")
    return current


def visible_statuses(requested: list[str] | None) -> list[str]:
    """Statuses the viewer may list: curators any (default all), everyone else published only."""
    if viewer().at_least(Role.CURATOR):
        return requested or ["draft", "published", "archived"]
    if requested and requested != ["published"]:
        raise InvalidInput([InvalidParam("status", "forbidden-value", "Only curators can see unpublished records.")])
    return ["published"]


def ensure_visible(status: str, what: str) -> None:
    """Unpublished records do not exist for callers below curator."""
    if status != "published" and not viewer().at_least(Role.CURATOR):
        raise NotFound(f"There is no published {what} with this id.")
