"""The `kennisbank` command: serve, migrate, seed, export and import the catalogue."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup

from api import catalogue, create_app, migrate
from api.sessions import database


def _app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Kennisbank: who can help a Dutch municipality against radicalisation, and with what."""


@main.command("serve")
def serve() -> None:
    """Serve the API with gunicorn (settings: api/gunicorn_conf.py and KENNISBANK_* variables)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(str(gunicorn), [str(gunicorn), "--config", "python:api.gunicorn_conf"])


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run again)."""
    engine = database().engine
    migrate.upgrade(engine)
    click.echo(f"database at head ({engine.dialect.name})")


def _load(raws: list[catalogue.Raw]) -> None:
    """Validate everything, then write in one transaction with a progress bar; exit 1 on invalid input."""
    with database().transaction() as session:
        try:
            records = catalogue.validate(session, raws)
        except catalogue.CatalogueInvalid as invalid:
            for error in invalid.errors:
                click.echo(f"error: {error}", err=True)
            click.echo(f"{len(invalid.errors)} error(s); nothing was written. Fix the records above and run again.",
                       err=True)
            sys.exit(1)
        with click.progressbar(length=len(records), label="loading", file=sys.stderr,
                               hidden=not sys.stderr.isatty()) as bar:
            report = catalogue.write(session, records, bar.update)
    for line in report.lines():
        click.echo(line)


@main.command("seed")
@click.option("--demo", is_flag=True, help="Also load the fictional demo set (seed/demo).")
@click.option("--path", "seed_path", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: os.environ.get("KENNISBANK_SEED_DIR", "seed"), show_default="seed",
              help="Folder with the seed files.")
def seed(demo: bool, seed_path: Path) -> None:
    """Load the curated catalogue (upsert by id; running it twice changes nothing)."""
    if not seed_path.is_dir():
        click.echo(f"error: no seed folder at {seed_path}; run from the repository root or pass --path.", err=True)
        sys.exit(2)
    try:
        raws = catalogue.read_seed_dir(seed_path, include_demo=demo)
    except catalogue.CatalogueInvalid as invalid:
        for error in invalid.errors:
            click.echo(f"error: {error}", err=True)
        sys.exit(1)
    _load(raws)


@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export(file: Path) -> None:
    """Write the whole catalogue to FILE as NDJSON (one record per line)."""
    count = 0
    with database().session() as session, file.open("w", encoding="utf-8") as out:
        for line in catalogue.export_lines(session):
            out.write(line)
            count += 1
    click.echo(f"exported {count} records to {file}")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(file: Path) -> None:
    """Load an NDJSON export (validated like the seed; all or nothing)."""
    with file.open(encoding="utf-8") as lines:
        try:
            raws = catalogue.read_ndjson(lines, str(file))
        except catalogue.CatalogueInvalid as invalid:
            for error in invalid.errors:
                click.echo(f"error: {error}", err=True)
            sys.exit(1)
    _load(raws)
