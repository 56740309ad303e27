"""What the reference data (reference/data CSVs) says a municipality's support bundle must contain.

Computed from the CSVs alone (the reference/data CSVs, and the curated seed/sources/safety-houses.csv that
supersedes the shared veiligheidshuizen.csv), independently of the seed and the API, so tests can compare the two.
"""

from __future__ import annotations

import csv
import json
import math
from functools import cache

from tests.conftest import REFERENCE_DATA, REPO

HOUSES = REPO / "seed" / "sources" / "safety-houses.csv"
CERTAINTY = ("named", "region", "same-safety-region")

SIZE_LIMITS = ((50_000, "small"), (100_000, "medium"))


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def evidence_codes() -> frozenset[str]:
    """Codes of the municipalities that seed/policy-evidence.json gives at least one piece of evidence."""
    document = json.loads((REPO / "seed" / "policy-evidence.json").read_text(encoding="utf-8"))
    return frozenset(item["municipality"] for item in document["items"] if item["evidence"])


@cache
def gemeenten() -> dict[str, dict[str, str]]:
    """gemeenten.csv by CBS code."""
    return {row["gm_code"]: row for row in _rows("gemeenten.csv")}


@cache
def veiligheidshuizen() -> tuple[dict[str, str], ...]:
    """The published rows of seed/sources/safety-houses.csv."""
    with HOUSES.open(encoding="utf-8", newline="") as handle:
        return tuple(row for row in csv.DictReader(handle) if row["status"] == "published")


def size_class(code: str) -> str:
    """small < 50,000 <= medium < 100,000 <= large."""
    population = int(gemeenten()[code]["population_2026_01_01"])
    return next((name for limit, name in SIZE_LIMITS if population < limit), "large")


def expected_houses(code: str) -> list[tuple[str, str]]:
    """(house id, certainty) serving `code`: houses whose working area lists it (`named` when the source names
    it, `region` when the source says the whole region); unless one names it, also the houses of its safety region
    whose source states no working area at all (`same-safety-region`). Surest first, then by name."""
    houses = veiligheidshuizen()
    found = []
    for house in houses:
        codes = set(filter(None, house["werkgebied_gemeente_codes"].split(";")))
        if code in codes:
            found.append((house, "named" if house["werkgebied_basis"] == "listed_in_source" else "region"))
    if all(certainty != "named" for _house, certainty in found):
        region = gemeenten()[code]["veiligheidsregio_code"]
        found += [(h, "same-safety-region") for h in houses
                  if h["veiligheidsregio_code"] == region and not h["werkgebied_gemeente_codes"].strip()
                  and not h["working_area"].strip()]
    found.sort(key=lambda pair: (CERTAINTY.index(pair[1]), pair[0]["name"].casefold(), pair[0]["id"]))
    return [(house["id"], certainty) for house, certainty in found]


def haversine_km(a: str, b: str) -> float:
    """Great-circle distance between the CSV centroids of two municipalities (mean Earth radius 6371 km)."""
    rows = gemeenten()
    lat1, lon1 = (math.radians(float(rows[a][k])) for k in ("centroid_lat", "centroid_lon"))
    lat2, lon2 = (math.radians(float(rows[b][k])) for k in ("centroid_lat", "centroid_lon"))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def by_size_class(per_class: int = 3) -> list[str]:
    """`per_class` codes of each size class: the smallest, the median and the largest of the class."""
    chosen: list[str] = []
    for cls in ("small", "medium", "large"):
        codes = sorted((c for c in gemeenten() if size_class(c) == cls),
                       key=lambda c: int(gemeenten()[c]["population_2026_01_01"]))
        picks = [codes[0], codes[len(codes) // 2], codes[-1]][:per_class]
        chosen.extend(dict.fromkeys(picks))
    return chosen
