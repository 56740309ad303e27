"""Scale-out: two gunicorn instances on different ports against one PostgreSQL and one Redis agree.

A write through one instance is visible through the other at once, both give the same ETag for the same
resource (so a client or cache may be sent to either), and the rate limit is one counter for both.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import requests

from tests.ops.servers import DedicatedDatabase, Gunicorn, create_key, dedicated_database

pytestmark = pytest.mark.slow
REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 20
WARM_REQUESTS = 6
BALANCER = {"Host": "kennisbank.example.org"}  # what a load balancer in front of both passes on


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[DedicatedDatabase, Gunicorn, Gunicorn]]:
    """Two instances behind no balancer: the test is the balancer."""
    settings = {"REDIS_URL": REDIS_URL, "RATE_LIMIT_AUTHENTICATED": f"{LIMIT}/minute",
                "RATE_LIMIT_PREFIX": f"kb-scale-{secrets.token_hex(4)}",
                "PROXIES": "1"}  # links take the Host the balancer passes on (a Host sent straight in is ignored)
    with dedicated_database() as database, Gunicorn(database.url, settings, workers=2) as one, \
            Gunicorn(database.url, settings, workers=2) as two:
        assert one.port != two.port
        yield database, one, two


def test_both_instances_are_ready_on_one_database_and_one_redis(cluster: tuple[DedicatedDatabase, Gunicorn,
                                                                               Gunicorn]) -> None:
    _, one, two = cluster
    for server in (one, two):
        ready = requests.get(f"{server.url}/health/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.parametrize("path", ["/api/v1/municipalities/GM0363", "/api/v1/municipalities/GM0363/support",
                                  "/api/v1/safety-regions?pageSize=5&sort=-name", "/api/v1/organisations/ess"])
def test_the_same_resource_has_the_same_etag_on_both(cluster: tuple[DedicatedDatabase, Gunicorn, Gunicorn],
                                                     path: str) -> None:
    _, one, two = cluster
    first = requests.get(f"{one.url}{path}", headers=BALANCER, timeout=10)
    second = requests.get(f"{two.url}{path}", headers=BALANCER, timeout=10)
    assert first.status_code == second.status_code == 200
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.content == second.content
    assert b"https://kennisbank.example.org/api/v1/" in first.content or b"http://kennisbank.example.org/" in \
        first.content
    cached = requests.get(f"{two.url}{path}", headers={**BALANCER, "If-None-Match": first.headers["ETag"]},
                          timeout=10)
    assert cached.status_code == 304


def test_a_write_through_one_is_visible_through_the_other_at_once(
        cluster: tuple[DedicatedDatabase, Gunicorn, Gunicorn]) -> None:
    database, one, two = cluster
    key = create_key(database.url, "curator", name="scale-out-writer")
    auth = {"Authorization": f"Bearer {key[1]}"}
    record_id = f"scale-out-{secrets.token_hex(4)}"
    created = requests.post(f"{one.url}/api/v1/organisations", headers=auth, timeout=10, json={
        "id": record_id, "name": "Schaaltest organisatie", "kind": "knowledge-institute", "scope": "national",
        "status": "published", "description": "Fictief record van de schaaltest.", "demo": True,
    })
    assert created.status_code == 201, created.text
    seen = requests.get(f"{two.url}/api/v1/organisations/{record_id}", timeout=10)
    assert seen.status_code == 200 and seen.json()["name"] == "Schaaltest organisatie"
    etag = seen.headers["ETag"]
    assert requests.get(f"{one.url}/api/v1/organisations/{record_id}", timeout=10).headers["ETag"] == etag

    changed = requests.patch(f"{two.url}/api/v1/organisations/{record_id}", timeout=10, data='{"name": "Hernoemd"}',
                             headers={**auth, "If-Match": etag, "Content-Type": "application/merge-patch+json"})
    assert changed.status_code == 200, changed.text
    after = requests.get(f"{one.url}/api/v1/organisations/{record_id}", timeout=10)
    assert after.json()["name"] == "Hernoemd" and after.headers["ETag"] != etag
    stale = requests.patch(f"{one.url}/api/v1/organisations/{record_id}", timeout=10, data='{"name": "Te laat"}',
                           headers={**auth, "If-Match": etag, "Content-Type": "application/merge-patch+json"})
    assert stale.status_code == 412, "the other instance's ETag check sees the write too"


def test_search_through_either_instance_finds_a_write_at_once(
        cluster: tuple[DedicatedDatabase, Gunicorn, Gunicorn]) -> None:
    """Each worker caches search results; a write through one instance must still show in the other's next search."""
    database, one, two = cluster
    key = create_key(database.url, "curator", name="scale-out-search")
    word = "schaalzoek" + secrets.token_hex(3)

    def hits(server: Gunicorn) -> list[str]:
        response = requests.get(f"{server.url}/api/v1/search", params={"q": word}, timeout=10)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    for _ in range(WARM_REQUESTS):  # every worker of both instances caches the empty answer
        assert hits(one) == [] and hits(two) == []
    record_id = f"scale-search-{secrets.token_hex(4)}"
    created = requests.post(f"{one.url}/api/v1/organisations", headers={"Authorization": f"Bearer {key[1]}"},
                            timeout=10, json={"id": record_id, "name": f"Zoektest {word}", "kind": "network",
                                              "scope": "national", "status": "published", "demo": True})
    assert created.status_code == 201, created.text
    for _ in range(WARM_REQUESTS):
        assert hits(two) == [record_id] and hits(one) == [record_id]


