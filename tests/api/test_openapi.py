"""The OpenAPI 3 document is derived from the marshmallow schemas, valid, and passes the ADR ruleset."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from api.openapi_contract import referenced
from tests.conftest import ADR_RULESET, REPO

RULESET = ADR_RULESET
SPECTRAL = REPO / ".tools" / "node_modules" / ".bin" / "spectral"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, m, op) for path, item in document["paths"].items() for m, op in item.items() if m in METHODS]


def test_document_is_valid_openapi_3(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.0")
    validate(document)


def test_contact_version_and_server(document: dict[str, Any]) -> None:
    assert {"name", "url", "email"} <= document["info"]["contact"].keys()
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_every_operation_documents_version_header_problem_and_400(document: dict[str, Any]) -> None:
    for path, method, op in operations(document):
        assert op["summary"], (path, method)
        assert "400" in op["responses"], (path, method)
        for status, response in op["responses"].items():
            if status == "414":  # gunicorn's own answer to an over-long request line: no API headers, no problem
                assert method == "get" and "HTTP server" in response["description"], (path, method)
                continue
            assert "API-Version" in response.get("headers", {}), (path, method, status)
            if status.startswith(("4", "5")):
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }


def test_every_api_route_is_documented(app, document: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    documented = {(p, m.upper()) for p, m, _ in operations(document)}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint in ("openapi_json", "swagger_ui", "api_changelog"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule).removeprefix("/api/v1").rstrip("/") or "/"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, (path, method)


def test_query_parameters_come_from_the_marshmallow_schemas(document: dict[str, Any]) -> None:
    op = document["paths"]["/municipalities"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {"page", "pageSize", "sort", "q", "province", "safetyRegion", "policeUnit", "sizeClass"} <= names
    size = next(p for p in op["parameters"] if p["name"] == "sizeClass")
    assert size["schema"]["items"]["enum"] == ["small", "medium", "large"]
    municipality = document["components"]["schemas"]["Municipality"]["properties"]
    assert {"sizeClass", "safetyRegion", "policeUnit", "safetyHouses", "_links"} <= municipality.keys()


def test_adr_ruleset_reports_no_errors(document: dict[str, Any], tmp_path: Path) -> None:
    if not SPECTRAL.exists():
        pytest.fail("Spectral is missing: run `make tools` (make test does).")
    if not RULESET.exists():
        pytest.fail(f"ADR ruleset not found at {RULESET}")
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document))
    result = subprocess.run(
        [str(SPECTRAL), "lint", "-r", str(RULESET), "-f", "json", "--quiet", str(spec)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    findings = json.loads(result.stdout or "[]")
    errors = [f"{f['code']}: {f['message']} at {'.'.join(map(str, f['path']))}" for f in findings if f["severity"] == 0]
    assert errors == []


def test_swagger_ui_is_served_offline_and_points_at_openapi_3(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/api/v1/openapi.json" in html
    assert "http://" not in html and "https://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        src = html.split(asset)[0].rsplit('"', 1)[-1] + asset
        assert client.get(src).status_code == 200


def test_document_is_built_once_per_app_and_revalidates_with_its_etag(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    first = client.get("/api/v1/openapi.json")
    cache = app.extensions["kennisbank_openapi"]
    built = dict(cache)
    other_host = client.get("/api/v1/openapi.json", headers={"Host": "elsewhere.example"})
    assert other_host.data == first.data and other_host.headers["ETag"] == first.headers["ETag"]
    assert cache == built and len(cache) == 1  # not rebuilt, whatever the Host header says
    assert client.get("/api/v1/openapi.json", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_changelog_is_published_next_to_the_version(client: FlaskClient, document: dict[str, Any]) -> None:
    from api.config import API_VERSION

    assert document["info"]["x-changelog"].endswith("/changelog")
    assert "/changelog" in document["info"]["description"]
    changelog = client.get("/api/v1/changelog")
    assert changelog.status_code == 200 and changelog.mimetype == "text/markdown"
    assert f"## {API_VERSION}" in changelog.get_data(as_text=True)


def test_generators_get_one_named_type_per_nullable_reference_and_enum(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert not [name for name in schemas if name.endswith("Schema")]  # names stay stable across class renames
    approach = schemas["Approach"]
    assert set(approach["required"]) == set(approach["properties"])  # a response field is always sent
    assert all("default" not in prop for prop in approach["properties"].values())
    assert approach["properties"]["provider"]["anyOf"][0] == {"$ref": "#/components/schemas/OrganisationsSummary"}
    assert approach["properties"]["format"]["anyOf"][0] == {"$ref": "#/components/schemas/ApproachFormat"}
    assert schemas["ApproachFormat"]["enum"] == ["online", "in-person", "hybrid"]
    for name in ("Approach", "Expert", "Municipality", "SupportBundle", "Root", "Change", "MunicipalityPolicy"):
        links = schemas[name]["properties"]["_links"]
        assert "$ref" in links or links["allOf"][0]["$ref"].endswith("Links"), name


def test_every_object_a_response_carries_is_exact(document: dict[str, Any]) -> None:
    """No object schema is both a request body part and a response part: a request copy (`ContactInput`) keeps
    the optional fields, so what a response always carries is required in the response's schema."""
    requested = referenced(document, "requestBody", "parameters")
    answered = referenced(document, "responses")
    schemas = document["components"]["schemas"]
    assert not [name for name in requested & answered if schemas[name].get("properties")]
    for name in ("Contact", "HouseContact", "Source", "Policy"):
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name
    assert schemas["SourceInput"]["required"] == ["url"]  # a curator may leave the vintage out
    assert "required" not in schemas["ContactInput"]
    expert_input = document["components"]["schemas"]["ExpertInput"]["properties"]["contact"]
    assert "ContactInput" in str(expert_input)


def test_security_is_optional_except_where_a_key_is_required(document: dict[str, Any]) -> None:
    assert document["security"] == [{}, {"apiKey": []}]
    assert "security" not in document["paths"]["/experts"]["get"]
    assert document["paths"]["/experts"]["post"]["security"] == [{"apiKey": []}]
    if_match = next(p for p in document["paths"]["/experts/{expert_id}"]["patch"]["parameters"]
                    if p["name"] == "If-Match")
    assert if_match["required"] is True
    headers = document["paths"]["/experts"]["get"]["responses"]["200"]["headers"]
    assert {"ETag", "Link", "X-Total-Count", "API-Version", "X-RateLimit-Remaining"} <= headers.keys()
    assert "Retry-After" in document["paths"]["/experts"]["get"]["responses"]["429"]["headers"]
    export = document["paths"]["/export"]["get"]["responses"]["200"]["content"]
    assert export["application/x-ndjson"]["schema"]["format"] == "binary"
