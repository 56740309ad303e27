"""PostgreSQL connections that die under a request (F8 of the 2026-12 security review).

A connection can be cut at any moment: a server restart, a fail-over, an administrator's
`pg_terminate_backend`. The promise (README, "When the database drops connections"): the request answers
a 503 problem with Retry-After (or succeeds on a fresh connection), never a 500; the failed session is
discarded; the next request gets a fresh connection.

The first tests cut one request's connection at an exact point, in process (the Flask test client on a
real PostgreSQL database): while the rate limiter looks up the API key, and between the response and the
teardown. The chaos test cuts every connection of the database again and again while a real gunicorn
serves concurrent reads and writes, and counts statuses. SQLite has no connections to cut.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
import requests
from flask import Flask
from sqlalchemy import event, text

from api.sessions import db
from tests.conftest import TEST_RATE_LIMITS, make_app
from tests.databases import PG_HOST
from tests.keys import Keys, make_keys
from tests.ops.servers import DedicatedDatabase, Gunicorn, dedicated_database

pytestmark = pytest.mark.slow
EXPERT = "/api/v1/experts/demo-anna-voorbeeld"
WAIT_S = 2.0


def terminate(pid: int) -> None:
    """Terminate one backend and wait (bounded) until it is gone."""
    with psycopg.connect(PG_HOST, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone() is None:
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} still there after {WAIT_S}s")


@pytest.fixture(scope="module")
def database() -> Iterator[tuple[DedicatedDatabase, Keys]]:
    """A seeded PostgreSQL database with its own login role, and keys in it."""
    with dedicated_database() as dedicated:
        yield dedicated, make_keys(dedicated.url)


@pytest.fixture
def app(database: tuple[DedicatedDatabase, Keys]) -> Iterator[Flask]:
    application = make_app(database[0].url)
    yield application
    application.extensions["kennisbank_db"].dispose()


@contextmanager
def cutting(app: Flask, needle: str, times: int) -> Iterator[list[int]]:
    """Terminate the connection just before each of the next `times` statements that mention `needle`."""
    cut: list[int] = []

    def before(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if needle in statement and len(cut) < times:
            cut.append(cursor.connection.info.backend_pid)
            terminate(cut[-1])

    engine = app.extensions["kennisbank_db"].engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield cut
    finally:
        event.remove(engine, "before_cursor_execute", before)


def assert_503(response: Any) -> None:
    assert response.status_code == 503, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["code"] == "unavailable"


def test_f8_key_lookup_on_a_dead_connection_answers_503_and_the_next_request_gets_a_fresh_one(
    app: Flask, database: tuple[DedicatedDatabase, Keys]
) -> None:
    """The rate limiter asks who the caller is first; it used to swallow the error and leave the failed
    session to the authentication check, whose query then raised PendingRollbackError: a 500."""
    keys = database[1]
    client = app.test_client()
    with cutting(app, "api_keys", times=10) as cut:  # every attempt of this request meets a dead connection
        assert_503(client.get(EXPERT, headers=keys.headers("reader")))
    assert len(cut) >= 2, "the rate limiter and the authentication check each tried a connection"
    again = client.get(EXPERT, headers=keys.headers("reader"))
    assert again.status_code == 200 and again.get_json()["contact"]["email"], again.get_json()


def test_f8_one_dead_connection_during_the_key_lookup_is_replaced_within_the_request(
    app: Flask, database: tuple[DedicatedDatabase, Keys]
) -> None:
    """Only the rate limiter's lookup meets the dead connection: the session is discarded, and the
    authentication check's lookup runs on a fresh connection, so the request is served."""
    keys = database[1]
    with cutting(app, "api_keys", times=1) as cut:
        response = app.test_client().get(EXPERT, headers=keys.headers("reader"))
    assert len(cut) == 1
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["contact"]["email"], "served as the reader the key belongs to"


def test_a_cached_read_whose_stamp_connection_died_is_served_from_a_fresh_one(app: Flask) -> None:
    """The catalogue's stamp is read on unpinged autocommit connections (one round trip per cached GET): a
    connection the server dropped while it sat in the pool fails once, and the read is retried at once."""
    client = app.test_client()
    assert client.get(EXPERT).status_code == 200  # the stamp connection now waits in the pool
    stamp_engine = app.extensions["kennisbank_db"].stamp_engine
    assert stamp_engine is not app.extensions["kennisbank_db"].engine
    with stamp_engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    terminate(pid)
    again = client.get(EXPERT)
    assert again.status_code == 200, again.get_data(as_text=True)[:300]
    with stamp_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid


