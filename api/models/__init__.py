"""SQLAlchemy models of the catalogue; importing this package registers every table."""

from api.models.api_keys import ApiKey, Role
from api.models.approaches import Approach, ApproachSizeClass, ApproachTopic
from api.models.base import Base, SizeClass, Status
from api.models.changes import Change, Event
from api.models.experts import Expert, ExpertArea, ExpertLanguage, ExpertTopic
from api.models.municipalities import Municipality, PolicyStatus
from api.models.organisations import Organisation
from api.models.police_units import PoliceUnit
from api.models.revisions import Action, Revision
from api.models.safety_houses import SafetyHouse, SafetyHouseCoverage
from api.models.safety_regions import SafetyRegion
from api.models.seed_baselines import SeedBaseline
from api.models.topics import Topic

__all__ = [
    "Action",
    "ApiKey",
    "Approach",
    "ApproachSizeClass",
    "ApproachTopic",
    "Base",
    "Change",
    "Event",
    "Expert",
    "ExpertArea",
    "ExpertLanguage",
    "ExpertTopic",
    "Municipality",
    "Organisation",
    "PoliceUnit",
    "PolicyStatus",
    "Revision",
    "Role",
    "SafetyHouse",
    "SafetyHouseCoverage",
    "SafetyRegion",
    "SeedBaseline",
    "SizeClass",
    "Status",
    "Topic",
]
