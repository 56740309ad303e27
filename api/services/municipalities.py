"""Writes of municipalities: reference data and a curator's record of their policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Municipality
from api.models.base import size_class_of, utcnow
from api.services.records import Outcome, upsert


def save_municipality(session: Session, data: dict[str, Any]) -> tuple[Municipality, Outcome]:
    """Create or update a municipality from the values `MunicipalityInputSchema` loaded.

    The size class follows the population; the policy's flat columns take the loaded `policy` object, and its
    `policy_updated_at` is stamped whenever the policy changes.
    """
    values = {key: value for key, value in data.items() if key != "policy"}
    policy = data["policy"]
    values.update(size_class=size_class_of(data["population"]), policy_status=policy["status"],
                  policy_url=policy["url"], policy_shares_knowledge=policy["shares_knowledge"])
    existing = session.get(Municipality, data["id"])
    policy_before = _policy_of(existing) if existing is not None else ("unknown", None, False)
    record, outcome = upsert(session, Municipality, values)
    if _policy_of(record) != policy_before:  # a curator recorded something about the policy: date it
        record.policy_updated_at = utcnow()
    return record, outcome


def _policy_of(record: Municipality) -> tuple[str, str | None, bool]:
    status = record.policy_status
    return (status.value if hasattr(status, "value") else status, record.policy_url, record.policy_shares_knowledge)
