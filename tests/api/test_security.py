"""Regression tests of the 2026-12 security review (F2-F7, F10-F15): each names its finding, on both databases.

Input the databases cannot store is a 400 with `invalidParams` from the schemas, the same on SQLite and
PostgreSQL; database errors that still reach the edge are 4xx problems; answers and links cannot be bent by
the caller's headers.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest
from flask.testing import FlaskClient
from marshmallow import ValidationError
from sqlalchemy import text

from api.app import create_app
from api.database import Database
from api.sessions import db
from schemas.municipalities import MunicipalityInputSchema
from tests.conftest import make_app
from tests.keys import Keys
from tests.writes import MERGE_PATCH, Api

ANNA = "/api/v1/experts/demo-anna-voorbeeld"
PROBLEM = "application/problem+json"


@pytest.fixture
def api(fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(make_app(fresh_url).test_client(), fresh_keys, fresh_url)


def raw_post(client: FlaskClient, path: str, document: str, keys: Keys, who: str = "curator") -> Any:
    """POST a JSON text as is (escapes such as \\u0000 and \\ud800 reach the server unchanged)."""
    return client.post(path, data=document, content_type="application/json", headers=keys.headers(who))


def names(response: Any) -> set[str]:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    return {p["name"] for p in response.get_json()["invalidParams"]}


@pytest.mark.parametrize(("path", "who"), [("/api/v1/experts/x%00", "anonymous"), ("/api/v1/topics/x%00", "reader"),
                                           ("/api/v1/topics/x%00/history", "curator"),
                                           ("/api/v1/api-keys/x%00", "admin"),
                                           ("/api/v1/municipalities/GM0363%00/support", "anonymous")])
def test_f2_nul_byte_in_a_path_id_is_404(client: FlaskClient, api_keys: Keys, path: str, who: str) -> None:
    response = client.get(path, headers=api_keys.headers(who))
    assert response.status_code == 404 and response.content_type == PROBLEM


def test_f2_nul_byte_in_a_filter_is_400(client: FlaskClient) -> None:
    assert names(client.get("/api/v1/municipalities?province=a%00")) == {"province.0"}
    assert names(client.get("/api/v1/experts?topic=a%00b")) == {"topic.0"}


def test_f2_nul_byte_in_a_write_is_400_with_every_error(api: Api) -> None:
    document = '{"id": "nul-demo", "label": "a\\u0000b", "description": "\\u0000", "synonyms": ["ok", "x\\u0000"],' \
               ' "sources": [{"url": "https://example.org", "vintage": "2026\\u0000"}], "parent": "Not An Id"}'
    assert names(raw_post(api.client, "/api/v1/topics", document, api.keys)) == {
        "label", "description", "synonyms.1", "sources.0.vintage", "parent"}
    keys = raw_post(api.client, "/api/v1/api-keys", '{"name": "\\u0000", "role": "reader"}', api.keys, "admin")
    assert names(keys) == {"name"}
    assert api.get("/api/v1/topics/nul-demo").status_code == 404


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"q": ' + "[" * 40 + "]" * 40 + "}"])
def test_f3_deeply_nested_json_is_400(client: FlaskClient, api_keys: Keys, body: str) -> None:
    for path in ("/api/v1/search", "/api/v1/topics"):
        response = raw_post(client, path, body, api_keys)
        assert response.status_code == 400, path
        assert response.get_json()["invalidParams"][0]["code"] == "invalid-json"


def test_f4_api_keys_q_finds_keys_by_name(client: FlaskClient, api_keys: Keys) -> None:
    admin = api_keys.headers("admin")
    found = client.get("/api/v1/api-keys?q=Test%20Cur&pageSize=100", headers=admin)
    assert found.status_code == 200, found.get_json()
    assert found.get_json()["items"] and all("test cur" in k["name"].lower() for k in found.get_json()["items"])
    for q in ("%", "_", "x\x00", "' OR 1=1 --"):
        response = client.get("/api/v1/api-keys", query_string={"q": q}, headers=admin)
        assert response.status_code == 200 and response.get_json()["total"] == 0, q


@pytest.mark.parametrize("position", ["2147483648", "9223372036854775808", "99999999999999999999999"])
def test_f5_feed_cursor_past_the_integer_range_is_400(client: FlaskClient, position: str) -> None:
    cursor = base64.urlsafe_b64encode(f"kb1:{position}".encode()).decode().rstrip("=")
    assert names(client.get(f"/api/v1/changes?since={cursor}")) == {"since"}


def test_f5_the_last_integer_cursor_is_still_valid(client: FlaskClient) -> None:
    cursor = base64.urlsafe_b64encode(b"kb1:2147483647").decode().rstrip("=")
    response = client.get(f"/api/v1/changes?since={cursor}")
    assert response.status_code == 200 and response.get_json()["items"] == []


def test_f6_ids_over_64_characters_are_400_and_64_is_fine(api: Api) -> None:
    assert names(api.post("/api/v1/topics", {"id": "a" * 65, "label": "len65"})) == {"id"}
    assert names(api.post("/api/v1/topics", {"id": "b" * 64, "label": "len64", "parent": "c" * 65})) == {"parent"}
    assert names(api.post("/api/v1/organisations", {"id": "o" * 200, "name": "Lang", "kind": "network",
                                                    "scope": "national"})) == {"id"}
    assert api.post("/api/v1/topics", {"id": "b" * 64, "label": "len64"}).status_code == 201
    assert api.get(f"/api/v1/topics/{'b' * 64}").status_code == 200
    assert api.get(f"/api/v1/topics/{'b' * 65}").status_code == 404
    assert names(api.client.get(f"/api/v1/experts?topic={'t' * 65}")) == {"topic.0"}


def test_f7_lone_surrogate_is_400(api: Api) -> None:
    topic = raw_post(api.client, "/api/v1/topics", '{"id": "sur-demo", "label": "a\\ud800b"}', api.keys)
    assert names(topic) == {"label"}
    assert "surrogate" in topic.get_json()["invalidParams"][0]["reason"]
    assert names(raw_post(api.client, "/api/v1/organisations", '{"id": "sur-org", "name": "\\udfff", "kind": '
                          '"network", "scope": "national"}', api.keys)) == {"name"}
    assert api.client.post("/api/v1/search", data='{"q": "a\\ud800b"}', content_type="application/json") \
        .status_code == 200, "search text is never stored: any text stays a valid query"


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 2**63, "2147483648"])
def test_f7_integers_outside_the_database_range_are_refused_by_the_schemas(value: int | str) -> None:
    with pytest.raises(ValidationError) as refused:
        MunicipalityInputSchema().load({"population": value})
    assert "Must be between -2147483648 and 2147483647." in refused.value.messages["population"]  # type: ignore[index]


def test_database_errors_that_reach_the_edge_are_4xx(fresh_url: str, backend: str) -> None:
    app = make_app(fresh_url)

    @app.get("/api/v1/test-integrity")
    def integrity() -> Any:
        db().execute(text("INSERT INTO topics (id, label) SELECT id, label FROM topics LIMIT 1"))
        return "unreachable"

    @app.get("/api/v1/test-data")
    def data() -> Any:
        db().execute(text("SELECT CAST('x' AS INTEGER)"))  # PostgreSQL: DataError; SQLite: 0
        return "SQLite casts anything"

    client = app.test_client()
    clash = client.get("/api/v1/test-integrity")
    assert clash.status_code == 409 and clash.content_type == PROBLEM
    refused = client.get("/api/v1/test-data")
    if backend == "postgresql":
        assert refused.status_code == 400 and refused.get_json()["invalidParams"][0]["code"] == "unstorable"
    app.extensions["kennisbank_db"].dispose()


def test_f10_sql_parameters_are_never_in_errors_or_logs(fresh_url: str) -> None:
    database = Database(fresh_url)
    assert database.engine.hide_parameters
    database.dispose()


@pytest.mark.parametrize("entry", ["https://gemeente.*", "*", "https://*gemeente.nl", "intranet.gemeente.nl",
                                   "https://a.nl/pad"])
def test_f11_a_cors_entry_that_is_not_an_origin_stops_the_start(seeded_url: str, entry: str) -> None:
    with pytest.raises(ValueError, match="KENNISBANK_CORS_ORIGINS"):
        create_app({"DATABASE_URL": seeded_url, "CORS_ORIGINS": f"https://ok.example.org,{entry}"})


@pytest.mark.parametrize(("origin", "allowed"), [
    ("https://intranet.example.nl", True), ("https://a.gemeente.nl", True), ("https://a.b.gemeente.nl", True),
    ("https://xgemeente.nl.evil.com", False), ("https://a.gemeente.nl.evil.com", False), ("https://gemeente.nl", False),
    ("http://a.gemeente.nl", False), ("https://intranet.example.nl.evil.com", False)])
def test_f11_cors_origins_are_exact_or_a_subdomain_wildcard(seeded_url: str, origin: str, allowed: bool) -> None:
    client = make_app(seeded_url, CORS_ORIGINS="https://intranet.example.nl,https://*.gemeente.nl").test_client()
    simple = client.get("/api/v1/municipalities?pageSize=1", headers={"Origin": origin})
    preflight = client.options("/api/v1/topics/x", headers={"Origin": origin,
                                                             "Access-Control-Request-Method": "DELETE"})
    for response in (simple, preflight):
        assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed


def test_f12_authenticated_answers_are_private_and_public_ones_revalidate(client: FlaskClient, api_keys: Keys) -> None:
    public = client.get(ANNA)
    assert public.headers["Cache-Control"] == "no-cache" and public.headers["ETag"]
    assert client.get(ANNA, headers={"If-None-Match": public.headers["ETag"]}).status_code == 304
    keyed = client.get(ANNA, headers=api_keys.headers("reader"))
    assert keyed.headers["Cache-Control"] == "private, no-cache"
    assert client.get(ANNA, headers={**api_keys.headers("reader"), "If-None-Match": keyed.headers["ETag"]}) \
        .status_code == 304
    for path, who in (("/api/v1/api-keys", "admin"), ("/api/v1/topics/radicalisation/history", "curator")):
        response = client.get(path, headers=api_keys.headers(who))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", path


def test_f13_invalid_params_are_capped_with_a_count_of_the_rest(client: FlaskClient) -> None:
    response = client.post("/api/v1/search", json={"serves": ["x"] * 200, "type": ["y"] * 30})
    body = response.get_json()
    assert response.status_code == 400
    assert len(body["invalidParams"]) == 50 and body["invalidParamsOmitted"] == 180
    assert "230 invalid parameters" in body["detail"]
    assert "invalidParamsOmitted" not in client.get("/api/v1/search?pageSize=0").get_json()


def test_f13_a_problems_instance_is_the_logged_request_id(client: FlaskClient,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kennisbank.access")
    mine = client.get("/api/v1/experts/nobody", headers={"X-Request-ID": "trace-f13"})
    assert mine.get_json()["instance"] == "trace-f13" == mine.headers["X-Request-ID"]
    generated = client.get("/api/v1/experts?pageSize=0")
    assert generated.get_json()["instance"] == generated.headers["X-Request-ID"]
    logged = {r.request_id for r in caplog.records if r.name == "kennisbank.access"}  # type: ignore[attr-defined]
    assert {"trace-f13", generated.headers["X-Request-ID"]} <= logged


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/x", "/relatief"])
def test_f14_source_and_contact_urls_are_http_only(api: Api, url: str) -> None:
    path = "/api/v1/topics/radicalisation"
    patch = api.client.patch(path, data=json.dumps({"sources": [{"url": url}]}), headers={
        **api.keys.headers("curator"), "Content-Type": MERGE_PATCH, "If-Match": api.etag(path)})
    assert names(patch) == {"sources.0.url"}
    expert = {"id": "url-demo", "name": "Url Demo", "kind": "team", "serves": ["NL"], "contact": {"url": url}}
    assert names(api.post("/api/v1/experts", expert)) == {"contact.url"}
    assert api.post("/api/v1/experts", {**expert, "contact": {"url": "https://example.org/team"}}).status_code == 201


def test_f15_links_never_use_a_host_header_sent_to_the_server(seeded_url: str) -> None:
    client = make_app(seeded_url).test_client()
    evil = {"Host": "evil.example.com"}
    for path in ("/api/v1", "/api/v1/experts?pageSize=1", "/api/v1/openapi.json", ANNA):
        response = client.get(path, headers=evil)
        assert response.status_code == 200 and b"evil.example.com" not in response.data, path
    assert client.get("/api/v1", headers=evil).get_json()["_links"]["self"]["href"].startswith("http://localhost/")


def test_f15_with_a_base_url_an_unknown_host_is_400(seeded_url: str) -> None:
    client = make_app(seeded_url, BASE_URL="https://kennisbank.example.org").test_client()
    refused = client.get("/api/v1/experts", headers={"Host": "evil.example.com"})
    assert names(refused) == {"Host"}
    for host in ("kennisbank.example.org", "KENNISBANK.example.org:443"):
        known = client.get("/api/v1", headers={"Host": host})
        assert known.status_code == 200, host
        assert known.get_json()["_links"]["self"]["href"].startswith("https://kennisbank.example.org/api/v1")
    assert client.get("/health/live", headers={"Host": "10.0.0.7:8000"}).status_code == 200
