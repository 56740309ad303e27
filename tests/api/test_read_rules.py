"""One rule for every read: unknown query parameters, malformed ids and unknown referenced ids are answered the same
way on items, lists and the support bundle."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.keys import Keys


@pytest.mark.parametrize("url", [
    "/api/v1/municipalities/GM0796?foo=1", "/api/v1/experts/nope?fields=name", "/api/v1?foo=1",
    "/api/v1/municipalities/GM0796/policy?expand=all", "/api/v1/topics/polarisation?fields=id",
    "/api/v1/municipalities?foo=1", "/api/v1/municipalities/GM0796/support?foo=1",
])
def test_an_unknown_query_parameter_is_a_400_naming_it_everywhere(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, url
    problem = response.get_json()
    assert problem["invalidParams"][0]["code"] == "unknown-parameter"
    assert problem["invalidParams"][0]["name"] in ("foo", "fields", "expand")


def test_an_unknown_query_parameter_on_a_write_is_a_400_too(client: FlaskClient, api_keys: Keys) -> None:
    response = client.delete("/api/v1/experts/nope?force=1", headers=api_keys.headers("curator"))
    assert response.status_code == 400
    assert response.get_json()["invalidParams"][0]["name"] == "force"


@pytest.mark.parametrize("url", [
    "/api/v1/municipalities/gm0796", "/api/v1/municipalities/gm0796/support", "/api/v1/municipalities/GM9999/support",
    "/api/v1/municipalities/gm0796/policy", "/api/v1/experts/Not_An_Id", "/api/v1/safety-regions/vr21",
])
def test_a_malformed_or_unknown_id_is_a_404_on_every_route(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404, url
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(("url", "name", "value"), [
    ("/api/v1/experts?topic=polarization", "topic", "polarization"),
    ("/api/v1/experts?serves=GM9999", "serves", "GM9999"),
    ("/api/v1/experts?organisation=no-such-org", "organisation", "no-such-org"),
    ("/api/v1/approaches?provider=no-such-org", "provider", "no-such-org"),
    ("/api/v1/approaches?topic=polarisation,no-such-topic", "topic", "no-such-topic"),
    ("/api/v1/municipalities?safetyRegion=VR99", "safetyRegion", "VR99"),
    ("/api/v1/municipalities?policeUnit=RE42", "policeUnit", "RE42"),
    ("/api/v1/safety-houses?serves=GM9999", "serves", "GM9999"),
    ("/api/v1/topics?parent=no-such-topic", "parent", "no-such-topic"),
    ("/api/v1/search?q=jeugd&topic=no-such-topic", "topic", "no-such-topic"),
    ("/api/v1/municipalities/GM0796/support?topic=no-such-topic", "topic", "no-such-topic"),
])
def test_an_unknown_referenced_id_in_a_filter_is_a_400_naming_it(
    client: FlaskClient, url: str, name: str, value: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400, url
    params = response.get_json()["invalidParams"]
    assert [(p["name"], p["code"]) for p in params] == [(name, "unknown-reference")]
    assert value in params[0]["reason"]


def test_known_referenced_ids_still_filter(client: FlaskClient) -> None:
    response = client.get("/api/v1/experts?topic=polarisation&serves=GM0796")
    assert response.status_code == 200
    assert response.get_json()["total"] >= 1


def test_the_search_body_checks_its_references_too(client: FlaskClient) -> None:
    response = client.post("/api/v1/search", json={"q": "jeugd", "serves": ["GM9999"], "topic": ["polarisation"]})
    assert response.status_code == 400
    assert [p["name"] for p in response.get_json()["invalidParams"]] == ["serves"]
