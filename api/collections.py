"""The registry of the catalogue's collections: one frozen record per collection, in load order.

Everything that needs to know the collections derives from `COLLECTIONS`: the routes of the resources, the root
links, the history routes, the search types and documents, the export and import, and the visibility rule.
Adding a collection is one entry here plus its own stem files (model, schemas, queries, services, resource).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from marshmallow import Schema
from sqlalchemy.orm import Session

from api import models
from api.personal_data import redact_expert
from api.queries import (
    approaches,
    experts,
    municipalities,
    organisations,
    police_units,
    safety_houses,
    safety_regions,
    topics,
)
from api.queries.paging import Page
from api.search import SearchDocument
from api.services import search_index
from api.services.approaches import save_approach
from api.services.experts import save_expert
from api.services.municipalities import save_municipality
from api.services.organisations import save_organisation
from api.services.police_units import save_police_unit
from api.services.safety_houses import save_safety_house
from api.services.safety_regions import save_safety_region
from api.services.topics import save_topic
from schemas import names
from schemas.approaches import ApproachInputSchema, ApproachSchema
from schemas.experts import ExpertInputSchema, ExpertSchema
from schemas.municipalities import MunicipalityInputSchema, MunicipalitySchema
from schemas.organisations import OrganisationInputSchema, OrganisationSchema
from schemas.police_units import PoliceUnitInputSchema, PoliceUnitSchema
from schemas.safety_houses import SafetyHouseInputSchema, SafetyHouseSchema
from schemas.safety_regions import SafetyRegionInputSchema, SafetyRegionSchema
from schemas.topics import TopicInputSchema, TopicSchema

AREAS = "areas"
"""The reference target of area codes: NL, a police unit, a safety region or a municipality."""


@dataclass(frozen=True)
class Collection:
    """One collection of the catalogue and everything the layers above need to serve it."""

    name: str
    """Wire name: URLs, the change feed, the history, the export (`safety-houses`)."""
    type: str
    """Search type of its hits (`safety-house`)."""
    label: str
    """What one record is called in messages (`safety house`)."""
    model: type[models.Base]
    input_schema: type[Schema]
    """Loads what a curator, the seed or an import writes (to attribute names) and dumps a record in that shape."""
    output_schema: type[Schema]
    get: Callable[[Session, str], Any]
    list: Callable[[Session, dict[str, Any]], Page[Any]]
    load: Callable[[Session, Sequence[str]], list[Any]]
    """The records with these ids, in that order, with what their dumps show (as `list` loads them)."""
    save: Callable[[Session, dict[str, Any]], tuple[Any, str]]
    document: Callable[[Any], SearchDocument]
    references: Mapping[str, str] = field(default_factory=dict)
    """Input field (wire path; `[]` a list, `[].x` a field of each item) -> the collection its ids point into."""
    related: Mapping[str, str] = field(default_factory=dict)
    """Output field holding summaries of curated records -> their collection (hidden when unpublished)."""
    curated: bool = True
    """Curated records have a workflow status; reference records are always published."""
    redact: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """Removes personal data from a dumped record for callers who may not see it (`api.personal_data`)."""
    curator_fields: tuple[str, ...] = ()
    """Input fields only curators write: the seed and imports never change them on an existing record."""
    narrow: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """Finishes a dumped record once the related summaries the caller may not see are gone: what it shows may
    depend on them (a municipality falls back to its region's houses only where no visible house names it)."""

    @cached_property
    def input(self) -> Schema:
        """The input schema, built once."""
        return self.input_schema()

    @cached_property
    def output(self) -> Schema:
        """The output schema, built once."""
        return self.output_schema()

    def export(self, record: Any) -> dict[str, Any]:
        """The record in input shape (what PUT takes, the export writes and the history compares)."""
        return self.input.dump(record)  # type: ignore[no-any-return]


# In load order: every collection only refers to the ones before it (topics may refer to topics).
POLICE_UNITS = Collection(
    names.POLICE_UNITS, "police-unit", "police unit", models.PoliceUnit,
    input_schema=PoliceUnitInputSchema, output_schema=PoliceUnitSchema,
    get=police_units.get_police_unit, list=police_units.list_police_units,
    load=police_units.load_police_units, save=save_police_unit,
    document=search_index.police_unit_document, curated=False,
)
SAFETY_REGIONS = Collection(
    names.SAFETY_REGIONS, "safety-region", "safety region", models.SafetyRegion,
    input_schema=SafetyRegionInputSchema, output_schema=SafetyRegionSchema,
    get=safety_regions.get_safety_region, list=safety_regions.list_safety_regions,
    load=safety_regions.load_safety_regions, save=save_safety_region,
    document=search_index.safety_region_document, curated=False,
    references={"policeUnit": names.POLICE_UNITS}, related={"safetyHouses": names.SAFETY_HOUSES},
)
MUNICIPALITIES = Collection(
    names.MUNICIPALITIES, "municipality", "municipality", models.Municipality,
    input_schema=MunicipalityInputSchema, output_schema=MunicipalitySchema,
    get=municipalities.get_municipality, list=municipalities.list_municipalities,
    load=municipalities.load_municipalities, save=save_municipality,
    document=search_index.municipality_document, curated=False,
    references={"safetyRegion": names.SAFETY_REGIONS, "policeUnit": names.POLICE_UNITS},
    related={"safetyHouses": names.SAFETY_HOUSES}, curator_fields=("policy",),
    narrow=municipalities.keep_surest_houses,
)
SAFETY_HOUSES = Collection(
    names.SAFETY_HOUSES, "safety-house", "safety house", models.SafetyHouse,
    input_schema=SafetyHouseInputSchema, output_schema=SafetyHouseSchema,
    get=safety_houses.get_safety_house, list=safety_houses.list_safety_houses,
    load=safety_houses.load_safety_houses, save=save_safety_house,
    document=search_index.safety_house_document,
    references={"safetyRegion": names.SAFETY_REGIONS, "coverage[].municipality": names.MUNICIPALITIES},
)
TOPICS = Collection(
    names.TOPICS, "topic", "topic", models.Topic,
    input_schema=TopicInputSchema, output_schema=TopicSchema,
    get=topics.get_topic, list=topics.list_topics,
    load=topics.load_topics, save=save_topic, document=search_index.topic_document,
    references={"parent": names.TOPICS}, related={"parent": names.TOPICS},
)
ORGANISATIONS = Collection(
    names.ORGANISATIONS, "organisation", "organisation", models.Organisation,
    input_schema=OrganisationInputSchema, output_schema=OrganisationSchema,
    get=organisations.get_organisation, list=organisations.list_organisations,
    load=organisations.load_organisations, save=save_organisation,
    document=search_index.organisation_document,
)
EXPERTS = Collection(
    names.EXPERTS, "expert", "expert", models.Expert,
    input_schema=ExpertInputSchema, output_schema=ExpertSchema,
    get=experts.get_expert, list=experts.list_experts,
    load=experts.load_experts, save=save_expert, document=search_index.expert_document,
    references={"organisation": names.ORGANISATIONS, "topics[]": names.TOPICS, "serves[]": AREAS},
    related={"organisation": names.ORGANISATIONS, names.TOPICS: names.TOPICS}, redact=redact_expert,
)
APPROACHES = Collection(
    names.APPROACHES, "approach", "approach", models.Approach,
    input_schema=ApproachInputSchema, output_schema=ApproachSchema,
    get=approaches.get_approach, list=approaches.list_approaches,
    load=approaches.load_approaches, save=save_approach,
    document=search_index.approach_document,
    references={"provider": names.ORGANISATIONS, "topics[]": names.TOPICS},
    related={"provider": names.ORGANISATIONS, names.TOPICS: names.TOPICS},
)
COLLECTIONS: tuple[Collection, ...] = (POLICE_UNITS, SAFETY_REGIONS, MUNICIPALITIES, SAFETY_HOUSES,
                                        TOPICS, ORGANISATIONS, EXPERTS, APPROACHES)
BY_NAME: dict[str, Collection] = {c.name: c for c in COLLECTIONS}
BY_TYPE: dict[str, Collection] = {c.type: c for c in COLLECTIONS}
BY_MODEL: dict[type[models.Base], Collection] = {c.model: c for c in COLLECTIONS}
AREA_COLLECTIONS = (names.POLICE_UNITS, names.SAFETY_REGIONS, names.MUNICIPALITIES)
"""The collections whose ids are area codes (with NL, the whole country)."""


def indexed() -> list[search_index.Indexed]:
    """Every collection's model and search-document builder, for a full reindex."""
    return [(c.model, c.document) for c in COLLECTIONS]
