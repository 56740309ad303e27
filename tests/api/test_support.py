"""GET /municipalities/{id}/support: the one-call answer, checked against the reference data in reference/data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select

from api.access import Role, Viewer
from api.database import Database
from api.models import Municipality, PolicyStatus
from tests.conftest import make_app
from tests.reference import by_size_class, evidence_codes, expected_houses, gemeenten, haversine_km, size_class

EVIDENCE = ["not-assessed", "well-described", "theoretically-sound", "effective-indications", "proven-effective"]
LEVELS = ["municipality", "safety-region", "police-unit", "national"]
TOPIC_VARIANTS = [None, "polarisation", "jihadism,family-support"]
LIMIT, LIMIT_MAX = 10, 50
"""The default and the largest `limit`: the most experts, approaches and peers a bundle lists, each."""


def support(client: FlaskClient, code: str, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/v1/municipalities/{code}/support{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def nearest(code: str, codes: set[str] | frozenset[str]) -> list[str]:
    """`codes` other than `code`, nearest first (CSV centroids), then by name and code."""
    rows = gemeenten()
    others = set(codes) - {code}
    return sorted(others, key=lambda other: (haversine_km(code, other), rows[other]["gm_name"].casefold(), other))


def test_every_municipality_gets_its_police_unit_region_safety_houses_and_peers(client: FlaskClient) -> None:
    """All 342 bundles agree with the reference CSVs (houses with how sure each is) and the evidence file, and
    with /municipalities/{id}."""
    problems: list[str] = []
    for code, row in gemeenten().items():
        bundle = support(client, code)
        municipality = bundle["municipality"]
        got = {
            "municipality": (
                municipality["id"],
                municipality["name"],
                municipality["population"],
                municipality["sizeClass"],
            ),
            "policeUnit": (bundle["policeUnit"]["id"], bundle["policeUnit"]["name"]),
            "safetyRegion": (bundle["safetyRegion"]["id"], bundle["safetyRegion"]["name"]),
            "safetyHouses": [(h["id"], h["coverage"]) for h in bundle["safetyHouses"]],
            "peers": [p["id"] for p in bundle["peers"]],
        }
        want = {
            "municipality": (code, row["gm_name"], int(row["population_2026_01_01"]), size_class(code)),
            "policeUnit": (row["politie_eenheid_code"], row["politie_eenheid_name"]),
            "safetyRegion": (row["veiligheidsregio_code"], row["veiligheidsregio_name"]),
            "safetyHouses": expected_houses(code),
            "peers": nearest(code, evidence_codes())[:LIMIT],
        }
        problems += [f"{code} {key}: got {got[key]}, want {want[key]}" for key in want if got[key] != want[key]]
        gap_codes = [gap["code"] for gap in bundle["gaps"]]
        if not bundle["safetyHouses"]:
            gap = next((g for g in bundle["gaps"] if g["code"] == "no-safety-house"), None)
            if (
                gap is None
                or row["veiligheidsregio_name"] not in gap["message"]
                or row["politie_eenheid_name"] not in gap["message"]
            ):
                problems.append(f"{code}: no safety house, but no gap that names its region and police unit")
        elif "no-safety-house" in gap_codes:
            problems.append(f"{code}: has safety houses but a no-safety-house gap")
        unconfirmed = bool(bundle["safetyHouses"]) and {h["coverage"] for h in bundle["safetyHouses"]} == {
            "same-safety-region"}
        if unconfirmed != ("safety-house-unconfirmed" in gap_codes):
            problems.append(f"{code}: the unconfirmed-house gap does not match the houses' certainty")
        if any(set(h["contact"]) != {"website", "phone", "email"} for h in bundle["safetyHouses"]):
            problems.append(f"{code}: a safety house without its contact block")
        if bundle["peers"] and any(not p["policyEvidence"] for p in bundle["peers"]):
            problems.append(f"{code}: a peer listed without its evidence")
        item = client.get(f"/api/v1/municipalities/{code}").get_json()
        if [(h["id"], h["coverage"]) for h in item["safetyHouses"]] != got["safetyHouses"]:
            problems.append(f"{code}: /municipalities/{code} lists other safety houses than its bundle")
    assert not problems, "\n".join(problems[:40])


def test_bundle_shape(client: FlaskClient) -> None:
    bundle = support(client, "GM0363")
    assert list(bundle) == [
        "municipality",
        "safetyHouses",
        "policeUnit",
        "safetyRegion",
        "experts",
        "approaches",
        "peers",
        "totals",
        "nationalOrganisations",
        "gaps",
        "_links",
    ]
    assert set(bundle["totals"]) == {"experts", "approaches", "peers"}
    assert bundle["municipality"]["policy"]["status"] == "unknown"
    assert bundle["municipality"]["_links"]["self"]["href"].endswith("/api/v1/municipalities/GM0363")
    assert bundle["safetyHouses"][0]["_links"]["self"]["href"].endswith("/api/v1/safety-houses/acvz-amsterdam")
    assert bundle["safetyHouses"][0]["coverage"] == "region"
    assert set(bundle["safetyHouses"][0]) >= {"contact", "workingArea", "verifiedAt", "seat", "address"}
    links = bundle["_links"]
    assert links["self"]["href"].endswith("/api/v1/municipalities/GM0363/support")
    assert links["experts"]["href"].endswith("/api/v1/experts?serves=GM0363")
    assert links["approaches"]["href"].endswith("/api/v1/approaches?sizeClass=large")
    assert support(client, "GM0363", "?topic=jihadism&limit=3")["_links"]["self"]["href"].endswith(
        "/support?topic=jihadism&limit=3"
    )


def test_national_organisations_are_the_published_national_ones(client: FlaskClient) -> None:
    bundle = support(client, "GM0014")
    listed = {o["id"] for o in bundle["nationalOrganisations"]}
    collection = client.get("/api/v1/organisations?scope=national&pageSize=100").get_json()["items"]
    assert listed == {o["id"] for o in collection}
    assert {"ess", "ror", "nctv", "vng"} <= listed
    assert {o["scope"] for o in bundle["nationalOrganisations"]} == {"national"}
    names = [o["name"].casefold() for o in bundle["nationalOrganisations"]]
    assert names == sorted(names)


def collection(client: FlaskClient, href: str) -> dict[str, Any]:
    """The body of a collection (all items on one page) that an absolute `href` of a bundle points to."""
    url = urlsplit(href)
    response = client.get(f"{url.path}?{url.query}&pageSize=100")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["total"] <= 100, "the seed grew: page through the collection"
    return body


def ranked_experts(code: str, items: list[dict[str, Any]], asked: set[str]) -> list[tuple[str, str, str]]:
    """(id, servesVia level, servesVia id) of the collection's experts in the bundle's order: real before demo, then
    most local level first, most asked topics covered, name (case-insensitive), id."""
    row = gemeenten()[code]
    areas = {
        code: "municipality",
        row["veiligheidsregio_code"]: "safety-region",
        row["politie_eenheid_code"]: "police-unit",
        "NL": "national",
    }
    keyed = []
    for expert in items:
        nearest = min(
            (s["id"] for s in expert["serves"] if s["id"] in areas), key=lambda area: LEVELS.index(areas[area])
        )
        matches = len({t["id"] for t in expert["topics"]} & asked)
        key = (expert["demo"], LEVELS.index(areas[nearest]), -matches, expert["name"].casefold(), expert["id"])
        keyed.append((key, (expert["id"], areas[nearest], nearest)))
    return [entry for _, entry in sorted(keyed)]


def ranked_approaches(items: list[dict[str, Any]], asked: set[str]) -> list[str]:
    """Ids of the collection's approaches in the bundle's order: real before demo, then most asked topics covered,
    evidence level (strongest first), name (case-insensitive), id."""

    def key(approach: dict[str, Any]) -> tuple[Any, ...]:
        matches = len({t["id"] for t in approach["topics"]} & asked)
        return (approach["demo"], -matches, -EVIDENCE.index(approach["evidenceLevel"]), approach["name"].casefold(),
                approach["id"])

    return [approach["id"] for approach in sorted(items, key=key)]


@pytest.mark.parametrize("code", by_size_class())
@pytest.mark.parametrize("topic", TOPIC_VARIANTS)
def test_experts_and_approaches_agree_with_the_collections(client: FlaskClient, code: str, topic: str | None) -> None:
    """Each list is the first `limit` items of the collection its link points to, ranked; totals are its total."""
    bundle = support(client, code, f"?topic={topic}" if topic else "")
    links, totals = bundle["_links"], bundle["totals"]
    topic_query = f"&topic={quote(','.join(sorted(topic.split(','))), safe='')}" if topic else ""  # sorted, as sent
    assert links["experts"]["href"].endswith(f"/api/v1/experts?serves={code}{topic_query}")
    assert links["approaches"]["href"].endswith(f"/api/v1/approaches?sizeClass={size_class(code)}{topic_query}")
    experts, approaches = collection(client, links["experts"]["href"]), collection(client, links["approaches"]["href"])
    assert totals["experts"] == experts["total"] and totals["approaches"] == approaches["total"]
    asked = set(topic.split(",")) if topic else set()

    want = ranked_experts(code, experts["items"], asked)[:LIMIT]
    got = [(e["id"], e["servesVia"]["level"], e["servesVia"]["id"]) for e in bundle["experts"]]
    assert got == want, "experts: real first, then most local, topic match, name"
    assert all(expert["servesVia"]["name"] for expert in bundle["experts"])
    assert [a["id"] for a in bundle["approaches"]] == ranked_approaches(approaches["items"], asked)[:LIMIT], (
        "approaches: real first, then topic match, evidence (strongest first), name"
    )
    assert all(size_class(code) in approach["sizeClasses"] for approach in bundle["approaches"])
    gap_codes = {gap["code"] for gap in bundle["gaps"]}
    assert ("no-experts" in gap_codes) == (experts["total"] == 0)
    assert ("no-approaches" in gap_codes) == (approaches["total"] == 0)


def test_limit_caps_each_list_and_the_totals_and_links_stay(client: FlaskClient) -> None:
    widest = support(client, "GM0363", f"?limit={LIMIT_MAX}")
    totals = widest["totals"]
    assert totals["approaches"] > LIMIT, "the seed should have more approaches than the default limit"
    assert len(widest["experts"]) == min(LIMIT_MAX, totals["experts"])
    assert len(widest["approaches"]) == min(LIMIT_MAX, totals["approaches"])
    for limit in (1, 3, LIMIT, LIMIT_MAX):
        query = "" if limit == LIMIT else f"?limit={limit}"
        bundle = support(client, "GM0363", query)
        assert bundle["totals"] == totals
        assert len(bundle["experts"]) == min(limit, totals["experts"])
        assert len(bundle["approaches"]) == min(limit, totals["approaches"])
        assert bundle["experts"] == widest["experts"][:limit] and bundle["approaches"] == widest["approaches"][:limit]
        assert not {"no-experts", "no-approaches"} & {gap["code"] for gap in bundle["gaps"]}
        links = bundle["_links"]
        assert links["self"]["href"].endswith(f"/api/v1/municipalities/GM0363/support{query}")
        assert {rel: links[rel] for rel in ("municipality", "experts", "approaches")} == {
            rel: widest["_links"][rel] for rel in ("municipality", "experts", "approaches")
        }
    assert collection(client, widest["_links"]["experts"]["href"])["total"] == totals["experts"]
    assert collection(client, widest["_links"]["approaches"]["href"])["total"] == totals["approaches"]
    narrowed = support(client, "GM0363", "?topic=polarisation&limit=2")
    assert len(narrowed["approaches"]) == 2 < narrowed["totals"]["approaches"]
    assert narrowed["_links"]["approaches"]["href"].endswith("/api/v1/approaches?sizeClass=large&topic=polarisation")
    approaches = collection(client, narrowed["_links"]["approaches"]["href"])
    assert narrowed["totals"]["approaches"] == approaches["total"]


def test_topic_narrows_and_ranks(client: FlaskClient) -> None:
    everything = support(client, "GM0363")
    narrowed = support(client, "GM0363", "?topic=jihadism,family-support")
    assert 0 < narrowed["totals"]["experts"] < everything["totals"]["experts"]
    assert 0 < narrowed["totals"]["approaches"] < everything["totals"]["approaches"]
    # demo-youssef-fictief serves Amsterdam directly and knows both topics, but a demo record comes after every
    # real one.
    ids = [expert["id"] for expert in support(client, "GM0363", f"?topic=jihadism,family-support&limit={LIMIT_MAX}")
           ["experts"]]
    assert not ids[0].startswith("demo-") and "demo-youssef-fictief" in ids
    assert all(i.startswith("demo-") for i in ids[ids.index("demo-youssef-fictief"):])
    unknown = client.get("/api/v1/municipalities/GM0363/support?topic=no-such-topic")
    assert unknown.status_code == 400
    assert unknown.get_json()["invalidParams"][0]["name"] == "topic"


def test_evidence_ranks_approaches_without_topic(client: FlaskClient) -> None:
    # Diamant ("goed onderbouwd" per the Erkenningscommissie) is the only assessed approach; demo ones are not assessed.
    assert support(client, "GM0363")["approaches"][0]["evidenceLevel"] == "theoretically-sound"
    widest = support(client, "GM0363", f"?limit={LIMIT_MAX}")
    levels = [EVIDENCE.index(approach["evidenceLevel"]) for approach in widest["approaches"]]
    assert levels == sorted(levels, reverse=True), "strongest evidence first"
    assert widest["approaches"][-1]["evidenceLevel"] == "not-assessed"


def test_anonymous_callers_see_neither_drafts_nor_personal_contact_data(client: FlaskClient) -> None:
    for code in ("GM0363", "GM0518", "GM0014"):
        bundle = support(client, code, f"?limit={LIMIT_MAX}")
        assert len(bundle["experts"]) == bundle["totals"]["experts"], "every expert is checked"
        # More approaches than one bundle holds: the bundle's are checked, and the total counts published ones only.
        published = collection(client, bundle["_links"]["approaches"]["href"])
        assert bundle["totals"]["approaches"] == published["total"]
        assert {a["status"] for a in published["items"]} == {"published"}
        assert {e["status"] for e in bundle["experts"]} == {"published"}
        assert {a["status"] for a in bundle["approaches"]} <= {"published"}
        for expert in bundle["experts"]:
            if expert["kind"] == "person":
                assert expert["contact"]["email"] is None and expert["contact"]["phone"] is None
    assert "demo-iris-voorbeeld" not in {e["id"] for e in support(client, "GM0518", f"?limit={LIMIT_MAX}")["experts"]}


@pytest.fixture
def app_as(seeded_url: str) -> Iterator[Any]:
    """Build an app whose every request comes from a viewer with the given role."""
    apps: list[Flask] = []

    def build(role: Role) -> FlaskClient:
        application = make_app(seeded_url)

        @application.before_request
        def _as_role() -> None:
            g.viewer = Viewer(key_id="test-key", role=role)

        apps.append(application)
        return application.test_client()

    yield build
    for application in apps:
        application.extensions["kennisbank_db"].dispose()


def test_readers_see_contact_data_and_curators_see_drafts(app_as: Any) -> None:
    reader = app_as(Role.READER)
    youssef = next(e for e in support(reader, "GM0363", f"?limit={LIMIT_MAX}")["experts"]
                   if e["id"] == "demo-youssef-fictief")
    assert youssef["contact"]["email"], "an authenticated reader sees a person's email"
    published = support(reader, "GM0518", f"?limit={LIMIT_MAX}")
    assert len(published["experts"]) == published["totals"]["experts"]
    assert "demo-iris-voorbeeld" not in {e["id"] for e in published["experts"]}
    curator = app_as(Role.CURATOR)
    drafts_too = support(curator, "GM0518", f"?limit={LIMIT_MAX}")
    assert "demo-iris-voorbeeld" in {e["id"] for e in drafts_too["experts"]}
    assert drafts_too["totals"]["experts"] > published["totals"]["experts"]
    for viewer, bundle in ((reader, published), (curator, drafts_too)):  # the links count the same statuses
        for rel in ("experts", "approaches"):
            assert bundle["totals"][rel] == collection(viewer, bundle["_links"][rel]["href"])["total"]


@pytest.mark.parametrize(
    "query",
    ["?x=1", "?limit=0", "?limit=51", "?limit=ten", "?topic=", "?topic=Not%20An%20Id", "?limit=5&limit=6", "?page=1"],
)
def test_invalid_query_is_a_400_problem(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/v1/municipalities/GM0363/support{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["invalidParams"]


@pytest.mark.parametrize("code", ["gm0363", "GM363", "GM03630", "0363", "VR13", "GM 363"])
def test_malformed_code_is_a_404_as_on_the_municipality_itself(client: FlaskClient, code: str) -> None:
    response = client.get(f"/api/v1/municipalities/{code}/support")
    assert response.status_code == 404
    assert client.get(f"/api/v1/municipalities/{code}").status_code == 404


def test_bad_query_parameters_are_reported_together(client: FlaskClient) -> None:
    body = client.get("/api/v1/municipalities/GM0363/support?limit=0&y=2").get_json()
    assert {p["name"] for p in body["invalidParams"]} == {"limit", "y"}


def test_unknown_code_is_a_404_problem(client: FlaskClient) -> None:
    response = client.get("/api/v1/municipalities/GM9999/support")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/municipalities/GM0363/support/").status_code == 404


def test_etag_and_304(client: FlaskClient) -> None:
    first = client.get("/api/v1/municipalities/GM0344/support")
    etag = first.headers["ETag"]
    assert etag and first.headers["API-Version"]
    again = client.get("/api/v1/municipalities/GM0344/support", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    other = client.get("/api/v1/municipalities/GM0344/support?topic=polarisation", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_documented_in_openapi(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/municipalities/{municipality_id}/support"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"municipality_id", "topic", "limit", "If-None-Match"}
    assert {"200", "304", "400", "404"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    assert {"servesVia", "distanceKm"} <= set(schemas["SupportExpert"]["properties"]) | set(
        schemas["Peer"]["properties"]
    )
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert "experts, approaches and peer municipalities to list, each" in limit["description"]
    assert "totals" in schemas["SupportBundle"]["properties"] and "totals" in schemas["SupportBundle"]["required"]
    totals = schemas["SupportTotals"]
    assert set(totals["properties"]) == set(totals["required"]) == {"experts", "approaches", "peers"}
    for name, field in totals["properties"].items():
        assert field["type"] == "integer" and field["description"] and "example" in field, name


PEERS = ["GM0307", "GM0310", "GM0353", "GM0363", "GM0599", "GM0014", "GM0935", "GM0356"]
"""Amersfoort, De Bilt, IJsselstein, Amsterdam, Rotterdam, Groningen, Maastricht, Nieuwegein."""


def test_peers_are_adopted_sharing_municipalities_nearest_first(fresh_url: str) -> None:
    target = "GM0344"  # Utrecht
    database = Database(fresh_url)
    with database.transaction() as session:
        for code in [*PEERS, target]:  # the target itself is adopted and sharing too, and never its own peer
            municipality = session.get(Municipality, code)
            municipality.policy_status = PolicyStatus.ADOPTED
            municipality.policy_shares_knowledge = True
            municipality.policy_url = f"https://example.org/beleid/{code}"
        session.get(Municipality, "GM0321").policy_status = PolicyStatus.ADOPTED  # Houten: adopted, not sharing
        zeist = session.get(Municipality, "GM0355")  # Zeist: sharing, but its policy is only in development
        zeist.policy_status = PolicyStatus.IN_DEVELOPMENT
        zeist.policy_shares_knowledge = True
    database.dispose()
    app = make_app(fresh_url)
    try:
        client = app.test_client()
        everyone = nearest(target, set(PEERS) | evidence_codes())
        assert "GM0321" not in everyone and "GM0355" not in everyone
        bundle = support(client, target, f"?limit={LIMIT_MAX}")
        assert [p["id"] for p in bundle["peers"]] == everyone[:LIMIT_MAX]
        for peer in bundle["peers"]:
            assert peer["distanceKm"] == pytest.approx(haversine_km(target, peer["id"]), abs=0.05)
            assert peer["distanceKm"] == round(peer["distanceKm"], 1)
            assert bool(peer["policyEvidence"]) == (peer["id"] in evidence_codes())
            if peer["id"] not in PEERS:
                assert peer["policy"]["status"] == "unknown", "evidence never becomes a policy status"
                continue
            assert peer["policy"] == {
                "status": "adopted",
                "url": f"https://example.org/beleid/{peer['id']}",
                "sharesKnowledge": True,
                "updatedAt": None,
            }
            assert peer["_links"]["self"]["href"].endswith(f"/api/v1/municipalities/{peer['id']}")
        assert not {"no-peers", "peers-from-evidence"} & {gap["code"] for gap in bundle["gaps"]}
        assert bundle["totals"]["peers"] == len(everyone)
        for limit in (3, 1):
            capped = support(client, target, f"?limit={limit}")
            assert [p["id"] for p in capped["peers"]] == everyone[:limit]
            assert capped["totals"]["peers"] == len(everyone) and "no-peers" not in {g["code"] for g in capped["gaps"]}
        far = support(client, "GM0072")["peers"]  # Harlingen: everything is far away, nearest still first
        assert [p["id"] for p in far] == nearest("GM0072", set(PEERS) | {target} | evidence_codes())[:LIMIT]
    finally:
        app.extensions["kennisbank_db"].dispose()


def test_evidence_peers_change_the_gap_text(client: FlaskClient) -> None:
    """With only evidence-based peers (no curated shared policy), the gap says so instead of "no peers"."""
    bundle = support(client, "GM0344")
    assert bundle["peers"] and bundle["totals"]["peers"] == len(evidence_codes() - {"GM0344"})
    codes = {gap["code"] for gap in bundle["gaps"]}
    assert "peers-from-evidence" in codes and "no-peers" not in codes
    gap = next(g for g in bundle["gaps"] if g["code"] == "peers-from-evidence")
    assert "openbare stukken" in gap["message"]


def test_no_peers_is_a_gap_with_advice(fresh_url: str) -> None:
    database = Database(fresh_url)
    with database.transaction() as session:
        for municipality in session.scalars(select(Municipality)):
            municipality.policy_evidence = []
    database.dispose()
    app = make_app(fresh_url)
    try:
        bundle = support(app.test_client(), "GM0344")
    finally:
        app.extensions["kennisbank_db"].dispose()
    assert bundle["peers"] == [] and bundle["totals"]["peers"] == 0
    gap = next(g for g in bundle["gaps"] if g["code"] == "no-peers")
    assert "Utrecht" in gap["message"] and "peers-from-evidence" not in {g["code"] for g in bundle["gaps"]}


def test_unconfirmed_house_and_no_house_gaps(client: FlaskClient) -> None:
    """A house only in the same safety region is labelled unconfirmed; a house whose source states another
    working area is never offered (Breda: Midden-Brabant and De Markiezaten work elsewhere)."""
    barneveld = support(client, "GM0203")  # Gelderland-Midden: regio Arnhem states its area, West-Veluwe Vallei not
    assert [(h["id"], h["coverage"]) for h in barneveld["safetyHouses"]] == [
        ("vh-west-veluwe-vallei", "same-safety-region")]
    assert "safety-house-unconfirmed" in {g["code"] for g in barneveld["gaps"]}
    breda = support(client, "GM0758")
    assert breda["safetyHouses"] == []
    gap = next(g for g in breda["gaps"] if g["code"] == "no-safety-house")
    assert "Midden-Brabant" in gap["message"] and "Breda" in gap["message"]
    bosch = support(client, "GM0796")  # radicalisation house for all of Oost-Brabant, and the local one unconfirmed
    assert [(h["id"], h["coverage"]) for h in bosch["safetyHouses"]] == [
        ("vh-brabant-zuidoost", "region"), ("zvh-brabant-noordoost", "same-safety-region")]
    assert "safety-house-unconfirmed" not in {g["code"] for g in bosch["gaps"]}
    tholen = support(client, "GM0716")
    assert [(h["id"], h["coverage"]) for h in tholen["safetyHouses"]] == [("zvh-de-markiezaten", "named")]
    sittard = support(client, "GM1883")["safetyHouses"][0]
    assert sittard["contact"] == {"website": "https://www.zorgenveiligheidshuizen.nl/locaties/westelijke-mijnstreek/",
                                  "phone": "046-4778700", "email": None}
    assert sittard["verifiedAt"] == "2026-12-06T00:00:00Z"


def test_content_review_corrections_reach_the_answer(client: FlaskClient) -> None:
    """Errors 6, 12 and 20 of the December 2026 content review, as a policy officer would see them."""
    tiel = support(client, "GM0281")  # Rivierenland, one of Gelderland-Zuid's two subregions
    assert [(h["id"], h["coverage"], h["name"]) for h in tiel["safetyHouses"]] == [
        ("vh-gelderland-zuid", "region", "Zorg- en Veiligheidshuis Gelderland-Zuid")]
    assert "safety-house-unconfirmed" not in {g["code"] for g in tiel["gaps"]}
    eemnes = client.get("/api/v1/safety-houses/zvh-gooi-vechtstreek").get_json()
    assert "GM0317" not in [c["municipality"]["id"] for c in eemnes["coverage"]]  # no source says it serves Eemnes
    assert client.get("/api/v1/safety-regions/VR20").get_json()["seat"] is None  # "Breda" had no source
