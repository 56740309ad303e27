"""Answers the representation cache does not hold are built from kept record dumps (`api.record_dumps`): they
equal computed answers and never show a stale, foreign, draft or unredacted record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from prometheus_client import REGISTRY

from api import record_dumps
from tests.api.test_representation_cache import stable
from tests.conftest import make_app
from tests.keys import Keys
from tests.writes import Api

NO_ANSWERS_KEPT = {"REPRESENTATION_CACHE_BYTES": "0"}
NOTHING_KEPT = {**NO_ANSWERS_KEPT, "RECORD_CACHE_SIZE": "0"}
PATHS = [
    "/api/v1/organisations/ess", "/api/v1/experts/ess-adviseurs-gemeenten", "/api/v1/municipalities/GM0363",
    "/api/v1/safety-regions/VR13", "/api/v1/topics/polarisation", "/api/v1/experts?pageSize=50&sort=name",
    "/api/v1/approaches?sizeClass=small&topic=polarisation", "/api/v1/municipalities?sizeClass=small&pageSize=30",
    "/api/v1/experts?serves=GM0363", "/api/v1/municipalities/GM0363/support?limit=3",
    "/api/v1/municipalities/GM0957/support?topic=polarisation",
]
PERSON = {
    "id": "test-dump-persoon", "name": "Dump Persoon (test)", "kind": "person", "organisation": "ess",
    "topics": ["polarisation"], "serves": ["GM0363"], "status": "published",
    "contact": {"email": "dump-persoon@example.org", "phone": "+31 20 123 4567"},
}


def counted(result: str) -> float:
    return REGISTRY.get_sample_value("kennisbank_record_dumps_total", {"result": result}) or 0.0


@pytest.fixture
def apps(fresh_url: str) -> Iterator[tuple[Flask, Flask]]:
    """Two instances on one database, each keeping record dumps but no answers."""
    pair = (make_app(fresh_url, **NO_ANSWERS_KEPT), make_app(fresh_url, **NO_ANSWERS_KEPT))
    yield pair
    for app in pair:
        app.extensions["kennisbank_db"].dispose()


@pytest.fixture
def writer(apps: tuple[Flask, Flask], fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(apps[0].test_client(), fresh_keys, fresh_url)


@pytest.fixture
def reader(apps: tuple[Flask, Flask], fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(apps[1].test_client(), fresh_keys, fresh_url)


def test_answers_from_kept_dumps_equal_computed_ones_for_every_role(fresh_url: str, fresh_keys: Keys) -> None:
    kept = Api(make_app(fresh_url, **NO_ANSWERS_KEPT).test_client(), fresh_keys, fresh_url)
    computed = Api(make_app(fresh_url, **NOTHING_KEPT).test_client(), fresh_keys, fresh_url)
    assert kept.post("/api/v1/experts", PERSON).status_code == 201
    for path in [*PATHS, f"/api/v1/experts/{PERSON['id']}"]:
        for who in ("anonymous", "reader", "curator", "anonymous"):
            kept.get(path, who)
            from_dumps, fresh = kept.get(path, who), computed.get(path, who)
            assert from_dumps.status_code == fresh.status_code == 200, path
            assert from_dumps.data == fresh.data, (path, who)
            assert stable(from_dumps.headers) == stable(fresh.headers), (path, who)


def test_a_renamed_organisation_is_seen_at_once_in_every_record_showing_it_through_another_instance(
    writer: Api, reader: Api
) -> None:
    """The expert's own row does not change: its dump must still go, as every dump does on a write."""
    paths = ["/api/v1/experts/ess-adviseurs-gemeenten", "/api/v1/experts?organisation=ess",
             "/api/v1/municipalities/GM0363/support?limit=50", "/api/v1/approaches?pageSize=100"]
    for path in paths:
        for _ in range(2):
            assert "Hernoemd centrum" not in str(reader.get(path, "anonymous").get_json())
    etag = writer.etag("/api/v1/organisations/ess")
    assert writer.patch("/api/v1/organisations/ess", {"name": "Hernoemd centrum"}, etag).status_code == 200
    assert reader.get(paths[0], "anonymous").get_json()["organisation"]["name"] == "Hernoemd centrum"
    for path in paths[1:]:
        assert "Hernoemd centrum" in str(reader.get(path, "anonymous").get_json()), path


