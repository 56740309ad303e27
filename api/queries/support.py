"""The support bundle: everything a municipality needs to answer "who can help us, and with what?".

One read that gathers its safety houses, police unit, safety region, the experts that serve it (most local
first), the approaches that suit its size class, nearby peers (public evidence of their approach, or an
adopted policy they share), and the national organisations. What the answer lacks, in Dutch, is worked
out where it is shown (`api.support_gaps`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, collate, func, or_, select
from sqlalchemy.orm import Session, joinedload

from api.exceptions import NotFound
from api.models import (
    Approach,
    ApproachTopic,
    Expert,
    ExpertArea,
    ExpertTopic,
    Municipality,
    Organisation,
    PolicyStatus,
)
from api.models.experts import NATIONAL_AREA, AreaKind
from api.models.organisations import Scope
from api.queries.approaches import FILTERS as APPROACH_FILTERS
from api.queries.approaches import SORT_COLUMNS as APPROACH_SORT_COLUMNS
from api.queries.experts import FILTERS as EXPERT_FILTERS
from api.queries.paging import apply_filters
from api.queries.support_bundle import Area, Peer, Ranked, ServingExpert, SupportBundle, Totals

EARTH_RADIUS_KM = 6371.0
"""Mean Earth radius used for the great-circle distance between centroids."""
NATIONAL_NAME = "Nederland"
EVIDENCE_ORDER = APPROACH_SORT_COLUMNS["evidenceLevel"]
"""An approach's evidence level as a number, 0 = not assessed (`sort=evidenceLevel` of the collection sorts by it)."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def support_bundle(
    session: Session,
    municipality_id: str,
    *,
    statuses: Sequence[str] = ("published",),
    topics: Sequence[str] | None = None,
    limit: int = 10,
) -> SupportBundle:
    """The support bundle of `municipality_id`; curated records limited to `statuses`, narrowed to `topics`.

    Lists at most `limit` experts, approaches and peers each (the best ranked), with the total of each. Its safety
    houses are those the municipality's own record shows the caller (`Municipality.safety_houses`, as the HTTP
    layer presents it), filled in where the bundle is shown. Raises NotFound for an unknown code.
    """
    municipality = session.scalars(
        select(Municipality)
        .where(Municipality.id == municipality_id)
        .options(joinedload(Municipality.police_unit), joinedload(Municipality.safety_region))
    ).first()
    if municipality is None:
        raise NotFound(f"There is no municipality with id '{municipality_id}'.")
    asked = sorted(set(topics or []))
    organisations = national_organisations(session, statuses)
    experts = serving_experts(session, municipality, statuses, asked, limit)
    approaches = suitable_approaches(session, municipality, statuses, asked, limit)
    peers = nearest_peers(session, municipality, limit)
    bundle = SupportBundle(
        municipality=municipality,
        experts=experts.items,
        approaches=approaches.items,
        peers=peers.items,
        national_organisations=organisations,
        totals=Totals(experts=experts.total, approaches=approaches.total, peers=peers.total),
        topics=asked,
        limit=limit,
    )
    return bundle


def serving_experts(
    session: Session, municipality: Municipality, statuses: Sequence[str], topics: Sequence[str], limit: int
) -> Ranked[ServingExpert]:
    """The first `limit` experts serving the municipality (their ids), and how many there are.

    The set is that of the expert list filtered by `serves=<id>[&topic=…]` (same filters, so the total equals the
    collection's): experts serving it directly, through its safety region, its police unit or nationally. Ranked
    in SQL: real records before demo ones, then level (most local first), asked topics covered (most first), name
    (case-insensitive) and id.
    """
    areas = [  # most local first: an area's index is its level's rank
        Area(AreaKind.MUNICIPALITY.value, municipality.id, municipality.name),
        Area(AreaKind.SAFETY_REGION.value, municipality.safety_region_id, municipality.safety_region.name),
        Area(AreaKind.POLICE_UNIT.value, municipality.police_unit_id, municipality.police_unit.name),
        Area(AreaKind.NATIONAL.value, NATIONAL_AREA, NATIONAL_NAME),
    ]
    # `serves` takes the area codes serving the municipality, as `list_experts` passes them (see served_areas)
    codes = [area.id for area in areas]
    filters: dict[str, Any] = {"status": list(statuses), "serves": codes, "topic": list(topics) or None}
    found = apply_filters(select(Expert), filters, EXPERT_FILTERS)
    level = (
        select(func.min(case({area.id: index for index, area in enumerate(areas)}, value=ExpertArea.area_id)))
        .where(ExpertArea.expert_id == Expert.id)
        .where(ExpertArea.area_id.in_(codes))
        .scalar_subquery()
    )
    most_matches = [-topic_matches(ExpertTopic.expert_id, ExpertTopic.topic_id, Expert.id, topics)] if topics else []
    name, expert_id = func.lower(code_points(session, Expert.name)), code_points(session, Expert.id)
    rows, total = first_ranked(  # real records before demo ones, whatever else ranks them
        session, found, Expert, [Expert.demo, level, *most_matches, name, expert_id], limit
    )
    # key: (demo, level, -matches when topics are asked, name, id)
    items = [ServingExpert(record_id, areas[key[1]], -key[2] if topics else 0) for record_id, key in rows]
    return Ranked(items, total)


