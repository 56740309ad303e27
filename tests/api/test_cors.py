"""Browsers on allowed origins may call the API and read its headers; the OpenAPI document is open to all."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import make_app

INTRANET = "https://intranet.gemeente.example.org"


@pytest.fixture
def cors_client(seeded_url: str) -> FlaskClient:
    return make_app(seeded_url, CORS_ORIGINS=f"{INTRANET}, https://other.example.org/").test_client()


def test_an_allowed_origin_may_read_the_api_and_its_headers(cors_client: FlaskClient) -> None:
    response = cors_client.get("/api/v1/experts?pageSize=2", headers={"Origin": INTRANET})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == INTRANET
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"API-Version", "ETag", "Link", "X-Total-Count", "X-RateLimit-Limit", "X-RateLimit-Remaining",
            "X-RateLimit-Reset", "Retry-After"} <= exposed
    assert "Origin" in response.headers["Vary"]


def test_a_preflight_for_a_curator_write_is_answered(cors_client: FlaskClient) -> None:
    response = cors_client.options("/api/v1/organisations/ess", headers={
        "Origin": INTRANET, "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "Authorization, Content-Type, If-Match"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == INTRANET
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "if-match" in allowed


@pytest.mark.parametrize("origin", ["https://evil.example.com", "null"])
def test_other_origins_get_no_cors_headers(cors_client: FlaskClient, origin: str) -> None:
    response = cors_client.get("/api/v1/experts", headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_without_an_allowlist_there_is_no_cors(client: FlaskClient) -> None:
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1", headers={"Origin": INTRANET}).headers


@pytest.mark.parametrize("origin", [INTRANET, "https://evil.example.com", None])
def test_the_openapi_document_is_open_to_every_origin(cors_client: FlaskClient, client: FlaskClient,
                                                      origin: str | None) -> None:
    headers = {"Origin": origin} if origin else {}
    for each in (cors_client, client):
        assert each.get("/api/v1/openapi.json", headers=headers).headers["Access-Control-Allow-Origin"] == "*"
