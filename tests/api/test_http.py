"""Headers and errors every response carries, inside and outside the API."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from api import record_dumps
from api.config import API_VERSION
from api.representation_cache import cache_of


@pytest.mark.parametrize(
    "url", ["/api/v1", "/api/v1/municipalities", "/api/v1/nope", "/elsewhere", "/api/v1/experts?page=0"]
)
def test_every_response_has_version_request_id_and_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["API-Version"] == API_VERSION
    assert response.headers["X-Request-ID"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_request_id_is_echoed_or_generated(client: FlaskClient) -> None:
    assert client.get("/api/v1", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    generated = client.get("/api/v1", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 36


def test_etag_and_if_none_match_give_304(client: FlaskClient) -> None:
    first = client.get("/api/v1/municipalities/GM0014")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/municipalities/GM0014", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["API-Version"] == API_VERSION
    other = client.get("/api/v1/municipalities/GM0034", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_paths_outside_the_api_get_a_json_404(client: FlaskClient) -> None:
    response = client.get("/wp-admin.php")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "/api/v1" in response.get_json()["detail"]


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/api/v1/safety-regions/VR01")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_root_links_to_every_collection_docs_and_spec(client: FlaskClient) -> None:
    body = client.get("/api/v1").get_json()
    links = body["_links"]
    for name in ("municipalities", "safety-regions", "police-units", "safety-houses", "organisations", "experts",
                 "approaches", "topics", "docs", "openapi"):
        assert client.get(links[name]["href"].replace("http://localhost", "")).status_code == 200, name


def test_no_stack_trace_or_sql_on_internal_errors(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import api.queries.municipalities as queries

    def explode(*_args: object) -> None:
        raise RuntimeError("SELECT secret FROM /srv/app/api/queries.py line 42")

    monkeypatch.setattr(queries, "get_one", explode)
    for cache in (cache_of(client.application), record_dumps.cache_of(client.application)):
        if cache is not None:  # an earlier test's answer or record dump would be served without running the query
            cache.clear()
    response = client.get("/api/v1/municipalities/GM0014")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert "SELECT" not in text and "Traceback" not in text and ".py" not in text
