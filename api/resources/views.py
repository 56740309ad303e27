"""How each collection is read and shown: its query, output schema, visibility and version ETag.

Item GETs, writes, the history, the change feed and the export all render a record through the same `View`,
so a record looks the same (and carries the same ETag) wherever it appears.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from marshmallow import Schema
from sqlalchemy.orm import Session

from api.access import ensure_visible
from api.http import json_response
from api.queries.approaches import get_approach, list_approaches
from api.queries.experts import get_expert, list_experts
from api.queries.municipalities import get_municipality, list_municipalities
from api.queries.organisations import get_organisation, list_organisations
from api.queries.paging import Page
from api.queries.police_units import get_police_unit, list_police_units
from api.queries.safety_houses import get_safety_house, list_safety_houses
from api.queries.safety_regions import get_safety_region, list_safety_regions
from api.queries.topics import get_topic, list_topics
from api.sessions import db
from api.visibility import present
from schemas.approaches import ApproachSchema
from schemas.common import BASE_URL
from schemas.experts import ExpertSchema
from schemas.municipalities import MunicipalitySchema
from schemas.organisations import OrganisationSchema
from schemas.police_units import PoliceUnitSchema
from schemas.safety_houses import SafetyHouseSchema
from schemas.safety_regions import SafetyRegionSchema
from schemas.topics import TopicSchema


def representation_etag(version: int, body: Any) -> str:
    """A strong ETag of what the caller sees: the record's version and a hash of the body.

    The hash covers related summaries too (a renamed organisation changes its experts' ETags), and leaves
    out this server's base URL, so the tag a GET returns through one host name is accepted through another.
    """
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).replace(BASE_URL.get(), "")
    return f'"{version}-{hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]}"'


@dataclass(frozen=True)
class View:
    """One collection as the API shows it."""

    collection: str
    what: str
    output: Schema
    get: Callable[[Session, str], Any]
    list: Callable[[Session, dict[str, Any]], Page[Any]]
    curated: bool = True

    def fetch(self, record_id: str) -> Any:
        """The record, if this viewer may see it (else 404)."""
        record = self.get(db(), record_id)
        if self.curated:
            ensure_visible(record.status.value, self.what)
        return record

    def present(self, record: Any, *, published_only: bool = False) -> dict[str, Any]:
        """The record dumped as this viewer may see it."""
        return self.present_dumped(self.output.dump(record), published_only=published_only)

    def present_dumped(self, item: dict[str, Any], *, published_only: bool = False) -> dict[str, Any]:
        """An already dumped record (a list item) as this viewer may see it."""
        return present(self.collection, item, published_only=published_only)

    def etag(self, record: Any) -> str:
        """The ETag of the record as this viewer sees it; the one If-Match must carry."""
        return representation_etag(record.version, self.present(record))

    def item_response(self, record: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        """The record as JSON with its version ETag."""
        body = self.present(record)
        return json_response(body, status, {"ETag": representation_etag(record.version, body), **(headers or {})})


VIEWS: dict[str, View] = {view.collection: view for view in (
    View("police-units", "police unit", PoliceUnitSchema(), get_police_unit, list_police_units, curated=False),
    View("safety-regions", "safety region", SafetyRegionSchema(), get_safety_region, list_safety_regions,
         curated=False),
    View("municipalities", "municipality", MunicipalitySchema(), get_municipality, list_municipalities, curated=False),
    View("safety-houses", "safety house", SafetyHouseSchema(), get_safety_house, list_safety_houses),
    View("topics", "topic", TopicSchema(), get_topic, list_topics),
    View("organisations", "organisation", OrganisationSchema(), get_organisation, list_organisations),
    View("experts", "expert", ExpertSchema(), get_expert, list_experts),
    View("approaches", "approach", ApproachSchema(), get_approach, list_approaches),
)}