def suitable_approaches(
    session: Session, municipality: Municipality, statuses: Sequence[str], topics: Sequence[str], limit: int
) -> Ranked[str]:
    """The ids of the first `limit` approaches that suit the municipality's size class, and how many there are.

    The set is that of the approach list filtered by `sizeClass=<its class>[&topic=…]` (same filters, so the total
    equals the collection's). Ranked in SQL: real records before demo ones, then asked topics covered (most first),
    evidence level (strongest first), name (case-insensitive) and id.
    """
    filters: dict[str, Any] = {
        "status": list(statuses),
        "size_class": [municipality.size_class],
        "topic": list(topics) or None,
    }
    found = apply_filters(select(Approach), filters, APPROACH_FILTERS)
    most_matches = (
        [-topic_matches(ApproachTopic.approach_id, ApproachTopic.topic_id, Approach.id, topics)] if topics else []
    )
    name, approach_id = func.lower(code_points(session, Approach.name)), code_points(session, Approach.id)
    rows, total = first_ranked(
        session, found, Approach, [Approach.demo, *most_matches, -EVIDENCE_ORDER, name, approach_id], limit
    )  # real before demo
    return Ranked([record_id for record_id, _ in rows], total)


def topic_matches(
    link_record: ColumnElement[str], link_topic: ColumnElement[str], record: ColumnElement[str], topics: Sequence[str]
) -> ColumnElement[int]:
    """How many of the asked `topics` a record (`record`, its id) is linked to in a topic link table."""
    return select(func.count()).where(link_record == record).where(link_topic.in_(list(topics))).scalar_subquery()


def code_points(session: Session, column: ColumnElement[str]) -> ColumnElement[str]:
    """`column` compared by code point, as SQLite and Python compare strings, on PostgreSQL too.

    PostgreSQL would otherwise use the database's collation (which may ignore hyphens and spaces); under "C" its
    lower() folds A-Z only, as SQLite's does, so both databases rank names identically.
    """
    return collate(column, "C") if session.get_bind().dialect.name == "postgresql" else column


def first_ranked(
    session: Session, found: Select[Any], model: Any, keys: Sequence[ColumnElement[Any]], limit: int
) -> tuple[list[tuple[str, tuple[Any, ...]]], int]:
    """The ids of the first `limit` records of `model` that `found` selects, sorted by `keys` (ascending), each
    with its keys; and how many records `found` selects in all.

    One statement ranks narrow rows (id, keys, and count(*) OVER () for the total) and keeps the first `limit`.
    The records themselves are the caller's to show (the HTTP layer keeps their dumps: `api.record_dumps`).
    """
    labelled = [key.label(f"key_{index}") for index, key in enumerate(keys)]
    ranked = found.with_only_columns(model.id.label("id"), func.count().over().label("total"), *labelled).subquery()
    rows = session.execute(select(ranked).order_by(*(ranked.c[key.name] for key in labelled)).limit(limit)).all()
    if not rows:
        return [], 0
    return [(row.id, tuple(row[2:])) for row in rows], rows[0].total


def is_peer() -> ColumnElement[bool]:
    """A peer has public evidence of its approach, or a curated adopted policy that it agreed to share."""
    shares = and_(Municipality.policy_status == PolicyStatus.ADOPTED, Municipality.policy_shares_knowledge.is_(True))
    return or_(func.json_array_length(Municipality.policy_evidence) > 0, shares)


def nearest_peers(session: Session, municipality: Municipality, limit: int) -> Ranked[Peer]:
    """Up to `limit` other municipalities that are peers (see `is_peer`), nearest first, and how many there are.

    Selected in SQL (a few dozen of the 342), measured in Python.
    """
    m = Municipality
    candidates = session.execute(
        select(m.id, m.name, m.province, m.population, m.size_class, m.lat, m.lon, m.policy_status, m.policy_url,
               m.policy_shares_knowledge, m.policy_updated_at, m.policy_evidence)
        .where(m.id != municipality.id).where(is_peer())
    ).all()  # columns, not records: a few dozen rows, of which `limit` are shown
    measured = [(haversine_km(municipality.lat, municipality.lon, row.lat, row.lon), row) for row in candidates]
    measured.sort(key=lambda pair: (pair[0], pair[1].name.casefold(), pair[1].id))
    return Ranked([Peer.of(row, round(distance, 1)) for distance, row in measured[:limit]], len(measured))


def national_organisations(session: Session, statuses: Sequence[str]) -> list[str]:
    """The ids of the organisations with a national scope, by name."""
    found = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.scope == Scope.NATIONAL).where(Organisation.status.in_(statuses))
    )
    return [row.id for row in sorted(found, key=lambda row: (row.name.casefold(), row.id))]
