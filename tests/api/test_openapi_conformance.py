"""What the server answers is what the OpenAPI document promises: bodies (every `required` field there, nothing
undeclared), headers, and statuses, for anonymous callers and for an admin who sees every status and contact."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator

from tests.keys import Keys

ITEM_URLS = [
    "/api/v1", "/api/v1/", "/api/v1/municipalities?pageSize=100", "/api/v1/municipalities?page=4",
    "/api/v1/municipalities/GM0796", "/api/v1/municipalities/GM0796/support?topic=polarisation&limit=50",
    "/api/v1/municipalities/GM0363/support", "/api/v1/municipalities/GM0796/policy",
    "/api/v1/safety-regions", "/api/v1/safety-regions/VR21", "/api/v1/police-units", "/api/v1/police-units/RE09",
    "/api/v1/safety-houses?pageSize=100", "/api/v1/organisations?pageSize=100", "/api/v1/experts?pageSize=100",
    "/api/v1/approaches?pageSize=100", "/api/v1/topics?pageSize=100", "/api/v1/search?q=den%20bosch",
    "/api/v1/search?q=eindhovn", "/api/v1/changes?pageSize=500", "/api/v1/experts/nope",
    "/api/v1/municipalities?pageSize=0",
]


@pytest.fixture(scope="module")
def document(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _operation(document: dict[str, Any], url: str) -> dict[str, Any]:
    path = url.split("?")[0].removeprefix("/api/v1").rstrip("/") or "/"
    for template, item in document["paths"].items():
        parts, wanted = template.split("/"), path.split("/")
        if len(parts) == len(wanted) and all(p == w or p.startswith("{") for p, w in zip(parts, wanted, strict=True)):
            return item["get"]
    raise AssertionError(f"{path} is not documented")


def _check(document: dict[str, Any], url: str, response: Any) -> None:
    op = _operation(document, url)
    documented = op["responses"].get(str(response.status_code))
    assert documented is not None, (url, response.status_code)
    content = documented.get("content", {}).get(response.mimetype)
    assert content is not None, (url, response.mimetype)
    schema = {**content["schema"], "components": document["components"]}  # "#/components/…" resolves here
    OAS30Validator(schema).validate(response.get_json())
    for name, header in documented.get("headers", {}).items():
        if name in ("ETag", "Link", "X-Total-Count", "API-Version", "X-Request-ID"):
            assert name in response.headers, (url, name)
        assert "$ref" in header or "schema" in header


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_read_answers_what_the_document_promises(
    client: FlaskClient, document: dict[str, Any], api_keys: Keys, who: str
) -> None:
    for url in ITEM_URLS:
        _check(document, url, client.get(url, headers=api_keys.headers(who)))
    listing = client.get("/api/v1/experts?pageSize=100", headers=api_keys.headers(who)).get_json()
    for collection in ("experts", "approaches", "organisations", "topics", "safety-houses"):  # first 25 of each
        items = client.get(f"/api/v1/{collection}?pageSize=100", headers=api_keys.headers(who)).get_json()["items"]
        for item in items[:25]:
            url = f"/api/v1/{collection}/{item['id']}"
            _check(document, url, client.get(url, headers=api_keys.headers(who)))
    assert listing["items"], "the seeded catalogue has experts"


def test_a_bad_key_on_a_read_is_the_documented_401(client: FlaskClient, document: dict[str, Any]) -> None:
    url = "/api/v1/municipalities"
    response = client.get(url, headers={"Authorization": "Bearer kb_wrong"})
    assert response.status_code == 401
    _check(document, url, response)


def test_a_conditional_read_is_the_documented_304(client: FlaskClient, document: dict[str, Any]) -> None:
    url = "/api/v1/experts"
    etag = client.get(url).headers["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert "304" in _operation(document, url)["responses"]


def test_error_examples_match_their_status(document: dict[str, Any]) -> None:
    for item in document["paths"].values():
        for op in item.values():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")) and status != "414":  # 414: gunicorn's own page, no problem
                    example = response["content"]["application/problem+json"]["example"]
                    assert example["status"] == int(status)
                    assert ("invalidParams" in example) == (status == "400")
