"""Migration 0006 (house contact, named coverage, policy evidence) downgrades and upgrades with data in place."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from api.database import Database
from api.migrate import alembic_config


def coverage_bases(url: str) -> dict[str, int]:
    database = Database(url)
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT basis, count(*) FROM safety_house_coverage GROUP BY basis")).all()
    database.dispose()
    return dict(rows)  # type: ignore[arg-type]


def columns(url: str, table: str) -> set[str]:
    database = Database(url)
    found = {column["name"] for column in inspect(database.engine).get_columns(table)}
    database.dispose()
    return found


def insert_basis(url: str, basis: str) -> None:
    database = Database(url)
    try:
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO safety_house_coverage (safety_house_id, municipality_id, basis) "
                                    "VALUES ('zvh-regio-utrecht', 'GM0344', :basis)"), {"basis": basis})
    finally:
        database.dispose()


def test_houses_migration_renames_the_basis_both_ways_and_keeps_the_rows(fresh_url: str) -> None:
    at_head = coverage_bases(fresh_url)
    assert set(at_head) == {"named", "region"} and at_head["named"] >= 10
    config = alembic_config(fresh_url)
    command.downgrade(config, "0005")
    assert coverage_bases(fresh_url) == {"explicit": at_head["named"], "region": at_head["region"]}
    assert not {"website", "phone", "email", "working_area"} & columns(fresh_url, "safety_houses")
    assert "policy_evidence" not in columns(fresh_url, "municipalities")
    with pytest.raises(IntegrityError):
        insert_basis(fresh_url, "named")
    command.upgrade(config, "head")
    assert coverage_bases(fresh_url) == at_head
    assert {"website", "phone", "email", "working_area"} <= columns(fresh_url, "safety_houses")
    with pytest.raises(IntegrityError):
        insert_basis(fresh_url, "explicit")
    insert_basis(fresh_url, "named")
