"""Fixtures of the production-readiness tests: one seeded SQLite catalogue for the live gunicorn servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import load_catalogue
from tests.databases import temporary_database


@pytest.fixture(scope="session")
def sqlite_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded SQLite database for tests about the process, not the backend."""
    with temporary_database("sqlite", tmp_path_factory.mktemp("ops")) as url:
        load_catalogue(url)
        yield url


@pytest.fixture
def writable_catalogue(tmp_path: Path) -> Iterator[str]:
    """A seeded SQLite database of this test alone."""
    with temporary_database("sqlite", tmp_path) as url:
        load_catalogue(url)
        yield url
