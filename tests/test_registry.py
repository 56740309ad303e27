"""The collection registry (api/collections.py) drives every layer: each entry is routed, documented,
searchable, exportable and visible per role, and the wire contract's name lists agree with it."""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import catalogue
from api.collections import BY_NAME, COLLECTIONS, Collection
from api.database import Database
from schemas.changes import COLLECTIONS as FEED_COLLECTIONS
from schemas.search import TYPES
from tests.conftest import REPO, make_app
from tests.keys import Keys
from tests.writes import MERGE_PATCH

NAMES = [c.name for c in COLLECTIONS]
CURATED = [c for c in COLLECTIONS if c.curated]


def test_wire_lists_equal_the_registry() -> None:
    assert sorted(FEED_COLLECTIONS) == sorted(NAMES)
    assert sorted(TYPES) == sorted(c.type for c in COLLECTIONS)


def test_every_collection_is_routed(app: Flask) -> None:
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    for name in NAMES:
        assert f"/api/v1/{name}" in rules, name
        items = [r for r in rules if re.fullmatch(rf"/api/v1/{name}/<string:\w+>", r)]
        assert len(items) == 1, (name, items)
        assert f"/api/v1/{name}/<string:record_id>/history" in rules, name


def test_every_collection_is_documented_and_linked_from_the_root(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    links = client.get("/api/v1").get_json()["_links"]
    for name in NAMES:
        assert f"/{name}" in paths, name
        assert any(re.fullmatch(rf"/{name}/\{{\w+\}}", p) for p in paths), name
        assert any(re.fullmatch(rf"/{name}/\{{\w+\}}/history", p) for p in paths), name
        assert links[name]["href"].endswith(f"/api/v1/{name}")


def _first(client: FlaskClient, collection: Collection, headers: dict[str, str]) -> dict[str, Any]:
    body = client.get(f"/api/v1/{collection.name}?pageSize=1&sort=id", headers=headers).get_json()
    assert body["items"], f"no record in {collection.name}"
    return body["items"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("collection", COLLECTIONS, ids=NAMES)
def test_every_collection_is_searchable(client: FlaskClient, collection: Collection) -> None:
    record = _first(client, collection, {})
    name = record.get("name") or record.get("label")
    found = client.get("/api/v1/search", query_string={"q": name, "type": collection.type, "pageSize": 50})
    hits = found.get_json()["items"]
    assert record["id"] in [hit["id"] for hit in hits], (collection.name, name)
    hit = next(hit for hit in hits if hit["id"] == record["id"])
    assert hit["_links"]["self"]["href"].endswith(f"/{collection.name}/{record['id']}")


def test_every_collection_is_exported(client: FlaskClient, seeded_url: str) -> None:
    published = {json.loads(line)["collection"] for line in client.get("/api/v1/export").get_data(as_text=True)
                 .splitlines() if line}
    assert published == set(NAMES)
    database = Database(seeded_url)
    try:
        with database.session() as session:
            exported = [json.loads(line) for line in catalogue.export_lines(session)]
    finally:
        database.dispose()
    assert {entry["collection"] for entry in exported} == set(NAMES)
    for entry in exported:  # the input shape: what PUT and `kennisbank import` take
        collection = BY_NAME[entry["collection"]]
        assert collection.input.validate(entry["record"]) == {}, entry


def test_every_collection_is_visible_per_role(fresh_url: str, fresh_keys: Keys) -> None:
    """A record a curator sets to draft is gone for anonymous callers and readers, everywhere: its item, its
    collection and the search; a curator still sees it. Reference collections are public."""
    app = make_app(fresh_url)
    client = app.test_client()
    curator = fresh_keys.headers("curator")
    try:
        for collection in COLLECTIONS:
            record = _first(client, collection, curator)
            path = f"/api/v1/{collection.name}/{record['id']}"
            if not collection.curated:
                assert client.get(path).status_code == 200, path
                continue
            etag = client.get(path, headers=curator).headers["ETag"]
            changed = client.patch(path, data=json.dumps({"status": "draft"}), content_type=MERGE_PATCH,
                                   headers={**curator, "If-Match": etag})
            assert changed.status_code == 200, (path, changed.get_json())
            for who in ("anonymous", "reader"):
                headers = fresh_keys.headers(who)
                assert client.get(path, headers=headers).status_code == 404, (who, path)
                listed = client.get(f"/api/v1/{collection.name}?pageSize=100&sort=id", headers=headers).get_json()
                assert record["id"] not in [item["id"] for item in listed["items"]], (who, path)
                name = record.get("name") or record.get("label")
                hits = client.get("/api/v1/search", query_string={"q": name}, headers=headers).get_json()["items"]
                assert record["id"] not in [hit["id"] for hit in hits], (who, path)
            assert client.get(path, headers=curator).status_code == 200, path
    finally:
        app.extensions["kennisbank_db"].dispose()


def test_a_missing_resource_module_fails_at_start() -> None:
    from api.resources import history
    from api.resources.base import NAMESPACES

    namespace = NAMESPACES.pop(COLLECTIONS[-1].name)
    try:
        with pytest.raises(RuntimeError, match=COLLECTIONS[-1].name):
            history.register_all()
    finally:
        NAMESPACES[COLLECTIONS[-1].name] = namespace


def database_names(tree: ast.AST) -> set[int]:
    """Ids of the string nodes that name database objects: `__tablename__`, `ForeignKey("x.id")`, `back_populates`.

    Tables happen to be called like the collections, but they are another name: renaming a URL renames no table.
    """
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__tablename__" for t in node.targets):
            found.add(id(node.value))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ForeignKey" and node.args:
            found.add(id(node.args[0]))
        elif isinstance(node, ast.keyword) and node.arg == "back_populates":
            found.add(id(node.value))
    return found


def spelled_in(name: str) -> set[str]:
    """Files of `api/` and `schemas/` holding `name` as a string or a path segment of one (docstrings included).

    Left out: the migrations (frozen history, spelling their tables as they were) and database names.
    """
    segment = re.compile(rf"(?:^|/){re.escape(name)}(?![\w-])")
    found = set()
    for path in sorted([*REPO.glob("api/**/*.py"), *REPO.glob("schemas/**/*.py")]):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = database_names(tree)
        if any(isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
               and segment.search(node.value) for node in ast.walk(tree)):
            found.add(str(path.relative_to(REPO)))
    return found


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda c: c.name)
def test_a_wire_name_is_spelled_in_at_most_four_files(collection: Collection) -> None:
    """The measure of the registry issue: a wire name lives in `schemas/names.py` and few other places (a
    resource's documentation, a field that reads the same), so renaming a collection cannot miss a table."""
    files = spelled_in(collection.name)
    assert "schemas/names.py" in files
    assert len(files) <= 4, sorted(files)
