"""/health/live and /health/ready: what an orchestrator or load balancer sees, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_app
from tests.databases import temporary_database
from tests.live import free_port


def test_live_answers_without_touching_anything(client: FlaskClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "live"}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_when_database_answers_and_is_migrated(client: FlaskClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "redis": "not-configured"}}


def test_health_needs_no_key_and_is_not_part_of_the_versioned_api(client: FlaskClient, app: Flask) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert not any(path.startswith(("/health", "/metrics")) for path in document["paths"])
    assert client.get("/health/ready", headers={"Authorization": "Bearer kb_not-a-key"}).status_code == 200


def test_not_ready_until_migrated(backend: str, tmp_path: Path) -> None:
    with temporary_database(backend, tmp_path) as url:
        app = make_app(url)
        client = app.test_client()
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert response.headers["Retry-After"].isdigit()
        body = response.get_json()
        assert body["code"] == "not-ready" and "database migrations-pending" in body["detail"]
        assert client.get("/health/live").status_code == 200
        app.extensions["kennisbank_db"].dispose()


def test_not_ready_without_database_but_still_live(tmp_path: Path) -> None:
    closed = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing"
    for url in (closed, f"sqlite:///{tmp_path}/missing-folder/kb.db"):
        client = make_app(url).test_client()
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert "database unreachable" in response.get_json()["detail"]
        assert "127.0.0.1" not in response.get_data(as_text=True)
        assert client.get("/health/live").status_code == 200


def test_not_ready_when_configured_redis_is_gone(seeded_url: str) -> None:
    client = make_app(seeded_url, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0").test_client()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.get_json()["detail"] == "Not ready: redis unreachable."
    assert client.get("/api/v1/municipalities/GM0363").status_code == 200


def test_ready_with_a_reachable_redis(seeded_url: str) -> None:
    client = make_app(seeded_url, REDIS_URL="redis://127.0.0.1:6379/0").test_client()
    response = client.get("/health/ready")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["redis"] == "ok"