def test_f8_a_connection_cut_before_the_teardown_never_fails_the_finished_request(app: Flask) -> None:
    """The teardown's ROLLBACK on a dead connection raised out of Flask, and gunicorn answered a bare 500."""
    cut: list[int] = []

    @app.after_request
    def cut_the_connection(response: Any) -> Any:
        if not cut:
            cut.append(db().execute(text("SELECT pg_backend_pid()")).scalar_one())
            terminate(cut[0])
        return response

    client = app.test_client()
    response = client.get(EXPERT)
    assert cut and response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["id"] == "demo-anna-voorbeeld"
    assert client.get(EXPERT).status_code == 200
    with psycopg.connect(PG_HOST, autocommit=True) as admin:
        assert admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (cut[0],)).fetchone() is None


@dataclass
class Load:
    """Concurrent callers of a live server; every answer's status is counted, 5xx answers kept."""

    base: str
    keys: Keys
    statuses: Counter[int] = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self) -> list[Callable[[requests.Session], requests.Response]]:
        base, keys = self.base, self.keys
        star = {**keys.headers("curator"), "If-Match": "*", "Content-Type": "application/merge-patch+json"}
        return [
            lambda s: s.get(f"{base}{EXPERT}", timeout=10),
            lambda s: s.get(f"{base}{EXPERT}", headers=keys.headers("reader"), timeout=10),
            lambda s: s.get(f"{base}/api/v1/search?q=radicalisering", timeout=10),
            lambda s: s.get(f"{base}/api/v1/experts?pageSize=5", headers=keys.headers("curator"), timeout=10),
            lambda s: s.get(f"{base}/api/v1/municipalities/GM0363/support", timeout=10),
            lambda s: s.patch(f"{base}/api/v1/topics/lone-actors", data='{"description": "Chaos"}', headers=star,
                              timeout=10),
        ]

    def run(self, worker: int, until: float, limit: int) -> None:
        calls = self.calls()
        with requests.Session() as session:
            for number in range(limit):
                if time.monotonic() > until:
                    return
                response = calls[(worker + number) % len(calls)](session)
                with self.lock:
                    self.statuses[response.status_code] += 1
                    if response.status_code >= 500 and not (
                        response.status_code == 503 and response.headers.get("Retry-After", "").isdigit()
                        and response.headers.get("Content-Type", "").startswith("application/problem+json")
                    ):
                        self.bad.append(f"{response.request.method} {response.url} {response.status_code} "
                                        f"{response.text[:200]}")


def terminate_all(database: DedicatedDatabase) -> int:
    """Terminate every backend of the test database (the app's connections); how many there were."""
    with psycopg.connect(PG_HOST, autocommit=True) as admin:
        return len(admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database.name,)).fetchall())


CALLERS = 6
CHAOS_S = 12.0
KILLS = 12


def test_f8_chaos_terminated_connections_under_concurrent_load_give_no_500_and_the_service_recovers(
    database: tuple[DedicatedDatabase, Keys]
) -> None:
    dedicated, keys = database
    # Limits no caller reaches: the test is about connections, and a 429 would hide whether a call was served.
    with Gunicorn(dedicated.url, TEST_RATE_LIMITS, workers=2) as server:
        load = Load(server.url, keys)
        until = time.monotonic() + CHAOS_S
        callers = [threading.Thread(target=load.run, args=(n, until, 5000)) for n in range(CALLERS)]
        for caller in callers:
            caller.start()
        killed = []
        for _ in range(KILLS):  # bounded: KILLS rounds, one every CHAOS_S / KILLS seconds
            time.sleep(CHAOS_S / KILLS)
            killed.append(terminate_all(dedicated))
        for caller in callers:
            caller.join(timeout=CHAOS_S + 30)
        assert sum(killed) >= KILLS, f"too few connections were cut to test anything: {killed}"
        assert load.bad == [], f"{len(load.bad)} bad answers of {sum(load.statuses.values())}: {load.bad[:5]}"
        assert set(load.statuses) <= {200, 503}, load.statuses
        assert load.statuses[200] > 10 * CALLERS, load.statuses

        after = Load(server.url, keys)  # recovery: every kind of call succeeds again at once
        after.run(0, time.monotonic() + 10, len(after.calls()) * 2)
        assert after.statuses == Counter({200: len(after.calls()) * 2}), (after.statuses, after.bad)
        assert "Error handling request" not in server.output(), "gunicorn answered a request itself"
        errors = [r for r in server.records() if r.get("level") in ("ERROR", "CRITICAL")]
        assert errors == [], errors[:3]
        print(f"chaos: {dict(load.statuses)} answers, connections cut per round {killed}")
