"""Fixtures: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import catalogue, migrate, validation
from api.app import create_app
from api.database import Database
from api.services import loading
from tests.databases import BACKENDS, copied_database, temporary_database
from tests.keys import Keys, make_keys
from tests.required import require_service

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seed"
REFERENCE_DATA = REPO / "reference" / "data"
ADR_RULESET = REPO / "reference" / "adr" / "linter.yaml"


REFERENCE_DATE = date(2026, 12, 6)
"""The day the tests seed as: the reference data's vintage, before the 2027 merger (tests of it inject dates)."""


def load_catalogue(url: str, demo: bool = True, today: date = REFERENCE_DATE) -> None:
    """Migrate `url` to head and load the seed (and demo set) into it as the seed would on `today`."""
    database = Database(url)
    migrate.upgrade(database.engine)
    with database.transaction() as session:
        records = validation.validate_batch(session, catalogue.read_seed_dir(SEED, include_demo=demo, today=today))
        loading.write_all(session, records)
        catalogue.retire_merged(session, SEED, today)
    database.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test."""
    return request.param


@pytest.fixture(scope="session")
def seeded_url(backend: str, tmp_path_factory: pytest.TempPathFactory, template_url: str) -> Iterator[str]:
    """A database with the real catalogue and the demo set, shared by read-only tests (a copy of the template)."""
    with copied_database(backend, template_url, tmp_path_factory.mktemp(backend)) as url:
        yield url


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for a test that writes."""
    with temporary_database(backend, tmp_path) as url:
        database = Database(url)
        migrate.upgrade(database.engine)
        database.dispose()
        yield url


@pytest.fixture(scope="session")
def template_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded database that nobody connects to; `fresh_url` copies it instead of seeding again."""
    with temporary_database(backend, tmp_path_factory.mktemp(f"{backend}-template")) as url:
        load_catalogue(url)
        yield url


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path, template_url: str) -> Iterator[str]:
    """A fresh database with the catalogue, for a test that writes (a copy of `template_url`)."""
    with copied_database(backend, template_url, tmp_path) as url:
        yield url


TEST_RATE_LIMITS = {"RATE_LIMIT_ANONYMOUS": "100000/minute", "RATE_LIMIT_AUTHENTICATED": "100000/minute"}


def make_app(url: str, **settings: str) -> Flask:
    """The app on `url`, configured like production (but with rate limits no test run reaches;
    tests/api/test_rate_limits.py sets its own)."""
    app = create_app({"DATABASE_URL": url, **TEST_RATE_LIMITS, **settings})
    return app


@pytest.fixture(scope="session")
def app(seeded_url: str) -> Iterator[Flask]:
    """The app on the seeded database."""
    application = make_app(seeded_url)
    yield application
    application.extensions["kennisbank_db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the seeded app."""
    return app.test_client()


@pytest.fixture(scope="session")
def api_keys(seeded_url: str) -> Keys:
    """Keys (reader, curator, admin, revoked, expired) in the shared seeded database (for `client`)."""
    return make_keys(seeded_url)


@pytest.fixture
def fresh_keys(fresh_url: str) -> Keys:
    """Keys (reader, curator, admin, revoked, expired) in this test's `fresh_url` database."""
    return make_keys(fresh_url)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright: one per test session (one sync Playwright per thread)."""
    require_service(CHROMIUM, None if Path(CHROMIUM).exists() else
                    "missing; install it with .ci/install-tools (apt-get install chromium)")
    from playwright import sync_api

    sync_api.expect.set_options(timeout=15_000)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
