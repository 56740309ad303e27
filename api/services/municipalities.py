"""Writes of municipalities: reference data and a curator's record of their policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api import search
from api.models import Event, ExpertArea, Municipality, SafetyHouseCoverage
from api.models.base import size_class_of, utcnow
from api.models.seed_baselines import SeedBaseline
from api.services.changes import record_change
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


def retire_municipality(session: Session, code: str, into: str, collection: str) -> bool:
    """Remove a municipality that merged `into` another: experts serving it serve `into`; False if already gone.

    Its coverage rows go (the seed re-homes the houses' coverage itself), and so does its seed baseline; a curated
    policy is not carried over. The change feed gets a `deleted` event, so mirrors drop it too. `collection` is
    the municipalities' wire name, under which baselines and feed events are kept.
    """
    record = session.get(Municipality, code)
    if record is None:
        return False
    for area in session.scalars(select(ExpertArea).where(ExpertArea.area_id == code)).all():
        if session.get(ExpertArea, (area.expert_id, into)) is None:
            session.add(ExpertArea(expert_id=area.expert_id, area_id=into, area_kind=area.area_kind))
        session.delete(area)
    session.execute(delete(SafetyHouseCoverage).where(SafetyHouseCoverage.municipality_id == code))
    session.execute(delete(SeedBaseline).where(SeedBaseline.collection == collection)
                    .where(SeedBaseline.record_id == code))
    session.flush()
    search.delete(session, "municipality", code)
    record_change(session, collection, code, Event.DELETED)
    session.delete(record)
    session.flush()
    return True
