"""/metrics: Prometheus text with request counts and latency per route (the URL rule) and status."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
import requests
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from tests.ops.servers import Gunicorn


def samples(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def count(found: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return sum(v for (n, ls), v in found.items() if n == name and set(labels.items()) <= ls)


def test_requests_are_counted_per_route_rule_and_status(client: FlaskClient) -> None:
    before = samples(client)
    for code in ("GM0363", "GM0014", "GM0034"):
        assert client.get(f"/api/v1/municipalities/{code}").status_code == 200
    assert client.get("/api/v1/municipalities/GM9999").status_code == 404
    after = samples(client)
    route = "/api/v1/municipalities/{municipality_id}"
    total = "kennisbank_http_requests_total"
    assert count(after, total, route=route, status="200") - count(before, total, route=route, status="200") == 3
    assert count(after, total, route=route, status="404") - count(before, total, route=route, status="404") == 1
    histogram = "kennisbank_http_request_duration_seconds_count"
    assert count(after, histogram, route=route, method="GET", status="200") - count(
        before, histogram, route=route, method="GET", status="200") == 3
    assert count(after, "kennisbank_http_request_duration_seconds_bucket", route=route, le="+Inf") > 0


def test_raw_paths_never_become_labels(client: FlaskClient) -> None:
    client.get("/no/such/page/with-a-secret-looking-path")
    text = client.get("/metrics").get_data(as_text=True)
    assert "secret-looking" not in text
    assert re.search(r'kennisbank_http_requests_total\{method="GET",route="unmatched",status="404"\} \d', text)
    assert "GM0363" not in text


def test_metrics_need_no_key(client: FlaskClient) -> None:
    response = client.get("/metrics", headers={"Authorization": "Bearer kb_not-a-key"})
    assert response.status_code == 200
    assert "kennisbank_http_requests_in_progress" in response.get_data(as_text=True)


def _served_by(server: Gunicorn, request_ids: set[str]) -> dict[str, int]:
    return {r["request_id"]: r["pid"] for r in server.records()
            if r.get("logger") == "kennisbank.access" and r.get("request_id") in request_ids}


def _total(text: str, route: str) -> float:
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "kennisbank_http_requests_total" and s.labels.get("route") == route)


@pytest.mark.slow
def test_metrics_add_up_every_gunicorn_worker_and_survive_a_worker_restart(sqlite_catalogue: str) -> None:
    route = "/api/v1/safety-regions"
    with Gunicorn(sqlite_catalogue, workers=2) as server:
        sent: set[str] = set()
        deadline = time.monotonic() + 60
        while len(sent) < 300 and time.monotonic() < deadline:
            request_id = f"m-{len(sent)}"
            assert requests.get(f"{server.url}{route}", headers={"X-Request-ID": request_id, "Connection": "close"},
                                timeout=10).status_code == 200
            sent.add(request_id)
            if len(sent) >= 20 and len(set(_served_by(server, sent).values())) >= 2:
                break
        workers = set(_served_by(server, sent).values())
        assert len(workers) == 2, "both workers should have served requests"

        answers: dict[int, float] = {}
        for attempt in range(100):
            request_id = f"metrics-{attempt}"
            text = requests.get(f"{server.url}/metrics", headers={"X-Request-ID": request_id, "Connection": "close"},
                                timeout=10).text
            answers[_served_by(server, {request_id})[request_id]] = _total(text, route)
            if len(answers) == 2:
                break
        assert answers == {pid: len(sent) for pid in workers}, "every worker reports the sum of all workers"

        victim = next(iter(workers))
        booted = sum("Booting worker" in str(r.get("message")) for r in server.records())
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if sum("Booting worker" in str(r.get("message")) for r in server.records()) > booted:
                break
            time.sleep(0.2)
        for _ in range(4):
            text = requests.get(f"{server.url}/metrics", headers={"Connection": "close"}, timeout=10).text
            assert _total(text, route) == len(sent), "a dead worker's counts still count"
            in_progress = [s.value for f in text_string_to_metric_families(text) for s in f.samples
                           if s.name == "kennisbank_http_requests_in_progress"]
            assert in_progress == [1.0], "only the /metrics request itself is in progress"