def test_a_topic_made_draft_leaves_anonymous_answers_whoever_read_first(writer: Api, reader: Api) -> None:
    expert = "/api/v1/experts/ess-adviseurs-gemeenten"
    topics = [t["id"] for t in reader.get(expert, "anonymous").get_json()["topics"]]
    assert topics, "the expert shows topics"
    etag = writer.etag(f"/api/v1/topics/{topics[0]}")
    assert writer.patch(f"/api/v1/topics/{topics[0]}", {"status": "draft"}, etag).status_code == 200
    for who in ("anonymous", "curator", "anonymous", "reader", "curator"):
        shown = [t["id"] for t in reader.get(expert, who).get_json()["topics"]]
        assert (topics[0] in shown) == (who == "curator"), who
        listed = reader.get("/api/v1/experts?pageSize=100", who).get_json()["items"]
        same = next(item for item in listed if item["id"] == "ess-adviseurs-gemeenten")
        assert (topics[0] in [t["id"] for t in same["topics"]]) == (who == "curator"), who


def test_a_draft_record_is_never_served_from_a_curators_dump(writer: Api, reader: Api) -> None:
    assert writer.post("/api/v1/experts", {**PERSON, "status": "draft"}).status_code == 201
    item = f"/api/v1/experts/{PERSON['id']}"
    for _ in range(2):
        assert reader.get(item, "curator").status_code == 200
    for who in ("anonymous", "reader"):
        assert reader.get(item, who).status_code == 404
        bundle = reader.get("/api/v1/municipalities/GM0363/support?limit=50", who).get_json()
        assert PERSON["id"] not in [e["id"] for e in bundle["experts"]]


def emails(body: Any) -> list[str | None]:
    """The person's email wherever it appears in an item, a page or a bundle."""
    found = body.get("items") or body.get("experts") or [body]
    return [e["contact"]["email"] for e in found if e["id"] == PERSON["id"]]


def test_redacting_for_anonymous_callers_never_reaches_the_kept_dump_and_back(writer: Api, reader: Api) -> None:
    assert writer.post("/api/v1/experts", PERSON).status_code == 201
    paths = [f"/api/v1/experts/{PERSON['id']}", "/api/v1/experts?serves=GM0363&pageSize=100",
             "/api/v1/municipalities/GM0363/support?limit=50"]
    for path in paths:
        for who in ("anonymous", "reader", "anonymous", "reader"):
            shown = emails(reader.get(path, who).get_json())
            assert shown == ([PERSON["contact"]["email"]] if who == "reader" else [None]), (path, who)


def test_links_follow_the_host_asked(reader: Api) -> None:
    path = "/api/v1/experts/ess-adviseurs-gemeenten"
    for host in ("http://one.example", "https://two.example", "http://one.example"):
        body = reader.client.get(path, base_url=host).get_json()
        assert body["_links"]["self"]["href"] == f"{host}/api/v1{path.removeprefix('/api/v1')}"
        assert body["organisation"]["_links"]["self"]["href"].startswith(f"{host}/api/v1/")


def test_dumps_are_bounded_in_records_and_answers_stay_whole(fresh_url: str) -> None:
    app = make_app(fresh_url, **NO_ANSWERS_KEPT, RECORD_CACHE_SIZE="5")
    client = app.test_client()
    full = make_app(fresh_url, **NOTHING_KEPT).test_client().get("/api/v1/municipalities?pageSize=40")
    for _ in range(2):
        assert client.get("/api/v1/municipalities?pageSize=40").data == full.data
    cache = record_dumps.cache_of(app)
    assert cache is not None and len(cache) == 5


def test_size_zero_keeps_nothing_and_counts_nothing(fresh_url: str) -> None:
    app = make_app(fresh_url, **NOTHING_KEPT)
    hits, misses = counted("hit"), counted("miss")
    client = app.test_client()
    assert client.get("/api/v1/experts").data == client.get("/api/v1/experts").data
    assert record_dumps.cache_of(app) is None and (counted("hit"), counted("miss")) == (hits, misses)


def test_metrics_count_records_shown_from_dumps_and_records_dumped(reader: Api) -> None:
    hits, misses = counted("hit"), counted("miss")
    reader.get("/api/v1/experts?pageSize=5", "anonymous")
    assert counted("miss") - misses == 5
    reader.get("/api/v1/experts?pageSize=5", "anonymous")
    assert (counted("hit") - hits, counted("miss") - misses) == (5, 5)
    text = reader.client.get("/metrics").get_data(as_text=True)
    assert 'kennisbank_record_dumps_total{result="hit"}' in text
