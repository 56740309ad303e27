"""The search result cache: answers repeated searches without the index, and never outlives a change to it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from api.database import Database
from api.queries.search import SearchCache, run_search
from api.search.cache import GenerationCache
from api.sessions import db
from tests.conftest import make_app
from tests.keys import Keys


def test_a_value_is_computed_once_per_stamp() -> None:
    cache: GenerationCache[str] = GenerationCache(max_entries=10)
    calls: list[str] = []

    def compute() -> str:
        calls.append("x")
        return f"value {len(calls)}"

    assert cache.get_or_compute("db", (1,), "q", compute) == ("value 1", False)
    assert cache.get_or_compute("db", (1,), "q", compute) == ("value 1", True)
    assert cache.get_or_compute("other-db", (1,), "q", compute) == ("value 2", False), "databases are apart"
    assert cache.get_or_compute("db", (2,), "q", compute) == ("value 3", False), "a new stamp is a miss"
    assert cache.get_or_compute("db", (1,), "q", compute) == ("value 4", False), "and the old entries are gone"


def test_the_least_recently_used_entry_goes_first_and_size_zero_turns_it_off() -> None:
    cache: GenerationCache[int] = GenerationCache(max_entries=2)
    for key in ("a", "b"):
        cache.get_or_compute("db", (1,), key, lambda: 1)
    cache.get_or_compute("db", (1,), "a", lambda: 0)  # a is used again, so b is the oldest
    cache.get_or_compute("db", (1,), "c", lambda: 1)
    assert cache.get_or_compute("db", (1,), "a", lambda: 9) == (1, True)
    assert cache.get_or_compute("db", (1,), "b", lambda: 9) == (9, False)
    off: GenerationCache[int] = GenerationCache(max_entries=0)
    assert off.get_or_compute("db", (1,), "a", lambda: 1) == (1, False)
    assert off.get_or_compute("db", (1,), "a", lambda: 2) == (2, False)


@pytest.fixture
def database(fresh_url: str) -> Iterator[Database]:
    db = Database(fresh_url)
    yield db
    db.dispose()


def test_a_repeated_search_costs_one_small_query(database: Database) -> None:
    statements: list[str] = []
    with database.transaction() as session:
        SearchCache(10).attach(session)
        run_search(session, "radicalisering training")
        event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        again = run_search(session, "radicalisering training")
    assert again.total > 0
    assert len(statements) == 1 and "search_state" in statements[0], statements


def test_a_write_through_the_api_is_found_by_the_next_search(fresh_url: str, fresh_keys: Keys) -> None:
    client = make_app(fresh_url).test_client()
    word = "kbcache" + secrets.token_hex(3)

    def found(q: str) -> list[str]:
        response = client.get("/api/v1/search", query_string={"q": q})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json["items"]]

    assert found(word) == []
    assert found(word) == [], "the empty answer is now cached"
    created = client.post("/api/v1/organisations", headers=fresh_keys.headers("curator"), json={
        "id": "cache-test", "name": f"Organisatie {word}", "kind": "knowledge-institute", "scope": "national",
        "status": "published", "description": "Fictief record van de cachetest.", "demo": True,
    })
    assert created.status_code == 201, created.text
    assert found(word) == ["cache-test"]
    renamed = client.patch("/api/v1/organisations/cache-test", data='{"name": "Organisatie hernoemd"}', headers={
        **fresh_keys.headers("curator"), "If-Match": created.headers["ETag"],
        "Content-Type": "application/merge-patch+json"})
    assert renamed.status_code == 200, renamed.text
    assert found(word) == []
    assert found("organisatie hernoemd")[:1] == ["cache-test"]
    archived = client.delete("/api/v1/organisations/cache-test", headers={
        **fresh_keys.headers("curator"), "If-Match": renamed.headers["ETag"]})
    assert archived.status_code == 204, archived.text
    assert "cache-test" not in found("organisatie hernoemd"), "an archived record leaves the public results at once"


def test_size_zero_turns_the_cache_off(database: Database) -> None:
    app = make_app(database.url, SEARCH_CACHE_SIZE="0")
    assert app.extensions["kennisbank_search_cache"].results.max_entries == 0
    statements: list[str] = []
    with app.app_context():
        session = db()
        run_search(session, "radicalisering training")
        event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        run_search(session, "radicalisering training")
    assert len(statements) > 1, "without the cache the index is searched again"


def test_each_app_has_its_own_cache_and_plain_sessions_search_uncached(database: Database) -> None:
    first, second = make_app(database.url), make_app(database.url)
    assert first.extensions["kennisbank_search_cache"] is not second.extensions["kennisbank_search_cache"]
    with first.app_context():
        run_search(db(), "radicalisering training")
        assert len(first.extensions["kennisbank_search_cache"].results._shelves) == 1
    assert second.extensions["kennisbank_search_cache"].results._shelves == {}
    statements: list[str] = []
    with database.transaction() as session:
        run_search(session, "radicalisering training")
        event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
        run_search(session, "radicalisering training")
    assert len(statements) > 1, "a session outside an app has no cache"
