"""Rate limits per key or client address, shared through Redis, and never in the way of health checks."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from api.ratelimit import RateLimits, ThreadSafeMemoryStorage
from tests.conftest import make_app
from tests.keys import Keys
from tests.live import free_port
from tests.required import require_service

REDIS_URL = os.environ.get("KENNISBANK_TEST_REDIS", "redis://127.0.0.1:6379/0")
LIMITS = {"RATE_LIMIT_ANONYMOUS": "3/minute", "RATE_LIMIT_AUTHENTICATED": "5/minute"}


def limited_app(url: str, **settings: str) -> Flask:
    return make_app(url, **{**LIMITS, **settings})


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A Redis key prefix of this test alone; its counters are removed afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
        problem = None
    except redis.RedisError as error:
        problem = f"not reachable ({error})"
    require_service(f"Redis at {REDIS_URL}", problem)
    prefix = f"kbtest-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_anonymous_callers_get_a_429_problem_with_retry_after(seeded_url: str) -> None:
    client = limited_app(seeded_url).test_client()
    remaining = []
    for _ in range(3):
        response = client.get("/api/v1/topics")
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert "Retry-After" not in response.headers
        remaining.append(int(response.headers["X-RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]
    refused = client.get("/api/v1/municipalities")  # one budget for the whole API, not per route
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    assert refused.get_json()["code"] == "too-many-requests"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Remaining"] == "0" and refused.headers["X-RateLimit-Reset"]
    assert refused.headers["API-Version"]


def test_keys_have_their_own_higher_budget_and_bad_keys_count_against_the_address(seeded_url: str,
                                                                                api_keys: Keys) -> None:
    client = limited_app(seeded_url).test_client()
    for _ in range(3):
        assert client.get("/api/v1/topics").status_code == 200
    assert client.get("/api/v1/topics").status_code == 429
    assert client.get("/api/v1/topics", headers={"Authorization": "Bearer kb_guess"}).status_code == 429
    statuses = [client.get("/api/v1/topics", headers=api_keys.headers("reader")).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert client.get("/api/v1/topics", headers=api_keys.headers("curator")).status_code == 200
    assert client.get("/api/v1/topics", headers=api_keys.headers("curator")).headers["X-RateLimit-Limit"] == "5"


def test_health_and_metrics_are_never_limited(seeded_url: str) -> None:
    client = limited_app(seeded_url).test_client()
    for _ in range(6):
        for path in ("/health/live", "/metrics"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "X-RateLimit-Limit" not in response.headers


def test_instances_share_their_counters_through_redis(seeded_url: str, redis_prefix: str) -> None:
    settings = {"REDIS_URL": REDIS_URL, "RATE_LIMIT_PREFIX": redis_prefix}
    first, second = limited_app(seeded_url, **settings), limited_app(seeded_url, **settings)
    statuses = [app.test_client().get("/api/v1/topics").status_code for app in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]
    assert any(redis_prefix in key.decode() for key in redis.Redis.from_url(REDIS_URL).scan_iter("*kbtest*"))


def test_with_redis_down_requests_are_still_served_and_limited_in_memory(seeded_url: str,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    client = limited_app(seeded_url, REDIS_URL="redis://127.0.0.1:1/0").test_client()
    statuses = [client.get("/api/v1/topics").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_memory_counters_with_several_workers_warn_at_start_up(seeded_url: str, caplog: pytest.LogCaptureFixture,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with caplog.at_level(logging.WARNING, logger="kennisbank.ratelimit"):
        make_app(seeded_url)
    assert "KENNISBANK_REDIS_URL" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kennisbank.ratelimit"):
        make_app(seeded_url, REDIS_URL=REDIS_URL)
    assert caplog.text == ""


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(seeded_url: str) -> None:
    """X-Forwarded-For is trusted only with KENNISBANK_PROXIES: otherwise a caller could pick a fresh address
    for every request and never be limited."""
    direct = limited_app(seeded_url).test_client()
    for n in range(3):
        assert direct.get("/api/v1/topics", headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code == 200
    assert direct.get("/api/v1/topics", headers={"X-Forwarded-For": "192.0.2.9"}).status_code == 429

    proxied = limited_app(seeded_url, PROXIES="1").test_client()
    for _ in range(3):
        assert proxied.get("/api/v1/topics", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert proxied.get("/api/v1/topics", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 429
    other = proxied.get("/api/v1/topics", headers={"X-Forwarded-For": "192.0.2.2"})
    assert other.status_code == 200, "another client behind the same proxy has its own budget"


def test_links_follow_the_proxy_scheme_and_host_only_when_trusted(seeded_url: str) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kennisbank.example.org"}
    proxied = make_app(seeded_url, PROXIES="1").test_client().get("/api/v1", headers=forwarded)
    assert proxied.get_json()["_links"]["self"]["href"].startswith("https://kennisbank.example.org/api/v1")
    direct = make_app(seeded_url).test_client().get("/api/v1", headers=forwarded)
    assert "kennisbank.example.org" not in direct.get_json()["_links"]["self"]["href"]


def test_in_process_counters_stay_sound_under_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """gthread workers count in one storage from several threads; limits' own MemoryStorage can start its expiry
    timer twice then, which crashed workers under load. Eight threads switching as often as possible must leave no
    error behind (the unpatched storage fails this in nearly every run)."""
    storage = ThreadSafeMemoryStorage()
    errors: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: errors.append(repr(unraisable.exc_value)))
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(repr(args.exc_value)))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    deadline = time.monotonic() + 2.0

    def count() -> None:
        for n in range(200_000):
            if time.monotonic() > deadline:
                return
            try:
                storage.incr(f"caller-{n % 7}", 0.001)
            except Exception as error:  # any error is the finding
                errors.append(repr(error))

    try:
        threads = [threading.Thread(target=count) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        time.sleep(0.05)  # the last expiry timer runs
    finally:
        sys.setswitchinterval(interval)
    assert errors == []


def test_counting_goes_back_to_redis_once_it_answers_again(caplog: pytest.LogCaptureFixture,
                                                           tmp_path: Path) -> None:
    """A real Redis server that is not there yet, then starts: the counts move from memory back to it."""
    server = shutil.which("redis-server")
    require_service("redis-server (Debian's redis-server package)", None if server else "not installed")
    port = free_port()
    prefix = f"kbtest-{uuid.uuid4().hex[:12]}"
    limits = RateLimits("3/minute", "5/minute", f"redis://127.0.0.1:{port}/0", prefix, recheck_s=0.2)
    with caplog.at_level(logging.INFO, logger="kennisbank.ratelimit"):
        first = limits.count("addr:192.0.2.7", False)
        assert first.allowed and first.remaining == 2 and limits.counting_in_memory
        assert "counting in process memory" in caplog.text
        process = subprocess.Popen([str(server), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", str(tmp_path)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            client = redis.Redis(port=port, socket_connect_timeout=0.5)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    client.ping()
                    break
                except redis.RedisError:
                    time.sleep(0.05)
            time.sleep(0.3)  # past recheck_s: the next request asks Redis again
            counted = [limits.count("addr:192.0.2.7", False) for _ in range(4)]
            assert not limits.counting_in_memory and "rate limit storage recovered" in caplog.text
            assert [c.allowed for c in counted] == [True, True, True, False], "Redis counts from zero"
            assert any(prefix in key.decode() for key in client.scan_iter("*"))
            client.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
