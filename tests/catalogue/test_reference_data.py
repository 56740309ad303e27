"""The loaded catalogue matches the public reference data in reference/data and the curated seed/sources table,
on both databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api import models
from api.database import Database
from tests.conftest import REFERENCE_DATA, REPO


def rows(name: str) -> list[dict[str, str]]:
    path = REFERENCE_DATA / name
    if not path.exists():
        pytest.fail(f"reference data missing at {path}")
    with Path(path).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def database(seeded_url: str):  # type: ignore[no-untyped-def]
    db = Database(seeded_url)
    yield db
    db.dispose()


def test_every_municipality_has_its_region_unit_province_and_size(database: Database) -> None:
    expected = {r["gm_code"]: r for r in rows("gemeenten.csv")}
    with database.session() as session:
        loaded = {m.id: m for m in session.scalars(select(models.Municipality))}
    assert loaded.keys() == expected.keys()
    assert len(loaded) == 342
    for code, row in expected.items():
        m = loaded[code]
        assert (m.name, m.province, m.safety_region_id, m.police_unit_id) == (
            row["gm_name"], row["province"], row["veiligheidsregio_code"], row["politie_eenheid_code"]
        ), code
        population = int(row["population_2026_01_01"])
        assert m.population == population
        assert m.size_class.value == ("small" if population < 50_000 else "medium" if population < 100_000 else "large")
        assert (m.lat, m.lon) == (float(row["centroid_lat"]), float(row["centroid_lon"]))
        assert m.policy_status.value == "unknown", "no policy fact about a real municipality may be invented"


def test_regions_units_and_houses_match(database: Database) -> None:
    with database.session() as session:
        regions = {r.id: r for r in session.scalars(select(models.SafetyRegion))}
        units = {u.id: u for u in session.scalars(select(models.PoliceUnit))}
        houses = {h.id: h for h in session.scalars(select(models.SafetyHouse))}
        for row in rows("veiligheidsregios.csv"):
            region = regions[row["vr_code"]]
            assert (region.name, region.police_unit_id) == (row["vr_name"], row["politie_eenheid_code"])
            assert {m.id for m in region.municipalities} == set(row["gemeente_codes"].split(";"))
        assert len(regions) == 25
        for row in rows("politie_eenheden.csv"):
            assert units[row["code"]].name == row["name"]
            regions_of_unit = set(filter(None, row["veiligheidsregio_codes"].split(";")))
            assert {r.id for r in units[row["code"]].safety_regions} == regions_of_unit
        assert len(units) == 11
        curated = house_rows()
        for row in curated:
            house = houses[row["id"]]
            assert (house.name, house.safety_region_id, house.status.value) == (
                row["name"], row["veiligheidsregio_code"], row["status"])
            codes = set(filter(None, row["werkgebied_gemeente_codes"].split(";")))
            assert {c.municipality_id for c in house.coverage} == codes
            basis = {"listed_in_source": "named", "whole_region_per_source": "region"}.get(row["werkgebied_basis"])
            assert {c.basis.value for c in house.coverage} == ({basis} if codes else set())
            assert house.contact == {key: row[key] or None for key in ("website", "phone", "email")}
            assert (house.working_area or "") == row["working_area"]
            assert house.sources and all(s["vintage"] for s in house.sources), "every house cites dated sources"
        assert len(houses) == len(curated)
        superseded = {row["id"] for row in rows("veiligheidshuizen.csv")}
        assert superseded <= houses.keys(), "the curated table keeps every house of the shared one (archived or not)"


def house_rows() -> list[dict[str, str]]:
    with (REPO / "seed" / "sources" / "safety-houses.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_review_fixes_are_in(database: Database) -> None:
    """The names the December 2026 review found outdated, and the houses it found, are in the catalogue."""
    with database.session() as session:
        names = {h.id: (h.name, h.status.value) for h in session.scalars(select(models.SafetyHouse))}
    assert names["vh-zeeland"][0] == "Zorg- en Veiligheidshuis Zeeland"
    assert names["vh-brabant-zuidoost"][0].startswith("Zorg- en Veiligheidshuis Brabant Zuidoost")
    assert names["vh-nhn"][0] == "Zorg- en Veiligheidshuis Noord-Holland Noord"
    assert {"zvh-kennemerland", "vh-regio-arnhem", "zvh-brabant-noordoost"} <= names.keys()
    assert names["vh-s-hertogenbosch"][1] == "archived"


def test_policy_evidence_is_loaded_and_never_becomes_a_status(database: Database) -> None:
    document = json.loads((REPO / "seed" / "policy-evidence.json").read_text(encoding="utf-8"))
    with database.session() as session:
        loaded = {m.id: m for m in session.scalars(select(models.Municipality))}
    for item in document["items"]:
        municipality = loaded[item["municipality"]]
        assert municipality.policy_evidence == item["evidence"]
        assert municipality.policy_status.value == "unknown"
        assert all(e["url"].startswith(("https://", "http://")) and e["vintage"] for e in item["evidence"])
    with_evidence = {item["municipality"] for item in document["items"]}
    assert all(not m.policy_evidence for code, m in loaded.items() if code not in with_evidence)


def test_no_orphaned_references(database: Database) -> None:
    with database.session() as session:
        topic_ids = set(session.scalars(select(models.Topic.id)))
        organisation_ids = set(session.scalars(select(models.Organisation.id)))
        areas = {"NL"} | set(session.scalars(select(models.Municipality.id))) | set(
            session.scalars(select(models.SafetyRegion.id))) | set(session.scalars(select(models.PoliceUnit.id)))
        for expert in session.scalars(select(models.Expert)):
            assert expert.organisation_id in organisation_ids | {None}
            assert {t.id for t in expert.topics} <= topic_ids
            assert set(expert.serves) <= areas and expert.serves
        for approach in session.scalars(select(models.Approach)):
            assert approach.provider_id in organisation_ids | {None}
            assert approach.size_classes


def test_real_records_cite_sources_and_demo_records_are_marked(database: Database) -> None:
    with database.session() as session:
        for model in (models.Organisation, models.Expert, models.Approach):
            for record in session.scalars(select(model)):
                if record.demo:
                    assert record.id.startswith("demo-") and "demo" in record.name.lower()
                else:
                    assert record.sources, record.id
                    assert all(s["url"].startswith(("https://", "http://")) for s in record.sources), record.id
        persons = session.scalars(select(models.Expert).where(models.Expert.kind == "person")).all()
        assert persons and all(p.demo for p in persons), "real people are never invented"
        for expert in session.scalars(select(models.Expert).where(models.Expert.demo.is_(True))):
            assert expert.contact_email is None or expert.contact_email.endswith("@example.org")
        assert session.scalar(select(func.count()).select_from(models.Topic)) >= 10
