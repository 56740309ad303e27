"""A release never undoes a curator: `kennisbank seed` merges three ways per field (the file, what the record last
received from a file, the record now), reports conflicts and keeps the curator's value unless `--force`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.cli import main
from tests.conftest import SEED, make_app
from tests.keys import Keys
from tests.writes import Api

TOPIC = "/api/v1/topics/jihadism"


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A copy of the seed folder: the next release, edited by the test."""
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    return folder


@pytest.fixture
def api(fresh_url: str, fresh_keys: Keys, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The API on a database seeded from seed/ (with the demo set), and the CLI pointed at it."""
    monkeypatch.setenv("KENNISBANK_DATABASE_URL", fresh_url)
    app = make_app(fresh_url)
    yield Api(app.test_client(), fresh_keys, fresh_url)
    app.extensions["kennisbank_db"].dispose()


def edit_release(folder: Path, collection: str, record_id: str, **fields: Any) -> None:
    file = folder / f"{collection}.json"
    document = json.loads(file.read_text(encoding="utf-8"))
    record = next(item for item in document["items"] if item["id"] == record_id)
    record.update(fields)
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def seed(folder: Path, *extra: str) -> Any:
    result = CliRunner().invoke(main, ["seed", "--demo", "--path", str(folder), *extra])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def curate(api: Api, path: str, **fields: Any) -> None:
    response = api.patch(path, fields, api.etag(path))
    assert response.status_code == 200, response.get_json()


def test_a_release_keeps_a_curators_edit_and_applies_its_own_changes(api: Api, release: Path) -> None:
    seed(release)  # the release as it is: every record gets its baseline
    curate(api, TOPIC, description="Beschrijving door een curator")
    edit_release(release, "topics", "jihadism", synonyms=["jihadisme", "jihad (release)"])
    result = seed(release)
    topic = api.get(TOPIC).get_json()
    assert topic["description"] == "Beschrijving door een curator"  # the curator's edit stays
    assert "jihad (release)" in topic["synonyms"]  # the release's change to an untouched field arrives
    assert "conflict" not in result.stderr


def test_a_field_both_changed_is_a_conflict_that_keeps_the_curator_until_forced(api: Api, release: Path) -> None:
    seed(release)
    curate(api, TOPIC, label="Jihadisme (curator)")
    edit_release(release, "topics", "jihadism", label="Jihadisme (release)")
    kept = seed(release)
    assert "conflict, kept the curator's value: topics/jihadism: label" in kept.stderr
    assert "--force" in kept.stderr
    assert api.get(TOPIC).get_json()["label"] == "Jihadisme (curator)"
    forced = seed(release, "--force")
    assert "overwrote the curator's value (--force): topics/jihadism: label" in forced.output
    assert api.get(TOPIC).get_json()["label"] == "Jihadisme (release)"


def test_a_seed_never_touches_a_recorded_policy(api: Api, release: Path) -> None:
    path = "/api/v1/municipalities/GM0363/policy"
    response = api.put(path, {"status": "adopted", "url": "https://www.amsterdam.nl/", "sharesKnowledge": True},
                       api.etag(path))
    assert response.status_code == 200, response.get_json()
    edit_release(release, "municipalities", "GM0363", policy={"status": "none", "url": None,
                                                               "sharesKnowledge": False})
    for extra in ((), ("--force",)):
        seed(release, *extra)
        assert api.get(path).get_json()["status"] == "adopted", extra


def test_edits_made_before_baselines_existed_are_kept(api: Api, release: Path) -> None:
    """The template database was seeded before this test's edit and has baselines, so drop them: a database
    from before the baselines (migration 0008) must not lose a curator's edit at its first seed either."""
    from api.database import Database
    from api.models import SeedBaseline

    database = Database(api.url)
    with database.transaction() as session:
        session.query(SeedBaseline).delete()
    database.dispose()
    curate(api, TOPIC, description="Eerdere curatorwijziging")
    result = seed(release)
    assert api.get(TOPIC).get_json()["description"] == "Eerdere curatorwijziging"
    assert "topics/jihadism: description" in result.stderr
