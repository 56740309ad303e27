"""The representation cache answers repeated GETs without the view, and never serves a stale or foreign answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from prometheus_client import REGISTRY

from api import catalogue, validation
from api.database import Database
from api.representation_cache import cache_of
from api.services import loading
from tests.conftest import SEED, make_app
from tests.keys import Keys
from tests.writes import Api

PUBLIC_GETS = [
    "/api/v1", "/api/v1/organisations/ess", "/api/v1/experts?pageSize=5&sort=name", "/api/v1/topics",
    "/api/v1/municipalities/GM0363/support?limit=3", "/api/v1/search?q=radicalisering%20training",
    "/api/v1/municipalities/GM0796", "/api/v1/approaches?sizeClass=small&topic=polarisation",
]
ORIGIN = "https://intranet.gemeente.example"
VOLATILE = {"X-Request-ID", "X-RateLimit-Reset", "X-RateLimit-Remaining", "Date"}


def stable(headers: Any) -> list[tuple[str, str]]:
    """The headers that must not differ between two answers (in any order)."""
    return sorted((k, v) for k, v in headers if k not in VOLATILE)


def counted(result: str) -> float:
    return REGISTRY.get_sample_value("kennisbank_representation_cache_total", {"result": result}) or 0.0


@pytest.fixture
def app(fresh_url: str) -> Iterator[Flask]:
    application = make_app(fresh_url)
    yield application
    application.extensions["kennisbank_db"].dispose()


@pytest.fixture
def api(app: Flask, fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(app.test_client(), fresh_keys, fresh_url)


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_a_second_get_is_a_hit_with_the_same_body_etag_and_headers(api: Api, path: str) -> None:
    misses, hits = counted("miss"), counted("hit")
    first = api.get(path, "anonymous")
    second = api.get(path, "anonymous")
    assert first.status_code == second.status_code == 200
    assert (counted("miss") - misses, counted("hit") - hits) == (1, 1)
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert {k for k, _ in second.headers} == {k for k, _ in first.headers}
    assert stable(second.headers) == stable(first.headers)


def test_the_cache_changes_no_header_or_body(fresh_url: str, fresh_keys: Keys) -> None:
    """The same requests against an app without the cache give the same answers, header for header (CORS too)."""
    cors = {"CORS_ORIGINS": ORIGIN}
    api = Api(make_app(fresh_url, **cors).test_client(), fresh_keys, fresh_url)
    plain = make_app(fresh_url, REPRESENTATION_CACHE_BYTES="0", **cors).test_client()
    for path in PUBLIC_GETS:
        for who in ("anonymous", "reader", "curator"):
            api.get(path, who, Origin=ORIGIN)
            cached = api.get(path, who, Origin=ORIGIN)
            computed = plain.get(path, headers={**api.keys.headers(who), "Origin": ORIGIN})
            assert cached.headers["Access-Control-Allow-Origin"] == ORIGIN
            assert cached.data == computed.data, path
            assert stable(cached.headers) == stable(computed.headers), path


def test_if_none_match_is_a_304_from_the_cache(api: Api) -> None:
    path = "/api/v1/municipalities/GM0363/support"
    etag = api.get(path, "anonymous").headers["ETag"]
    hits = counted("hit")
    again = api.get(path, "anonymous", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert counted("hit") - hits == 1


def test_query_order_does_not_matter_but_values_do(api: Api) -> None:
    one = api.get("/api/v1/experts?pageSize=5&sort=name", "anonymous")
    hits = counted("hit")
    assert api.get("/api/v1/experts?sort=name&pageSize=5", "anonymous").headers["ETag"] == one.headers["ETag"]
    assert counted("hit") - hits == 1
    other = api.get("/api/v1/experts?pageSize=6&sort=name", "anonymous")
    assert len(other.get_json()["items"]) == 6 and counted("hit") - hits == 1


def test_a_curators_draft_is_never_served_to_anyone_else(api: Api) -> None:
    draft = {"id": "cache-concept", "name": "Conceptnetwerk", "kind": "network", "scope": "national", "status": "draft"}
    assert api.post("/api/v1/organisations", draft).status_code == 201
    list_path = "/api/v1/organisations?pageSize=100"
    for _ in range(2):  # the curator's answer is cached first
        assert "cache-concept" in [o["id"] for o in api.get(list_path).get_json()["items"]]
        assert api.get("/api/v1/organisations/cache-concept").status_code == 200
    for who in ("anonymous", "reader", "anonymous"):
        assert "cache-concept" not in [o["id"] for o in api.get(list_path, who).get_json()["items"]]
        assert api.get("/api/v1/organisations/cache-concept", who).status_code == 404


def person_emails(experts: list[dict[str, Any]]) -> list[str | None]:
    return [e["contact"].get("email") for e in experts if e["kind"] == "person"]


def test_personal_data_cached_for_a_reader_never_reaches_anonymous_callers(api: Api) -> None:
    path = "/api/v1/experts?pageSize=100"
    for _ in range(2):
        assert any(person_emails(api.get(path, "reader").get_json()["items"]))
    for _ in range(2):
        assert not any(person_emails(api.get(path, "anonymous").get_json()["items"]))


def test_a_bad_key_is_still_a_401_on_a_cached_answer(api: Api) -> None:
    path = "/api/v1/organisations/ess"
    assert api.get(path, "curator").status_code == 200 and api.get(path, "curator").status_code == 200
    for who in ("revoked", "expired"):
        refused = api.get(path, who)
        assert refused.status_code == 401 and "WWW-Authenticate" in refused.headers


def test_the_rate_limit_counts_cached_answers(fresh_url: str) -> None:
    client = make_app(fresh_url, RATE_LIMIT_ANONYMOUS="3/minute").test_client()
    statuses = [client.get("/api/v1/topics").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def refreshed(api: Api, path: str, who: str = "anonymous") -> Any:
    """Cache the answer (twice, so the second is a hit), then let `change` run and GET it again."""
    api.get(path, who)
    return api.get(path, who).get_json()


def test_a_curated_write_is_seen_by_items_lists_search_and_support(api: Api) -> None:
    paths = {"item": "/api/v1/organisations/ess", "list": "/api/v1/organisations?q=ess",
             "search": "/api/v1/search?q=ess&type=organisation", "support": "/api/v1/municipalities/GM0363/support"}
    before = {name: refreshed(api, path) for name, path in paths.items()}
    assert "Hernoemd expertisecentrum" not in str(before)
    etag = api.etag(paths["item"])
    assert api.patch(paths["item"], {"name": "Hernoemd expertisecentrum"}, etag).status_code == 200
    for name, path in paths.items():
        assert "Hernoemd expertisecentrum" in str(api.get(path, "anonymous").get_json()), name


def test_a_policy_write_is_seen_at_once(api: Api) -> None:
    path = "/api/v1/municipalities/GM0363"
    assert refreshed(api, path)["policy"]["status"] == "unknown"
    policy_path = f"{path}/policy"
    policy = {"status": "adopted", "url": "https://example.org/beleid", "sharesKnowledge": True}
    assert api.put(policy_path, policy, api.etag(policy_path)).status_code == 200
    assert api.get(path, "anonymous").get_json()["policy"]["status"] == "adopted"
    assert api.get(f"{path}/support", "anonymous").get_json()["municipality"]["policy"]["status"] == "adopted"


def test_archiving_is_seen_at_once(api: Api) -> None:
    path = "/api/v1/organisations/ess"
    assert refreshed(api, path)["id"] == "ess"
    assert api.delete(path, api.etag(path)).status_code in (200, 204)
    assert api.get(path, "anonymous").status_code == 404


def test_erasing_personal_data_is_seen_at_once_also_in_the_history(api: Api) -> None:
    expert = "/api/v1/experts/test-cache-persoon"
    created = api.post("/api/v1/experts", {
        "id": "test-cache-persoon", "name": "Cache Persoon (test)", "kind": "person", "organisation": "ess",
        "topics": ["polarisation"], "serves": ["GM0363"], "status": "published",
        "contact": {"email": "cache-persoon@example.org"}})
    assert created.status_code == 201
    assert api.patch(expert, {"contact": {"email": None}}, api.etag(expert)).status_code == 200
    assert "cache-persoon@example.org" in str(refreshed(api, f"{expert}/history", "curator"))
    # the record has no email left, so only the old revision changes: the erasure must still invalidate
    assert api.delete(f"{expert}/personal-data", who="admin").status_code in (200, 204)
    assert "cache-persoon@example.org" not in str(api.get(f"{expert}/history").get_json())


def test_a_seed_or_import_through_another_process_is_seen_at_once(api: Api, fresh_url: str) -> None:
    path = "/api/v1/topics/lone-actors"
    assert refreshed(api, path)["label"] != "Eenlingen (geïmporteerd)"
    database = Database(fresh_url)
    with database.transaction() as session:
        records = validation.validate_batch(session, catalogue.read_seed_dir(SEED, include_demo=True))
        records = [(c, {**d, "label": "Eenlingen (geïmporteerd)"} if c.name == "topics" and d["id"] == "lone-actors"
                    else d) for c, d in records]
        loading.write_all(session, records, actor="import", force=True)
    database.dispose()
    assert api.get(path, "anonymous").get_json()["label"] == "Eenlingen (geïmporteerd)"


def test_the_cache_is_bounded_in_bytes(fresh_url: str) -> None:
    one = len(make_app(fresh_url).test_client().get("/api/v1/municipalities/GM0363/support?limit=1").data)
    budget = int(one * 2.5)  # room for two bundles, not six
    app = make_app(fresh_url, REPRESENTATION_CACHE_BYTES=str(budget))
    client = app.test_client()
    for code in ("GM0363", "GM0796", "GM0344", "GM0599", "GM0518", "GM0014"):
        assert client.get(f"/api/v1/municipalities/{code}/support?limit=1").status_code == 200
    cache = cache_of(app)
    assert cache is not None and 0 < cache.bytes <= budget and 1 <= len(cache.entries) < 6


def test_size_zero_switches_the_cache_off(fresh_url: str) -> None:
    app = make_app(fresh_url, REPRESENTATION_CACHE_BYTES="0")
    hits, misses = counted("hit"), counted("miss")
    client = app.test_client()
    assert client.get("/api/v1/topics").data == client.get("/api/v1/topics").data
    assert cache_of(app) is None and (counted("hit"), counted("miss")) == (hits, misses)


def test_metrics_show_hits_and_misses(api: Api) -> None:
    api.get("/api/v1/topics", "anonymous")
    api.get("/api/v1/topics", "anonymous")
    text = api.client.get("/metrics").get_data(as_text=True)
    assert 'kennisbank_representation_cache_total{result="hit"}' in text
    assert 'kennisbank_representation_cache_total{result="miss"}' in text


def test_a_key_only_answer_stays_uncacheable_for_http_caches_when_served_from_the_cache(api: Api) -> None:
    path = "/api/v1/organisations/ess/history"
    first, second = api.get(path), api.get(path)
    assert first.status_code == second.status_code == 200 and second.data == first.data
    assert first.headers["Cache-Control"] == second.headers["Cache-Control"] == "private, no-store"
