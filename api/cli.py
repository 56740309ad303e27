"""The `kennisbank` command: serve, migrate, seed, export and import the catalogue."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup

from api import catalogue, collections, migrate, validation
from api.app import create_app
from api.exceptions import NotFound
from api.models import Role
from api.services import loading, search_index
from api.services.api_keys import create_key, revoke_key
from api.sessions import database


def _app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Kennisbank: who can help a Dutch municipality against radicalisation, and with what."""


def gunicorn_config() -> Path | None:
    """gunicorn.conf.py in the working folder (the Docker image's /app), else beside the `api` package
    (a checkout or an editable install)."""
    for folder in (Path.cwd(), Path(__file__).resolve().parent.parent):
        candidate = folder / "gunicorn.conf.py"
        if candidate.is_file():
            return candidate
    return None


@main.command("serve")
def serve() -> None:
    """Serve the API with gunicorn (settings: gunicorn.conf.py and KENNISBANK_* variables)."""
    config_file = gunicorn_config()
    if config_file is None:
        click.echo("error: gunicorn.conf.py not found; run from the folder that holds it "
                   "(the repository root, or /app in the Docker image).", err=True)
        sys.exit(2)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(str(gunicorn), [str(gunicorn), "--config", str(config_file)])


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run again)."""
    engine = database().engine
    migrate.upgrade(engine)
    click.echo(f"database at head ({engine.dialect.name})")


def _load(raws: list[catalogue.Raw], actor: str = "seed", force: bool = False) -> None:
    """Validate everything, then write in one transaction with a progress bar; exit 1 on invalid input.

    Curators' edits are kept (see `api.services.loading`); `force` lets the file win where both changed a field.
    """
    with database().transaction() as session:
        try:
            records = validation.validate_batch(session, raws)
        except catalogue.CatalogueInvalid as invalid:
            for error in invalid.errors:
                click.echo(f"error: {error}", err=True)
            click.echo(f"{len(invalid.errors)} error(s); nothing was written. Fix the records above and run again.",
                       err=True)
            sys.exit(1)
        with click.progressbar(length=len(records), label="loading", file=sys.stderr,
                               hidden=not sys.stderr.isatty()) as bar:
            report = loading.write_all(session, records, bar.update, actor=actor, force=force)
    for line in report.lines():
        click.echo(line)
    if report.curated:
        click.echo(f"kept {report.curated} field(s) that curators changed and the files did not")
    for conflict in report.kept:
        click.echo(f"conflict, kept the curator's value: {conflict}", err=True)
    if report.kept:
        click.echo(f"{len(report.kept)} conflict(s): curators and the files both changed these fields; the "
                   "curators' values stay. Review them, then run again with --force to take the files' values.",
                   err=True)
    for conflict in report.overwritten:
        click.echo(f"overwrote the curator's value (--force): {conflict}")


FORCE = click.option("--force", is_flag=True, help="Where a curator and the file both changed a field, take the "
                     "file's value (listed). A municipality's policy is never taken from a file.")


@main.command("seed")
@click.option("--demo", is_flag=True, help="Also load the fictional demo set (seed/demo).")
@FORCE
@click.option("--path", "seed_path", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: os.environ.get("KENNISBANK_SEED_DIR", "seed"), show_default="seed",
              help="Folder with the seed files.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Apply the municipal changes in force on this date (default: today).")
def seed(demo: bool, seed_path: Path, force: bool, as_of: datetime | None) -> None:
    """Load the curated catalogue (upsert by id; running it twice changes nothing; curators' edits stay)."""
    if not seed_path.is_dir():
        click.echo(f"error: no seed folder at {seed_path}; run from the repository root or pass --path.", err=True)
        sys.exit(2)
    today = as_of.date() if as_of else date.today()
    try:
        raws = catalogue.read_seed_dir(seed_path, include_demo=demo, today=today)
    except catalogue.CatalogueInvalid as invalid:
        for error in invalid.errors:
            click.echo(f"error: {error}", err=True)
        sys.exit(1)
    _load(raws, force=force)
    with database().transaction() as session:
        for line in catalogue.retire_merged(session, seed_path, today):
            click.echo(line)


@main.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the catalogue (one transaction; searches keep working meanwhile)."""
    with database().transaction() as session:
        total = search_index.count_records(session, collections.indexed())
        with click.progressbar(length=total, label="indexing", file=sys.stderr,
                               hidden=not sys.stderr.isatty()) as bar:
            count = search_index.reindex_all(session, collections.indexed(), bar.update)
    click.echo(f"indexed {count} records")


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
@FORCE
def import_(file: Path, force: bool) -> None:
    """Load an NDJSON export (validated like the seed; all or nothing; curators' edits stay)."""
    with file.open(encoding="utf-8") as lines:
        try:
            raws = catalogue.read_ndjson(lines, str(file))
        except catalogue.CatalogueInvalid as invalid:
            for error in invalid.errors:
                click.echo(f"error: {error}", err=True)
            sys.exit(1)
    _load(raws, actor="import", force=force)


@main.group()
def keys() -> None:
    """API keys: create (the key is printed once) and revoke."""


def _expiry(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give a date (2027-01-01) or an RFC 3339 time", param_hint="--expires") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment <= datetime.now(UTC):
        raise click.BadParameter("give a moment in the future", param_hint="--expires")
    return moment


@keys.command("create")
@click.option("--name", required=True, help="Whose key it is, e.g. 'Intranet gemeente Utrecht'.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="reader, curator or admin.")
@click.option("--expires", default=None, help="When it stops working: a date (2027-01-01) or RFC 3339 time.")
def keys_create(name: str, role: str, expires: str | None) -> None:
    """Create an API key and print it (on stdout, this once only: only its hash is stored)."""
    expires_at = _expiry(expires)
    with database().transaction() as session:
        key, secret = create_key(session, name, role, expires_at)
        key_id = key.id
    until = f", expires {expires_at.isoformat()}" if expires_at else ""
    click.echo(f"created API key {key_id} ({name}, {role}{until}); store it now, it is not shown again:", err=True)
    click.echo(secret)


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke the API key KEY_ID: it stops working at once."""
    try:
        with database().transaction() as session:
            revoke_key(session, key_id)
    except NotFound:
        click.echo(f"error: there is no API key with id {key_id}", err=True)
        sys.exit(1)
    click.echo(f"revoked API key {key_id}")


if __name__ == "__main__":
    main()
