"""The read API: every collection answers with real rows, pages, sorts and filters, on both databases."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.keys import Keys

COLLECTIONS = {
    "municipalities": 342,
    "safety-regions": 25,
    "police-units": 11,
    "safety-houses": 28,  # published; the historical 's-Hertogenbosch name is archived
}


@pytest.mark.parametrize(("collection", "count"), COLLECTIONS.items())
def test_reference_collections_hold_the_real_catalogue(client: FlaskClient, collection: str, count: int) -> None:
    response = client.get(f"/api/v1/{collection}?pageSize=100")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == count
    assert response.headers["X-Total-Count"] == str(count)
    assert len(body["items"]) == min(count, 100)
    first = body["items"][0]
    assert first["_links"]["self"]["href"] == f"http://localhost/api/v1/{collection}/{first['id']}"


@pytest.mark.parametrize("collection", ["organisations", "experts", "approaches", "topics"])
def test_curated_collections_have_published_rows(client: FlaskClient, collection: str) -> None:
    body = client.get(f"/api/v1/{collection}?pageSize=100").get_json()
    assert body["total"] > 0
    assert {item["status"] for item in body["items"]} == {"published"}


def test_item_has_related_summaries(client: FlaskClient) -> None:
    body = client.get("/api/v1/municipalities/GM0363").get_json()
    assert body["name"] == "Amsterdam"
    assert body["sizeClass"] == "large"
    assert body["safetyRegion"]["id"] == "VR13"
    assert body["safetyRegion"]["_links"]["self"]["href"].endswith("/api/v1/safety-regions/VR13")
    assert body["policeUnit"] == {
        "id": "RE05", "name": "Amsterdam", "_links": {"self": {"href": "http://localhost/api/v1/police-units/RE05"}}
    }
    assert body["policy"]["status"] == "unknown"
    assert [h["id"] for h in body["safetyHouses"]] == ["acvz-amsterdam"]


def test_paging_envelope_links_and_headers(client: FlaskClient) -> None:
    response = client.get("/api/v1/municipalities?pageSize=50&page=2&sizeClass=small")
    body = response.get_json()
    total = body["total"]
    last = -(-total // 50)
    assert body["page"] == 2 and body["pageSize"] == 50
    links = body["_links"]
    assert links["prev"]["href"].endswith("page=1")
    assert links["next"]["href"].endswith("page=3")
    assert links["last"]["href"].endswith(f"page={last}")
    assert "sizeClass=small" in links["next"]["href"]
    assert '; rel="next"' in response.headers["Link"] and '; rel="last"' in response.headers["Link"]
    last_page = client.get(f"/api/v1/municipalities?pageSize=50&page={last}&sizeClass=small").get_json()
    assert "next" not in last_page["_links"]
    assert len(last_page["items"]) == total - 50 * (last - 1)


def test_sorting_descending_and_by_several_fields(client: FlaskClient) -> None:
    items = client.get("/api/v1/municipalities?sort=-population&pageSize=3").get_json()["items"]
    assert [m["name"] for m in items] == ["Amsterdam", "Rotterdam", "'s-Gravenhage"]
    items = client.get("/api/v1/municipalities?sort=province,-population&pageSize=1").get_json()["items"]
    assert items[0]["province"] == "Drenthe" and items[0]["name"] == "Emmen"


def test_filter_values_are_ored_and_filters_anded(client: FlaskClient) -> None:
    both = client.get("/api/v1/municipalities?safetyRegion=VR01,VR03&pageSize=100").get_json()
    assert both["total"] == 10 + 12
    repeated = client.get("/api/v1/municipalities?safetyRegion=VR01&safetyRegion=VR03&pageSize=100").get_json()
    assert repeated["total"] == both["total"]
    anded = client.get("/api/v1/municipalities?safetyRegion=VR01,VR03&sizeClass=large&pageSize=100").get_json()
    assert {m["name"] for m in anded["items"]} == {"Groningen", "Emmen"}


def test_experts_serving_a_municipality_include_region_unit_and_national(client: FlaskClient) -> None:
    items = client.get("/api/v1/experts?serves=GM0014&pageSize=100").get_json()["items"]
    served = {area["id"] for expert in items for area in expert["serves"]}
    assert "NL" in served
    for expert in items:
        assert {a["id"] for a in expert["serves"]} & {"GM0014", "VR01", "RE01", "NL"}


def test_approaches_filter_by_size_class_and_kind(client: FlaskClient) -> None:
    items = client.get("/api/v1/approaches?sizeClass=small&kind=training,advice&pageSize=100").get_json()["items"]
    assert items
    for approach in items:
        assert "small" in approach["sizeClasses"]
        assert approach["kind"] in {"training", "advice"}


def test_drafts_are_invisible_to_anonymous_callers(client: FlaskClient, api_keys: Keys) -> None:
    draft = "demo-iris-voorbeeld"  # the demo set's draft expert
    curator = client.get(f"/api/v1/experts/{draft}", headers=api_keys.headers("curator"))
    assert curator.status_code == 200 and curator.get_json()["status"] == "draft"
    ids = {e["id"] for e in client.get("/api/v1/experts?pageSize=100").get_json()["items"]}
    drafts = client.get("/api/v1/experts?status=draft")
    assert drafts.status_code == 400
    assert drafts.get_json()["invalidParams"][0]["name"] == "status"
    assert ids and draft not in ids
    assert client.get(f"/api/v1/experts/{draft}").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/api/v1/municipalities/GM9999", "/api/v1/safety-regions/VR99", "/api/v1/police-units/RE42",
     "/api/v1/safety-houses/nope", "/api/v1/organisations/nope", "/api/v1/experts/nope",
     "/api/v1/approaches/nope", "/api/v1/topics/nope"],
)
def test_unknown_id_is_a_404_problem(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize("url", ["/api/v1/municipalities/", "/api/v1/municipalities/GM0363/", "/api/v1/experts/"])
def test_trailing_slash_is_a_404(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_the_root_is_the_server_url_with_or_without_its_slash(client: FlaskClient) -> None:
    # The OpenAPI document declares the root as "/" under the server URL /api/v1, so generated clients call /api/v1/.
    assert client.get("/api/v1/").get_json() == client.get("/api/v1").get_json()
