"""Structured logs: JSON lines, one access line per request, and never a secret or personal data."""

from __future__ import annotations

import json
import logging
import secrets

import pytest
import requests
from flask.testing import FlaskClient

from api.logging_setup import JsonFormatter, redact
from tests.ops.servers import Gunicorn, create_key


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Authorization: Bearer kb_AbC123xyz-_", "kb_AbC123xyz-_"),
        ("key kb_0123456789abcdefghij in a message", "kb_0123456789abcdefghij"),
        ("mail jan.jansen@example.org now", "jan.jansen@example.org"),
        ("bel 06-12345678 of +31 6 1234 5678", "12345678"),
        ("vast 020 123 4567", "123 4567"),
    ],
)
def test_redaction_removes_secrets_and_personal_data(text: str, gone: str) -> None:
    assert gone not in redact(text)


def test_redaction_keeps_ordinary_values() -> None:
    line = '{"time": "2026-11-29T10:00:00.123456+00:00", "duration_ms": 0.52, "request_id": "f3c1e0d2-..."}'
    assert redact(line) == line


def test_a_request_id_that_looks_like_a_key_or_phone_is_scrubbed_from_the_access_line(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    """The request id is the caller's text: the access line scrubs it like any line (api/logging_setup.py)."""
    caplog.set_level(logging.INFO, logger="kennisbank.access")
    for request_id in ("kb_abcdefghijkl", "0612345678"):
        assert client.get("/health/live", headers={"X-Request-ID": request_id}).status_code == 200
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "kennisbank.access"]
    assert [line["request_id"] for line in lines] == ["kb_[redacted]", "[phone]"]


def test_each_request_logs_one_json_access_line(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kennisbank.access")
    response = client.get("/api/v1/municipalities/GM0363?q=ignored", headers={"X-Request-ID": "trace-42"})
    assert response.status_code in (200, 400)
    records = [r for r in caplog.records if r.name == "kennisbank.access"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["level"] == "INFO" and line["logger"] == "kennisbank.access" and line["message"] == "request"
    assert line["request_id"] == "trace-42"
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/municipalities/{municipality_id}"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["key_id"] is None
    assert line["time"].startswith("20")
    assert "ignored" not in json.dumps(line)


def test_an_unmatched_path_logs_no_route_and_no_path(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kennisbank.access")
    secret_path = f"/users/{secrets.token_hex(8)}"
    assert client.get(secret_path).status_code == 404
    record = next(r for r in caplog.records if r.name == "kennisbank.access")
    line = JsonFormatter().format(record)
    assert json.loads(line)["route"] is None and json.loads(line)["status"] == 404
    assert secret_path not in line


@pytest.mark.slow
def test_live_server_logs_each_request_once_without_keys_queries_or_personal_data(writable_catalogue: str) -> None:
    key_id, secret = create_key(writable_catalogue, "curator")
    marker = f"geheimzoekterm{secrets.token_hex(4)}"
    email, phone = "jan.jansen@example.org", "06-12345678"
    with Gunicorn(writable_catalogue, workers=1) as server:
        session = requests.Session()
        keyed = session.get(f"{server.url}/api/v1/municipalities?pageSize=2",
                            headers={"X-Request-ID": "log-keyed", "Authorization": f"Bearer {secret}"}, timeout=10)
        body = {"q": f"{marker} {email} {phone}"}
        posted = session.post(f"{server.url}/api/v1/search", json=body, headers={"X-Request-ID": "log-post"},
                              timeout=10)
        anonymous = session.get(f"{server.url}/api/v1/experts?q={marker}", headers={"X-Request-ID": "log-anon"},
                                timeout=10)
        output = server.output()
        records = server.records()
    access = {r["request_id"]: r for r in records if r["logger"] == "kennisbank.access"}
    assert {"log-keyed", "log-post", "log-anon"} <= access.keys()
    assert sum(1 for r in records if r.get("request_id") == "log-keyed") == 1
    for request_id, response, method in (("log-keyed", keyed, "GET"), ("log-post", posted, "POST"),
                                         ("log-anon", anonymous, "GET")):
        line = access[request_id]
        assert line["method"] == method
        assert line["status"] == response.status_code
        assert line["route"] and line["route"].startswith("/api/v1/")
        assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0
        assert "key_id" in line and line["level"] == "INFO"
    assert access["log-keyed"]["route"] == "/api/v1/municipalities"
    assert keyed.status_code == 200
    assert access["log-keyed"]["key_id"] == key_id
    assert access["log-anon"]["key_id"] is None
    for forbidden in (secret, secret[3:], "Bearer", "Authorization", marker, email, phone):
        assert forbidden not in output, f"{forbidden!r} leaked into the logs"


@pytest.mark.slow
def test_f10_failed_writes_log_no_bodies_sql_parameters_keys_or_personal_data(fresh_url: str) -> None:
    """The review's repro: writes the database cannot store, sent with personal data, on both databases.

    Before the fix PostgreSQL answered 500 and the error log held SQLAlchemy's `[parameters: …]` (the whole row,
    the new key's hash); now the schemas refuse them (400), a clash is a 409, and none of it reaches the logs.
    """
    curator, admin = create_key(fresh_url, "curator"), create_key(fresh_url, "admin")
    assert curator and admin
    name, marker = "Jan Geheim Persoon", f"geheimeomschrijving{secrets.token_hex(4)}"
    email, phone = "jan.geheim@gemeente-voorbeeld.nl", "+31 6 1234 5678"
    expert = {"id": "sec-log-leak", "name": name, "kind": "person", "serves": ["NL"],
              "description": f"{marker}\u0000", "contact": {"email": email, "phone": phone}}
    with Gunicorn(fresh_url, workers=1) as server:
        def post(path: str, body: dict[str, object], secret: str) -> requests.Response:
            return requests.post(f"{server.url}/api/v1/{path}", json=body, timeout=10,
                                 headers={"Authorization": f"Bearer {secret}"})

        answers = [post("experts", expert, curator[1]).status_code,
                   post("experts", {**expert, "description": marker, "name": f"{name}\ud800"}, curator[1]).status_code,
                   post("api-keys", {"name": f"{name}\u0000", "role": "reader"}, admin[1]).status_code,
                   post("topics", {"id": "sec-log-clash", "label": "Radicalisering", "description": marker},
                        curator[1]).status_code]
        output = server.output()
    assert answers[:3] == [400, 400, 400] and answers[3] in (201, 409)
    assert "Traceback" not in output and "parameters" not in output
    for forbidden in (name, "Geheim", marker, email, "jan.geheim", "1234 5678", curator[1], admin[1]):
        assert forbidden not in output, f"{forbidden!r} leaked into the logs"