def test_every_cached_read_through_either_instance_shows_a_write_at_once(
        cluster: tuple[DedicatedDatabase, Gunicorn, Gunicorn]) -> None:
    """Each worker keeps encoded answers (the representation cache); a write through one instance must still
    show in the next item, list, support and search answer of every worker of both."""
    database, one, two = cluster
    key = create_key(database.url, "curator", name="scale-out-cache")
    auth = {"Authorization": f"Bearer {key[1]}"}
    record_id = f"scale-cache-{secrets.token_hex(4)}"
    created = requests.post(f"{one.url}/api/v1/organisations", headers=auth, timeout=10, json={
        "id": record_id, "name": "Cachetest landelijk", "kind": "network", "scope": "national",
        "status": "published", "demo": True})
    assert created.status_code == 201, created.text
    paths = [f"/api/v1/organisations/{record_id}", "/api/v1/organisations?scope=national&pageSize=100",
             "/api/v1/municipalities/GM0363/support", "/api/v1/search?q=cachetest"]

    def names(server: Gunicorn) -> str:
        answers = [requests.get(f"{server.url}{path}", timeout=10) for path in paths]
        assert [a.status_code for a in answers] == [200] * len(paths)
        return " ".join(a.text for a in answers)

    for _ in range(WARM_REQUESTS):  # every worker of both instances caches every answer
        assert "Hernoemde cachetest" not in names(one) + names(two)
    etag = requests.get(f"{one.url}{paths[0]}", timeout=10).headers["ETag"]
    changed = requests.patch(f"{one.url}{paths[0]}", timeout=10, data='{"name": "Hernoemde cachetest"}',
                             headers={**auth, "If-Match": etag, "Content-Type": "application/merge-patch+json"})
    assert changed.status_code == 200, changed.text
    for _ in range(WARM_REQUESTS):
        for server in (two, one):
            text = names(server)
            assert text.count("Hernoemde cachetest") >= len(paths), text[:500]
            assert "Cachetest landelijk" not in text


def test_the_rate_limit_is_one_counter_for_both_instances(
        cluster: tuple[DedicatedDatabase, Gunicorn, Gunicorn]) -> None:
    database, one, two = cluster
    key = create_key(database.url, "reader", name="scale-out-reader")
    auth = {"Authorization": f"Bearer {key[1]}"}
    statuses = []
    for attempt in range(LIMIT + 10):
        server = one if attempt % 2 == 0 else two
        response = requests.get(f"{server.url}/api/v1/topics?pageSize=1", headers=auth, timeout=10)
        statuses.append(response.status_code)
        if response.status_code == 200:
            assert int(response.headers["X-RateLimit-Remaining"]) == LIMIT - statuses.count(200)
        else:
            assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert statuses.count(200) == LIMIT, statuses
    assert statuses[LIMIT:] == [429] * 10
