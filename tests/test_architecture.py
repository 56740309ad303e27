"""The layering rules ruff cannot see: the banned restx APIs, frozen migrations, models = migrations.

`make test` runs ruff and lint-imports (the import-linter contracts) before pytest; they are not run twice here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from api import migrate
from api.database import Database
from api.models import Base
from tests.conftest import REPO
from tests.databases import temporary_database

BIN = Path(sys.executable).parent


def test_ruff_bans_a_second_schema_language(tmp_path: Path) -> None:
    """The repository's ruff config rejects restx's own schema APIs (`make test` runs ruff and lint-imports)."""
    offender = tmp_path / "probe.py"
    offender.write_text("from flask_restx import fields, reqparse, marshal_with\n")
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "--config", str(REPO / "pyproject.toml"),
                             "--select", "TID251", str(offender)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    for banned in ("flask_restx.fields", "flask_restx.reqparse", "flask_restx.marshal_with"):
        assert banned in result.stdout


def test_migrations_import_no_app_code() -> None:
    """A revision is frozen history: changing app code must not change what an old revision does."""
    for path in sorted((REPO / "api" / "migrations" / "versions").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not [n for n in names if n == "api" or n.startswith("api.")], f"{path.name} imports {names}"


def test_each_revision_creates_what_its_docstring_says(backend: str, tmp_path: Path) -> None:
    """search_state is 0004's table: after 0003 it does not exist yet, after 0004 it holds its one row."""
    with temporary_database(backend, tmp_path) as url:
        database = Database(url)
        config = migrate.alembic_config(url)
        command.upgrade(config, "0003")
        tables = set(inspect(database.engine).get_table_names())
        assert {"search_meta", "search_content", "search_terms"} <= tables
        assert "search_state" not in tables
        command.upgrade(config, "0004")
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT id, generation FROM search_state")).all() == [(1, 0)]
        command.downgrade(config, "0001")
        assert not [t for t in inspect(database.engine).get_table_names() if t.startswith("search_")]
        database.dispose()


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
