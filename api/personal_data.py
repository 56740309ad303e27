"""The personal-data rule: a person's email and phone reach authenticated callers only."""

from __future__ import annotations

from typing import Any

from api.access import viewer
from api.services.curation import PERSONAL_FIELDS


def redact_expert(expert: dict[str, Any]) -> dict[str, Any]:
    """`expert` without a person's email and phone, unless the caller is authenticated."""
    if expert.get("kind") == "person" and not viewer().authenticated and expert.get("contact"):
        expert["contact"] = {**expert["contact"], "email": None, "phone": None}
    return expert


def redact_revision(revision: dict[str, Any]) -> dict[str, Any]:
    """A dumped revision of an expert without the values of its email and phone, unless the caller is authenticated.

    (History is for curators, so this only matters if that ever changes.)
    """
    if not viewer().authenticated:
        revision["changes"] = [
            {**change, "old": None, "new": None} if change.get("field") in PERSONAL_FIELDS else change
            for change in revision.get("changes", [])
        ]
    return revision
