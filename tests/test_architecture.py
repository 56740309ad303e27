"""The layering is enforced: import-linter contracts, ruff (with the banned restx APIs), models = migrations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from api.database import Database
from api.models import Base
from tests.conftest import REPO

BIN = Path(sys.executable).parent


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run([str(BIN / "lint-imports")], cwd=REPO, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_ruff_is_clean_and_bans_a_second_schema_language(tmp_path: Path) -> None:
    clean = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=REPO, capture_output=True, text=True, timeout=120,
                           check=False)
    assert clean.returncode == 0, clean.stdout[-3000:]
    offender = REPO / "api" / f"_probe_{tmp_path.name}.py"
    offender.write_text("from flask_restx import fields, reqparse, marshal_with\n")
    try:
        result = subprocess.run([str(BIN / "ruff"), "check", "--select", "TID251", str(offender)], cwd=REPO,
                                capture_output=True, text=True, timeout=120, check=False)
    finally:
        offender.unlink()
    assert result.returncode == 1
    for banned in ("flask_restx.fields", "flask_restx.reqparse", "flask_restx.marshal_with"):
        assert banned in result.stdout


def not_search_index(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """The search index tables are built by api.search per dialect, not from models."""
    table = getattr(obj, "table", obj)
    return not str(getattr(table, "name", name) or "").startswith("search_")


def test_migrations_create_exactly_the_models(empty_url: str) -> None:
    database = Database(empty_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": not_search_index})
        diff = compare_metadata(context, Base.metadata)
    database.dispose()
    assert diff == []
