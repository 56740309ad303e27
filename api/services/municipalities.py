"""Writes of municipalities: reference data and a curator's record of their policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Municipality
from api.models.base import size_class_of, utcnow
from api.services.records import Outcome, upsert


def save_municipality(session: Session, data: dict[str, Any]) -> tuple[Municipality, Outcome]:
    """Create or update a municipality from loaded reference values; the size class follows the population."""
    policy = data.get("policy") or {"status": "unknown"}
    columns = {
        "name": data["name"],
        "province": data["province"],
        "population": data["population"],
        "size_class": size_class_of(data["population"]),
        "safety_region_id": data["safety_region"],
        "police_unit_id": data["police_unit"],
        "lat": data["location"]["lat"],
        "lon": data["location"]["lon"],
        "aliases": list(data.get("aliases") or []),
        "policy_status": policy["status"],
        "policy_url": policy.get("url"),
        "policy_shares_knowledge": bool(policy.get("shares_knowledge", False)),
    }
    existing = session.get(Municipality, data["id"])
    policy_before = _policy_of(existing) if existing is not None else ("unknown", None, False)
    record, outcome = upsert(session, Municipality, data["id"], columns)
    if _policy_of(record) != policy_before:  # a curator recorded something about the policy: date it
        record.policy_updated_at = utcnow()  # type: ignore[attr-defined]
    return record, outcome  # type: ignore[return-value]


def _policy_of(record: Municipality) -> tuple[str, str | None, bool]:
    status = record.policy_status
    return (status.value if hasattr(status, "value") else status, record.policy_url, record.policy_shares_knowledge)
