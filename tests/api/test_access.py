"""Who may do what: API keys, roles and the access matrix over every route of the app."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.database import Database
from api.models import ApiKey
from api.models.base import utcnow
from tests.conftest import make_app
from tests.keys import Keys

VIEWERS = ("anonymous", "reader", "curator", "admin", "revoked", "expired")
ALLOWED = "allowed"  # got past the access check: neither 401 nor 403, and no server error

# Expected outcome per route class and viewer. A refused key (revoked, expired) is a 401 wherever keys count.
EXPECTED: dict[str, dict[str, int | str]] = {
    "open": dict.fromkeys(VIEWERS, ALLOWED),  # outside the versioned API, or the docs: keys are not looked at
    "public": {"anonymous": 200, "reader": 200, "curator": 200, "admin": 200, "revoked": 401, "expired": 401},
    "public-input": {"anonymous": ALLOWED, "reader": ALLOWED, "curator": ALLOWED, "admin": ALLOWED,
                     "revoked": 401, "expired": 401},  # a read that takes a body (POST /search)
    "curator": {"anonymous": 401, "reader": 403, "curator": ALLOWED, "admin": ALLOWED, "revoked": 401,
                "expired": 401},
    "admin": {"anonymous": 401, "reader": 403, "curator": 403, "admin": ALLOWED, "revoked": 401, "expired": 401},
}

WRITES = ("POST", "PUT", "PATCH", "DELETE")
CURATED = ("organisations", "experts", "approaches", "topics")

# Every (rule, method) of the app, classified. A route that is not here fails test_access_matrix: classify it.
ROUTES: dict[tuple[str, str], str] = {
    ("/api/v1", "GET"): "public",
    ("/api/v1/", "GET"): "public",
    ("/api/v1/changelog", "GET"): "open",
    ("/api/v1/openapi.json", "GET"): "open",
    ("/api/v1/docs", "GET"): "open",
    ("/health/live", "GET"): "open",
    ("/health/ready", "GET"): "open",
    ("/metrics", "GET"): "open",
    ("/widget", "GET"): "open",
    ("/static/<path:filename>", "GET"): "open",
    ("/swaggerui/<path:filename>", "GET"): "open",
    ("/api/v1/changes", "GET"): "public",
    ("/api/v1/export", "GET"): "public",
    ("/api/v1/search", "GET"): "public",
    ("/api/v1/search", "POST"): "public-input",
    ("/api/v1/municipalities/<string:municipality_id>/support", "GET"): "public",
    ("/api/v1/municipalities/<string:municipality_id>/policy", "GET"): "public",
    ("/api/v1/municipalities/<string:municipality_id>/policy", "PUT"): "curator",
    ("/api/v1/municipalities/<string:municipality_id>/policy", "PATCH"): "curator",
    ("/api/v1/safety-houses/<string:house_id>", "PUT"): "curator",
    ("/api/v1/safety-houses/<string:house_id>", "PATCH"): "curator",
    ("/api/v1/experts/<string:expert_id>/personal-data", "DELETE"): "admin",
    ("/api/v1/api-keys", "GET"): "admin",
    ("/api/v1/api-keys", "POST"): "admin",
    ("/api/v1/api-keys/<string:key_id>", "GET"): "admin",
    ("/api/v1/api-keys/<string:key_id>", "DELETE"): "admin",
}
ITEM_PARAM = {"municipalities": "municipality_id", "safety-regions": "region_id", "police-units": "unit_id",
              "safety-houses": "house_id", "organisations": "organisation_id", "experts": "expert_id",
              "approaches": "approach_id", "topics": "topic_id"}
for _collection, _param in ITEM_PARAM.items():
    ROUTES[(f"/api/v1/{_collection}", "GET")] = "public"
    ROUTES[(f"/api/v1/{_collection}/<string:{_param}>", "GET")] = "public"
    ROUTES[(f"/api/v1/{_collection}/<string:record_id>/history", "GET")] = "curator"
for _collection in CURATED:
    ROUTES[(f"/api/v1/{_collection}", "POST")] = "curator"
    for _method in ("PUT", "PATCH", "DELETE"):
        ROUTES[(f"/api/v1/{_collection}/<string:{ITEM_PARAM[_collection]}>", _method)] = "curator"

PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def sample_ids(client: FlaskClient) -> dict[str, str]:
    """A published id of every collection, read through the API."""
    ids = {}
    for collection in ITEM_PARAM:
        items = client.get(f"/api/v1/{collection}?pageSize=1&sort=id").get_json()["items"]
        ids[collection] = items[0]["id"]
    return ids


def url_of(rule: str, method: str, ids: dict[str, str]) -> str:
    """A concrete URL: real ids for reads; for writes ids that do not exist, so an allowed call changes nothing."""
    collection = rule.removeprefix("/api/v1/").split("/")[0]

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if method != "GET":
            return "gm9999" if name == "municipality_id" else "does-not-exist"
        if name == "filename":
            return "nothing.css"
        if name == "key_id":
            return "key-does-not-exist"
        if name == "municipality_id":
            return ids["municipalities"]
        return ids[collection]

    return PARAM.sub(value, rule)


def test_access_matrix(app: Flask, client: FlaskClient, api_keys: Keys) -> None:
    ids = sample_ids(client)
    rules = [(rule.rule, method) for rule in app.url_map.iter_rules()
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    unclassified = [route for route in rules if route not in ROUTES]
    assert unclassified == [], "classify these routes in ROUTES (tests/api/test_access.py)"
    wrong = []
    for rule, method in rules:
        url = url_of(rule, method, ids)
        for who in VIEWERS:
            response = client.open(url, method=method, headers=api_keys.headers(who))
            response.get_data()  # read (and so finish) streamed bodies such as the export
            response.close()
            expected = EXPECTED[ROUTES[(rule, method)]][who]
            status = response.status_code
            ok = (status not in (401, 403) and status < 500) if expected == ALLOWED else status == expected
            if not ok:
                wrong.append(f"{method} {url} as {who}: {status}, expected {expected}")
            if status == 401:
                assert response.headers["WWW-Authenticate"].startswith("Bearer"), url
                assert response.content_type == "application/problem+json"
    assert wrong == []


def test_curators_see_drafts_and_filter_by_status_others_do_not(client: FlaskClient, api_keys: Keys) -> None:
    for who in ("anonymous", "reader"):
        listed = client.get("/api/v1/experts?pageSize=100", headers=api_keys.headers(who)).get_json()["items"]
        assert {e["status"] for e in listed} == {"published"}
        assert client.get("/api/v1/experts?status=draft", headers=api_keys.headers(who)).status_code == 400
    drafts = client.get("/api/v1/experts?status=draft&pageSize=100", headers=api_keys.headers("curator"))
    assert drafts.status_code == 200
    items = drafts.get_json()["items"]
    assert items and {e["status"] for e in items} == {"draft"}
    draft_id = items[0]["id"]
    assert client.get(f"/api/v1/experts/{draft_id}").status_code == 404
    assert client.get(f"/api/v1/experts/{draft_id}", headers=api_keys.headers("reader")).status_code == 404
    assert client.get(f"/api/v1/experts/{draft_id}", headers=api_keys.headers("curator")).status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer kb_", "Basic dXNlcjpwYXNz", "kb_abc", "Bearer not-a-kb-key",
                                    "Bearer kb_" + "x" * 43])
def test_a_bad_authorization_header_is_401_even_on_public_reads(client: FlaskClient, header: str) -> None:
    response = client.get("/api/v1/municipalities/GM0363", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["code"] == "unauthorized"
    assert "kb_" + "x" * 43 not in response.get_data(as_text=True)


def test_revoked_and_expired_keys_say_why(client: FlaskClient, api_keys: Keys) -> None:
    revoked = client.get("/api/v1", headers=api_keys.headers("revoked")).get_json()
    expired = client.get("/api/v1", headers=api_keys.headers("expired")).get_json()
    assert "revoked" in revoked["detail"] and "expired" in expired["detail"]


def test_keys_are_stored_as_hashes_and_last_use_is_recorded_once_a_minute(fresh_url: str,
                                                                          fresh_keys: Keys) -> None:
    client = make_app(fresh_url).test_client()
    database = Database(fresh_url)
    digest = hashlib.sha256(fresh_keys.reader.encode()).hexdigest()
    with database.session() as session:
        stored = session.scalars(select(ApiKey).where(ApiKey.key_hash == digest)).one()
        assert stored.last_used_at is None
        assert fresh_keys.reader not in str([getattr(stored, c.key) for c in ApiKey.__table__.columns])
        key_id = stored.id
    assert client.get("/api/v1", headers=fresh_keys.headers("reader")).status_code == 200
    with database.session() as session:
        first = session.get(ApiKey, key_id).last_used_at
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    for _ in range(3):
        client.get("/api/v1", headers=fresh_keys.headers("reader"))
    with database.session() as session:
        assert session.get(ApiKey, key_id).last_used_at == first
        session.get(ApiKey, key_id).last_used_at = first - timedelta(minutes=5)
        session.commit()
    client.get("/api/v1", headers=fresh_keys.headers("reader"))
    with database.session() as session:
        assert session.get(ApiKey, key_id).last_used_at > first
    database.dispose()


def test_admins_create_list_and_revoke_keys(fresh_url: str, fresh_keys: Keys) -> None:
    client = make_app(fresh_url).test_client()
    admin = fresh_keys.headers("admin")
    created = client.post("/api/v1/api-keys", json={"name": "Intranet Utrecht", "role": "reader"}, headers=admin)
    assert created.status_code == 201
    body = created.get_json()
    secret = body["key"]
    assert secret.startswith("kb_") and len(secret) >= 43
    assert body["role"] == "reader" and body["active"] is True and body["createdBy"]
    assert created.headers["Location"].endswith(f"/api/v1/api-keys/{body['id']}")
    assert client.get("/api/v1/experts", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    listed = client.get("/api/v1/api-keys?pageSize=100", headers=admin)
    assert listed.status_code == 200
    assert secret not in listed.get_data(as_text=True)
    assert "keyHash" not in listed.get_data(as_text=True) and "key" not in listed.get_json()["items"][0]
    shown = client.get(f"/api/v1/api-keys/{body['id']}", headers=admin)
    assert shown.status_code == 200 and secret not in shown.get_data(as_text=True)

    assert client.delete(f"/api/v1/api-keys/{body['id']}", headers=admin).status_code == 204
    assert client.delete(f"/api/v1/api-keys/{body['id']}", headers=admin).status_code == 204
    refused = client.get("/api/v1/experts", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    inactive = client.get("/api/v1/api-keys?active=false&pageSize=100", headers=admin).get_json()["items"]
    assert body["id"] in {k["id"] for k in inactive}
    assert client.delete("/api/v1/api-keys/key-nope", headers=admin).status_code == 404


def test_key_input_is_validated_all_at_once(client: FlaskClient, api_keys: Keys) -> None:
    response = client.post("/api/v1/api-keys", json={"role": "owner", "expiresAt": "2001-01-01T00:00:00Z",
                                                     "extra": 1}, headers=api_keys.headers("admin"))
    assert response.status_code == 400
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert names == {"name", "role", "expiresAt", "extra"}


def test_cli_creates_and_revokes_keys(fresh_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from api.cli import main

    monkeypatch.setenv("KENNISBANK_DATABASE_URL", fresh_url)
    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "--name", "CLI test", "--role", "curator",
                                   "--expires", "2999-01-01"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("kb_")
    client = make_app(fresh_url).test_client()
    assert client.get("/api/v1/experts/nope/history", headers={"Authorization": f"Bearer {secret}"}).status_code == 404
    key_id = re.search(r"created API key (\S+)", created.stderr)[1]  # type: ignore[index]
    assert runner.invoke(main, ["keys", "revoke", key_id]).exit_code == 0
    assert client.get("/api/v1", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert runner.invoke(main, ["keys", "revoke", "key-nope"]).exit_code == 1
    assert runner.invoke(main, ["keys", "create", "--name", "x", "--role", "owner"]).exit_code != 0
    assert runner.invoke(main, ["keys", "create", "--name", "x", "--role", "reader",
                                "--expires", "2001-01-01"]).exit_code != 0


def test_keys_never_reach_the_logs(fresh_url: str, fresh_keys: Keys, caplog: pytest.LogCaptureFixture) -> None:
    client = make_app(fresh_url).test_client()
    with caplog.at_level(logging.DEBUG):
        created = client.post("/api/v1/api-keys", json={"name": "Logtest", "role": "reader"},
                              headers=fresh_keys.headers("admin"))
        secret = created.get_json()["key"]
        client.get("/api/v1/experts", headers={"Authorization": f"Bearer {secret}"})
        client.get("/api/v1/experts", headers={"Authorization": f"Bearer {secret}x"})
        client.get("/api/v1/experts/nope/history", headers=fresh_keys.headers("curator"))
    assert caplog.records
    logged = caplog.text + " ".join(str(record.__dict__) for record in caplog.records)
    for key in (secret, fresh_keys.admin, fresh_keys.curator):
        assert key not in logged and key[3:] not in logged
