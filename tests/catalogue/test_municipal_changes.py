"""The 2027 Hilversum-Wijdemeren merger: seed data that the seed applies from its effective date, on both databases."""

from __future__ import annotations

import json
from datetime import date

from api.reference_updates import Merger, apply
from tests.conftest import SEED, load_catalogue, make_app
from tests.reference import gemeenten

EVE, DAY = date(2026, 12, 31), date(2027, 1, 1)


def test_the_merger_is_documented_with_its_date_and_sources() -> None:
    document = json.loads((SEED / "municipal-changes.json").read_text(encoding="utf-8"))
    (merger,) = document["items"]
    assert (merger["effective"], merger["into"], merger["absorbed"], merger["name"]) == (
        "2027-01-01", "GM0402", ["GM1696"], "Hilversum")
    assert any("rijksoverheid.nl" in source["url"] for source in merger["sources"])


def test_the_seed_applies_the_merger_on_its_date(empty_url: str) -> None:
    load_catalogue(empty_url, today=EVE)
    app = make_app(empty_url)
    try:
        client = app.test_client()
        assert client.get("/api/v1/municipalities/GM1696").status_code == 200, "the day before: still there"
        before = client.get("/api/v1/municipalities/GM0402").get_json()
        assert client.get("/api/v1/municipalities?pageSize=1").get_json()["total"] == 342
        before_merger = client.get("/api/v1/changes?pageSize=500").get_json()
        while before_merger["_links"]["next"]["href"] and before_merger["items"]:  # the cursor at the feed's end
            before_merger = client.get(before_merger["_links"]["next"]["href"]).get_json()
        cursor = before_merger["_links"]["next"]["href"]
        load_catalogue(empty_url, today=DAY)  # the release after new year: the same seed, one day later
        assert client.get("/api/v1/municipalities/GM1696").status_code == 404
        events = client.get(cursor).get_json()["items"]
        assert ("municipalities", "GM1696", "deleted") in [(e["collection"], e["id"], e["event"]) for e in events]
        assert ("municipalities", "GM0402", "updated") in [(e["collection"], e["id"], e["event"]) for e in events]
        assert client.get("/api/v1/municipalities?pageSize=1").get_json()["total"] == 341
        after = client.get("/api/v1/municipalities/GM0402").get_json()
        rows = gemeenten()
        assert after["name"] == "Hilversum"
        assert after["population"] == int(rows["GM0402"]["population_2026_01_01"]) + int(
            rows["GM1696"]["population_2026_01_01"])
        assert "Wijdemeren" in after["aliases"] and "Wijdemeren" not in before["aliases"]
        assert after["sizeClass"] == "large" and before["sizeClass"] == "medium"
        assert (after["safetyRegion"]["id"], after["policeUnit"]["id"]) == ("VR14", "RE03")
        hits = client.get("/api/v1/search", query_string={"q": "Wijdemeren"}).get_json()["items"]
        assert hits[0]["id"] == "GM0402" and "GM1696" not in {hit["id"] for hit in hits}
        assert client.get("/api/v1/municipalities/GM0402/support").status_code == 200
        assert client.get("/api/v1/municipalities/GM1696/support").status_code == 404
        load_catalogue(empty_url, today=DAY)  # running it again changes nothing and does not fail
        assert client.get("/api/v1/municipalities/GM0402").get_json()["population"] == after["population"]
    finally:
        app.extensions["kennisbank_db"].dispose()


def test_merging_moves_coverage_experts_and_evidence_to_the_joined_municipality() -> None:
    evidence = {"kind": "policy-document", "title": "t", "year": 2025, "url": "https://example.org", "vintage": "2025"}
    records = {
        "municipalities": [
            {"id": "GM0402", "name": "Hilversum", "population": 100, "location": {"lat": 52.0, "lon": 5.0},
             "aliases": []},
            {"id": "GM1696", "name": "Wijdemeren", "population": 300, "location": {"lat": 52.4, "lon": 5.4},
             "aliases": [], "policyEvidence": [evidence]},
        ],
        "safety-houses": [{"id": "h", "coverage": [{"municipality": "GM0402", "basis": "region"},
                                                   {"municipality": "GM1696", "basis": "named"}]}],
        "experts": [{"id": "e", "serves": ["GM1696", "VR14", "GM0402"]}],
    }
    merger = Merger("m", DAY, "GM0402", ("GM1696",), "Hilversum", ("Loosdrecht",))
    apply(records, {}, [merger])
    (joined,) = records["municipalities"]
    assert joined["population"] == 400 and joined["location"] == {"lat": 52.3, "lon": 5.3}
    assert joined["aliases"] == ["Wijdemeren", "Loosdrecht"] and joined["policyEvidence"] == [evidence]
    assert records["safety-houses"][0]["coverage"] == [{"municipality": "GM0402", "basis": "named"}]
    assert records["experts"][0]["serves"] == ["GM0402", "VR14"]
