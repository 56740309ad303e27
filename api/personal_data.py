"""The personal-data rule: a person's email and phone reach authenticated callers only."""

from __future__ import annotations

from typing import Any

from api.access import viewer


def redact_expert(expert: dict[str, Any]) -> dict[str, Any]:
    """`expert` without a person's email and phone, unless the caller is authenticated."""
    if expert.get("kind") == "person" and not viewer().authenticated and expert.get("contact"):
        expert["contact"] = {**expert["contact"], "email": None, "phone": None}
    return expert
