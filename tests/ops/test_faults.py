"""Faults on a live gunicorn server: the database goes away and comes back; Redis is gone.

The database outage is real: the app's own login role and database on the PostgreSQL test server are
closed (`ALTER ROLE … NOLOGIN`, `ALTER DATABASE … ALLOW_CONNECTIONS false`) and every open connection is
terminated, as when the server restarts or fails over.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests

from tests.live import free_port
from tests.ops.servers import Gunicorn, create_key, dedicated_database

pytestmark = pytest.mark.slow
FAST_S = 1.0
RECOVERY_S = 5.0


def get_paths(base: str) -> list[str]:
    """Every GET operation of the OpenAPI document, with path parameters filled from the live catalogue."""
    document = requests.get(f"{base}/api/v1/openapi.json", timeout=10).json()
    paths = []
    for relative, item in document["paths"].items():
        if "get" not in item:
            continue
        template = relative if relative.startswith("/api/v1") else f"/api/v1{relative.rstrip('/')}"
        if "{" not in template:
            paths.append(template)
            continue
        collection = template.split("/{", 1)[0]
        listing = requests.get(f"{base}{collection}?pageSize=1", timeout=10)
        items = listing.json().get("items") if listing.ok else None
        if items:
            paths.append(re.sub(r"\{[^}]+\}", items[0]["id"], template))
    return paths


def timed_get(url: str, headers: dict[str, str] | None = None) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, headers=headers or {}, timeout=10)
    return response, time.monotonic() - started


def assert_unavailable(response: requests.Response, elapsed: float, what: str) -> None:
    assert response.status_code == 503, (what, response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("application/problem+json"), what
    assert response.headers["Retry-After"].isdigit(), what
    body: dict[str, Any] = response.json()
    assert body["status"] == 503 and body["code"] in ("unavailable", "not-ready"), what
    assert "psycopg" not in response.text and "SELECT" not in response.text, what
    assert elapsed < FAST_S, f"{what} took {elapsed:.2f}s"


def test_database_outage_answers_fast_503s_and_recovers_by_itself() -> None:
    with dedicated_database() as database:
        key = create_key(database.url, "curator")
        with Gunicorn(database.url, workers=2) as server:
            base = server.url
            paths = get_paths(base)
            answers = {p: requests.get(f"{base}{p}", timeout=30) for p in paths}
            before = {p: response.status_code for p, response in answers.items()}
            assert max(before.values()) < 500, before
            collections = [p for p, r in answers.items() if r.status_code == 200 and
                           r.headers["Content-Type"].startswith("application/json") and "items" in r.json()]
            assert len(collections) >= 8, collections
            keyed = {"Authorization": f"Bearer {key[1]}"}

            database.outage()
            try:
                for round_ in range(2):  # twice, so both workers and every pooled connection meet the outage
                    for path in paths:
                        response, elapsed = timed_get(f"{base}{path}")
                        if path in collections or response.status_code != before[path]:
                            assert_unavailable(response, elapsed, f"GET {path} (round {round_})")
                        else:  # needs no database: the root, the spec, a refusal of an anonymous caller
                            assert elapsed < FAST_S
                        if not path.startswith(("/api/v1/openapi.json", "/api/v1/docs")):
                            response, elapsed = timed_get(f"{base}{path}", keyed)
                            assert_unavailable(response, elapsed, f"GET {path} with a key")
                started = time.monotonic()
                posted = requests.post(f"{base}/api/v1/search", json={"q": "radicalisering"}, timeout=10)
                assert_unavailable(posted, time.monotonic() - started, "POST /api/v1/search")
                ready, elapsed = timed_get(f"{base}/health/ready")
                assert_unavailable(ready, elapsed, "/health/ready")
                assert requests.get(f"{base}/health/live", timeout=5).status_code == 200
            finally:
                database.restore()

            restored = time.monotonic()
            pending = set(paths)
            while pending and time.monotonic() - restored < 3 * RECOVERY_S:
                pending = {p for p in pending if requests.get(f"{base}{p}", timeout=10).status_code != before[p]}
                if pending:
                    time.sleep(0.1)
            recovered_in = time.monotonic() - restored
            assert not pending, f"still failing after {recovered_in:.1f}s: {sorted(pending)}"
            assert recovered_in < RECOVERY_S
            assert requests.get(f"{base}/health/ready", timeout=5).status_code == 200
            errors = [r for r in server.records() if r.get("level") in ("ERROR", "CRITICAL")]
            assert errors == [], errors[:3]


def test_api_keeps_serving_when_redis_is_gone(sqlite_catalogue: str) -> None:
    """Rate limits fall back to counting in process memory (api/ratelimit.py) and the API keeps answering."""
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    settings = {"REDIS_URL": dead_redis, "RATE_LIMIT_ANONYMOUS": "20/minute"}
    with Gunicorn(sqlite_catalogue, settings, workers=1, ready_path="/health/live") as server:
        for path in ("/api/v1/municipalities?q=den%20bosch", "/api/v1/municipalities/GM0363", "/api/v1/experts",
                     "/api/v1/search?q=polarisatie", "/api/v1/municipalities/GM0363/support"):
            response, elapsed = timed_get(f"{server.url}{path}")
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
            assert elapsed < FAST_S, f"{path} took {elapsed:.2f}s with Redis gone"
            assert response.headers["X-RateLimit-Limit"] == "20"
        answers = []
        for _ in range(25):  # limits still hold, counted by this process alone
            response, elapsed = timed_get(f"{server.url}/api/v1/topics")
            answers.append((response.status_code, elapsed))
            if response.status_code == 429:
                assert response.headers["Retry-After"].isdigit()
                break
        assert answers[-1][0] == 429 and {status for status, _ in answers[:-1]} == {200}, answers
        assert all(elapsed < FAST_S for _, elapsed in answers)
        ready, _ = timed_get(f"{server.url}/health/ready")
        assert ready.status_code == 503 and "redis unreachable" in ready.json()["detail"]
        assert requests.get(f"{server.url}/health/live", timeout=5).status_code == 200
        assert not [r for r in server.records() if r.get("level") in ("ERROR", "CRITICAL")]
