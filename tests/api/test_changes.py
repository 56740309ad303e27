"""Mirrors keep up: the change feed (cursor, commit order, deletions) and the NDJSON export."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.database import Database
from api.models import Event
from api.services.changes import record_change
from tests.conftest import make_app
from tests.keys import Keys
from tests.writes import Api


@pytest.fixture
def api(fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(make_app(fresh_url).test_client(), fresh_keys, fresh_url)


def read_all(api: Api, since: str | None = None, who: str = "anonymous") -> tuple[list[dict[str, Any]], str]:
    """Every event after `since`, following `next`, and the cursor to poll with."""
    items: list[dict[str, Any]] = []
    url = "/api/v1/changes?pageSize=500" + (f"&since={since}" if since else "")
    while True:
        page = api.get(url, who).get_json()
        items += page["items"]
        if not page["items"]:
            return items, page["next"]
        url = page["_links"]["next"]["href"].replace("http://localhost", "")


def test_the_feed_starts_with_the_whole_published_catalogue(client: FlaskClient) -> None:
    first = client.get("/api/v1/changes?pageSize=3")
    assert first.status_code == 200
    body = first.get_json()
    assert [i["event"] for i in body["items"]] == ["created"] * 3
    assert body["next"] == body["items"][-1]["cursor"]
    assert not body["next"].isdigit()  # opaque
    assert body["items"][0]["record"]["_links"]["self"] == body["items"][0]["_links"]["self"]
    following = client.get(body["_links"]["next"]["href"].replace("http://localhost", "")).get_json()
    assert following["items"][0]["cursor"] not in {i["cursor"] for i in body["items"]}


def test_created_updated_and_deleted_in_commit_order(api: Api) -> None:
    _, cursor = read_all(api)
    assert read_all(api, cursor) == ([], cursor)  # nothing new: same cursor to poll with

    assert api.post("/api/v1/organisations", {"id": "concept", "name": "Concept", "kind": "network",
                                              "scope": "national"}).status_code == 201  # a draft: no event
    published = {"id": "nieuw-netwerk", "name": "Nieuw netwerk", "kind": "network", "scope": "national",
                  "status": "published"}
    assert api.post("/api/v1/organisations", published).status_code == 201
    path = "/api/v1/organisations/nieuw-netwerk"
    assert api.patch(path, {"description": "Beschreven"}, api.etag(path)).status_code == 200
    assert api.delete(path, api.etag(path)).status_code == 204
    concept = "/api/v1/organisations/concept"
    assert api.patch(concept, {"status": "published"}, api.etag(concept)).status_code == 200
    assert api.patch(concept, {"status": "draft"}, api.etag(concept)).status_code == 200

    events, after = read_all(api, cursor)
    assert [(e["id"], e["event"]) for e in events] == [
        ("nieuw-netwerk", "created"), ("nieuw-netwerk", "updated"), ("nieuw-netwerk", "deleted"),
        ("concept", "created"), ("concept", "deleted"),
    ]
    assert all(e["record"] is None for e in events)  # neither is in the published catalogue now
    assert after == events[-1]["cursor"]

    house = "/api/v1/safety-houses/vh-zeeland"
    assert api.patch(house, {"notes": "Nagekeken"}, api.etag(house)).status_code == 200
    (event,), _ = read_all(api, after)
    assert (event["collection"], event["event"]) == ("safety-houses", "updated")
    assert event["record"]["notes"] == "Nagekeken"
    assert event["_links"]["self"]["href"].endswith("/api/v1/safety-houses/vh-zeeland")


@pytest.mark.parametrize("cursor", ["12", "abc", "a2IxOng", "%%%", "a" * 100])
def test_a_cursor_the_feed_did_not_give_is_400(client: FlaskClient, cursor: str) -> None:
    response = client.get(f"/api/v1/changes?since={cursor}")
    assert response.status_code == 400
    assert response.get_json()["invalidParams"][0]["name"] == "since"


def test_event_numbers_follow_commit_order_under_concurrency(fresh_url: str, backend: str) -> None:
    """A writer that took its event number later cannot commit before an earlier one (else a mirror misses it)."""
    database = Database(fresh_url)
    first = database.session()
    first.begin()
    early = record_change(first, "topics", "jihadism", Event.UPDATED)
    first.flush()
    finished: list[str] = []

    def later_writer() -> None:
        with database.transaction() as second:
            record_change(second, "topics", "polarisation", Event.UPDATED)
        finished.append("second")

    thread = threading.Thread(target=later_writer)
    thread.start()
    time.sleep(0.5)
    finished.append("first")
    first.commit()
    thread.join(timeout=30)
    first.close()
    assert finished == ["first", "second"]  # the second writer waited for the first commit
    with database.session() as session:
        from sqlalchemy import select

        from api.models import Change

        seqs = dict(session.execute(select(Change.record_id, Change.seq).where(Change.seq >= early.seq)).all())
    assert seqs["jihadism"] < seqs["polarisation"]
    database.dispose()


def test_the_export_streams_every_published_record_as_ndjson(api: Api) -> None:
    response = api.get("/api/v1/export", "anonymous")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    counts: dict[str, int] = {}
    for line in lines:
        counts[line["collection"]] = counts.get(line["collection"], 0) + 1
        assert line["record"].get("status", "published") == "published"
    for collection, count in counts.items():
        assert count == api.get(f"/api/v1/{collection}?pageSize=1", "anonymous").get_json()["total"], collection
    assert len(counts) == 8
    expert = next(line["record"] for line in lines if line["record"]["id"] == "demo-anna-voorbeeld")
    assert expert["contact"]["email"] is None and expert["_links"]["self"]["href"].startswith("http")

    path = "/api/v1/approaches/nctv-versterkingsgelden"
    assert api.delete(path, api.etag(path)).status_code == 204
    after = api.get("/api/v1/export", "reader").get_data(as_text=True)
    assert "nctv-versterkingsgelden" not in after
    assert "anna-voorbeeld@example.org" in after
