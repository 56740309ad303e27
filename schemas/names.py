"""The wire names of the catalogue's collections: their URL segment, feed and export name.

The one place they are spelled. `api/collections.py` (the registry) builds on them; a test keeps the two equal.
"""

POLICE_UNITS = "police-units"
SAFETY_REGIONS = "safety-regions"
MUNICIPALITIES = "municipalities"
SAFETY_HOUSES = "safety-houses"
TOPICS = "topics"
ORGANISATIONS = "organisations"
EXPERTS = "experts"
APPROACHES = "approaches"
COLLECTIONS = [POLICE_UNITS, SAFETY_REGIONS, MUNICIPALITIES, SAFETY_HOUSES, TOPICS, ORGANISATIONS, EXPERTS, APPROACHES]
"""In load order (the order of the registry)."""
