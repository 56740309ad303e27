"""A read costs a small, fixed number of SQL statements, however many records it shows (no N+1, no selectin chains)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import Engine, event

from api import representation_cache
from api.search import stamp_of
from tests.conftest import make_app

CEILINGS = {
    "/api/v1/organisations/ess": 1,
    "/api/v1/topics/polarisation": 1,
    "/api/v1/experts/ess-adviseurs-gemeenten": 5,
    "/api/v1/approaches/ror-trainingen-en-masterclasses": 4,
    "/api/v1/municipalities/GM0363": 6,
    "/api/v1/safety-regions/VR13": 4,
    "/api/v1/safety-houses/acvz-amsterdam": 3,
    # The bundle reads the municipality for its facts, and (to dump and keep it) as its record, whose safety houses
    # it shows: with nothing kept, both, then the houses' records.
    "/api/v1/municipalities/GM0363/support": 21,
}
LISTS = {
    "/api/v1/experts?pageSize={n}": 6,
    "/api/v1/approaches?sizeClass=small&pageSize={n}": 5,
    "/api/v1/municipalities?sizeClass=small&sort=-population&pageSize={n}": 8,
    "/api/v1/municipalities/GM0363/support?limit={n}": 21,
}


WARM_CEILINGS = {
    "/api/v1/organisations/ess": 1,
    "/api/v1/experts/ess-adviseurs-gemeenten": 1,
    "/api/v1/municipalities/GM0363": 1,
    "/api/v1/experts?pageSize=50": 3,
    "/api/v1/approaches?sizeClass=small&topic=polarisation&pageSize=50": 4,
    "/api/v1/municipalities/GM0363/support": 6,
}
"""With the records' dumps kept (`api.record_dumps`): the stamp, and the statements that choose the records."""


@pytest.fixture(scope="module")
def uncached(seeded_url: str) -> Iterator[Flask]:
    """The app without the representation cache and the record dumps: every GET runs all its queries."""
    app = make_app(seeded_url, REPRESENTATION_CACHE_BYTES="0", RECORD_CACHE_SIZE="0")
    yield app
    app.extensions["kennisbank_db"].dispose()


@pytest.fixture(scope="module")
def dumps_kept(seeded_url: str) -> Iterator[Flask]:
    """The app without the representation cache, with the record dumps (the default): what an answer costs that
    is not kept, once its records are."""
    app = make_app(seeded_url, REPRESENTATION_CACHE_BYTES="0")
    yield app
    app.extensions["kennisbank_db"].dispose()


def statements(app: Flask, path: str, headers: dict[str, str] | None = None) -> int:
    """SQL statements one GET of `path` runs (after a first GET, so per-process caches are warm): those SQLAlchemy
    executes, and the catalogue stamp reads, which run on a raw DBAPI cursor (one statement each)."""
    client = app.test_client()
    assert client.get(path, headers=headers).status_code == 200, path
    seen: list[str] = []

    def count(*_args: object) -> None:
        seen.append("statement")

    def counted_stamp_of(engine: Engine) -> tuple[object, ...]:
        seen.append("stamp")
        return stamp_of(engine)

    database = app.extensions["kennisbank_db"]
    engines = {id(e): e for e in (database.engine, database.stamp_engine)}.values()  # one engine on SQLite
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    representation_cache.search.stamp_of = counted_stamp_of  # type: ignore[assignment]
    try:
        assert client.get(path, headers=headers).status_code == 200
    finally:
        representation_cache.search.stamp_of = stamp_of  # type: ignore[assignment]
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("path", sorted(CEILINGS))
def test_an_item_or_bundle_costs_a_few_statements(uncached: Flask, path: str) -> None:
    assert statements(uncached, path) <= CEILINGS[path]


@pytest.mark.parametrize("template", sorted(LISTS))
def test_a_list_costs_the_same_statements_for_5_or_50_records(uncached: Flask, template: str) -> None:
    few, many = statements(uncached, template.format(n=5)), statements(uncached, template.format(n=50))
    assert few == many <= LISTS[template]


@pytest.mark.parametrize("path", sorted(WARM_CEILINGS))
def test_records_already_dumped_cost_no_statement(dumps_kept: Flask, path: str) -> None:
    assert statements(dumps_kept, path) <= WARM_CEILINGS[path]


def test_a_cached_answer_costs_one_statement(seeded_url: str) -> None:
    """The representation cache reads the catalogue's generation (one indexed row) and nothing else."""
    app = make_app(seeded_url)
    try:
        assert statements(app, "/api/v1/municipalities/GM0363/support") == 1
    finally:
        app.extensions["kennisbank_db"].dispose()
