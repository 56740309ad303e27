"""The seed loader validates everything first, writes all or nothing, and is idempotent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api import models
from api.database import Database
from tests.conftest import REPO, SEED

KENNISBANK = [sys.executable, "-m", "api.cli"]


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"KENNISBANK_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([*KENNISBANK, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def counts(url: str) -> dict[str, int]:
    db = Database(url)
    with db.session() as session:
        result = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
                  for m in (models.Municipality, models.SafetyHouse, models.Expert, models.Approach, models.Topic)}
    db.dispose()
    return result


def test_seed_twice_changes_nothing(empty_url: str) -> None:
    first = run(empty_url, "seed", "--demo")
    assert first.returncode == 0, first.stderr
    assert "municipalities: 342 created, 0 updated, 0 unchanged" in first.stdout
    second = run(empty_url, "seed", "--demo")
    assert second.returncode == 0, second.stderr
    for line in second.stdout.strip().splitlines():
        assert " 0 created, 0 updated," in line, line
    assert "municipalities: 0 created, 0 updated, 342 unchanged" in second.stdout


def test_without_demo_no_demo_records(empty_url: str) -> None:
    assert run(empty_url, "seed").returncode == 0
    db = Database(empty_url)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(models.Expert).where(models.Expert.demo)) == 0
    db.dispose()


def test_broken_seed_is_refused_with_every_error_and_nothing_written(empty_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "seed"
    shutil.copytree(SEED, broken)
    municipalities = json.loads((broken / "municipalities.json").read_text())
    municipalities["items"][0]["population"] = -5
    municipalities["items"][1]["safetyRegion"] = "VR77"
    (broken / "municipalities.json").write_text(json.dumps(municipalities))
    experts = json.loads((broken / "experts.json").read_text())
    experts["items"][0]["topics"] = ["no-such-topic"]
    experts["items"][1]["kind"] = "robot"
    (broken / "experts.json").write_text(json.dumps(experts))

    result = run(empty_url, "seed", "--path", str(broken))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4, result.stderr
    assert any("municipalities.json" in e and "population" in e for e in errors)
    assert any("municipalities.json" in e and "safetyRegion" in e and "VR77" in e for e in errors)
    assert any("experts.json" in e and "no-such-topic" in e for e in errors)
    assert any("experts.json" in e and "kind" in e for e in errors)
    assert "nothing was written" in result.stderr
    assert counts(empty_url) == {k: 0 for k in counts(empty_url)}


def test_invalid_json_file_is_reported(empty_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "seed"
    shutil.copytree(SEED, broken)
    (broken / "topics.json").write_text("{not json")
    result = run(empty_url, "seed", "--path", str(broken))
    assert result.returncode == 1
    assert "topics.json" in result.stderr and "not valid JSON" in result.stderr


@pytest.mark.parametrize("demo", [True])
def test_export_import_round_trip_is_lossless(fresh_url: str, empty_url: str, tmp_path: Path, demo: bool) -> None:
    first, second = tmp_path / "first.ndjson", tmp_path / "second.ndjson"
    assert run(fresh_url, "export", str(first)).returncode == 0
    imported = run(empty_url, "import", str(first))
    assert imported.returncode == 0, imported.stderr
    assert run(empty_url, "export", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text().splitlines()
    assert sum('"collection": "municipalities"' in line for line in lines) == 342
