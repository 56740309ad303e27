"""Nothing is lost: every write, through the API, the seed or an import, leaves a revision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from api import catalogue, validation
from api.cli import main
from api.database import Database
from api.models import ApiKey, Revision
from api.services import loading
from tests.conftest import SEED, make_app
from tests.keys import Keys
from tests.writes import Api


@pytest.fixture
def api(fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(make_app(fresh_url).test_client(), fresh_keys, fresh_url)


def curator_key_id(url: str, keys: Keys) -> str:
    from api.services.api_keys import hash_key

    database = Database(url)
    with database.session() as session:
        key_id = session.scalars(select(ApiKey.id).where(ApiKey.key_hash == hash_key(keys.curator))).one()
    database.dispose()
    return key_id


def test_a_write_records_who_when_and_each_changed_field(api: Api) -> None:
    path = "/api/v1/experts/ess-adviseurs-gemeenten"
    before = api.get(path).get_json()
    response = api.patch(path, {"description": "Nieuwe beschrijving", "languages": ["nl", "en"],
                                "contact": {"url": "https://example.org/ess"}}, api.etag(path))
    assert response.status_code == 200
    history = api.get(f"{path}/history")
    assert history.status_code == 200
    newest = history.get_json()["items"][0]
    assert newest["actor"] == curator_key_id(api.url, api.keys)
    assert newest["action"] == "updated" and newest["collection"] == "experts"
    assert newest["recordId"] == "ess-adviseurs-gemeenten" and newest["at"].endswith("Z")
    changes = {c["field"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert changes == {
        "description": (before["description"], "Nieuwe beschrijving"),
        "languages": (before["languages"], ["en", "nl"]),
        "contact.url": (before["contact"]["url"], "https://example.org/ess"),
    }
    assert newest["version"] == history.get_json()["items"][1]["version"] + 1


def test_the_history_is_paged_newest_first_and_names_the_workflow(api: Api) -> None:
    path = "/api/v1/organisations/vng"
    for status in ("draft", "published"):
        assert api.patch(path, {"status": status}, api.etag(path)).status_code == 200
    assert api.delete(path, api.etag(path)).status_code == 204
    first = api.get(f"{path}/history?pageSize=2").get_json()
    assert first["total"] == 4 and len(first["items"]) == 2
    assert [r["action"] for r in first["items"]] == ["archived", "published"]
    second = api.get(f"{path}/history?pageSize=2&page=2").get_json()
    assert [r["action"] for r in second["items"]] == ["updated", "created"]
    assert second["items"][1]["actor"] == "seed"
    assert [r["version"] for r in first["items"] + second["items"]] == [4, 3, 2, 1]
    assert api.get(f"{path}/history?page=3&pageSize=2").status_code == 400


def test_history_is_for_curators_and_for_records_that_exist(client: FlaskClient, api_keys: Keys) -> None:
    assert client.get("/api/v1/topics/jihadism/history").status_code == 401
    assert client.get("/api/v1/topics/jihadism/history", headers=api_keys.headers("reader")).status_code == 403
    seeded = client.get("/api/v1/topics/jihadism/history", headers=api_keys.headers("curator")).get_json()
    assert seeded["items"][0]["action"] == "created" and seeded["items"][0]["actor"] == "seed"
    assert {"field": "parent", "old": None, "new": "radicalisation"} in seeded["items"][0]["changes"]
    assert client.get("/api/v1/topics/nope/history", headers=api_keys.headers("curator")).status_code == 404
    reference = client.get("/api/v1/municipalities/GM0363/history", headers=api_keys.headers("admin"))
    assert reference.status_code == 200 and reference.get_json()["total"] == 1


def test_seeding_again_changes_nothing_and_records_nothing(fresh_url: str) -> None:
    database = Database(fresh_url)
    with database.session() as session:
        count = len(session.scalars(select(Revision.id)).all())
    with database.transaction() as session:
        report = loading.write_all(session, validation.validate_batch(session, catalogue.read_seed_dir(SEED, True)))
    assert all(counts["created"] == counts["updated"] == 0 for counts in report.counts.values())
    with database.session() as session:
        assert len(session.scalars(select(Revision.id)).all()) == count
    database.dispose()


def test_an_import_is_recorded_as_import(fresh_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISBANK_DATABASE_URL", fresh_url)
    runner = CliRunner()
    exported = tmp_path / "catalogue.ndjson"
    assert runner.invoke(main, ["export", str(exported)]).exit_code == 0
    lines = []
    for line in exported.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["collection"] == "topics" and entry["record"]["id"] == "jihadism":
            entry["record"]["synonyms"] = [*entry["record"]["synonyms"], "jihadisme (import)"]
        lines.append(json.dumps(entry))
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "topics: 0 created, 1 updated" in result.output
    database = Database(fresh_url)
    with database.session() as session:
        newest = session.scalars(select(Revision).where(Revision.record_id == "jihadism")
                                 .order_by(Revision.id.desc())).first()
        assert newest.actor == "import" and newest.action == "updated"
        assert [c["field"] for c in newest.changes] == ["synonyms"]
    database.dispose()
