"""Temporary databases and the app under gunicorn, started the way `make run` starts it (`kennisbank serve`)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("KENNISBANK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
RATE_LIMIT = "1000000/second"
"""Per client address and per key: far above anything the load generator can send, over a 1-second moving
window (the in-memory moving window keeps one entry per request of the window, so a short window keeps the
limiter's own cost small and constant)."""
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def postgres_problem() -> str | None:
    """None when the PostgreSQL server for the benchmarks answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return (str(error).strip().splitlines() or ["unreachable"])[0]


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, connect_timeout=3) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


class Databases:
    """The temporary databases of one backend: SQLite files in `folder`, or PostgreSQL databases created on the
    benchmark server; `close()` removes every one of them."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.prefix = f"kb_bench_{uuid.uuid4().hex[:10]}"
        self.names: list[str] = []

    def url(self, label: str) -> str:
        """The URL of database `label` (not created yet)."""
        name = f"{self.prefix}_{label}"
        self.names.append(name)
        if self.backend == "sqlite":
            return f"sqlite:///{self.folder / (name + '.db')}"
        return f"{PG_ADMIN.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"

    def create(self, url: str) -> None:
        """Create the empty database at `url` (a SQLite file is created on first use)."""
        if self.backend == "postgresql":
            _pg_admin(f'CREATE DATABASE "{_name(url)}"')

    def copy(self, source: str, target: str) -> None:
        """Make `target` a copy of `source` (nothing may be connected to `source`)."""
        if self.backend == "sqlite":
            with sqlite3.connect(_path(source)) as src, sqlite3.connect(_path(target)) as dst:
                src.backup(dst)
            src.close()
            dst.close()
            return
        for attempt in range(20):  # autovacuum may still be connected to the template for a moment
            try:
                _pg_admin(f'CREATE DATABASE "{_name(target)}" TEMPLATE "{_name(source)}"')
                return
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(1)

    def close(self) -> None:
        for name in self.names:
            if self.backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    (self.folder / f"{name}.db{suffix}").unlink(missing_ok=True)
            else:
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


def server_env(database_url: str, bind: str | None = None) -> dict[str, str]:
    """The environment of the `kennisbank` commands: ours, minus any KENNISBANK_* or metrics setting of the
    caller that would change what is measured, plus the database, the address and the raised rate limits."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KENNISBANK_") and k not in ("PROMETHEUS_MULTIPROC_DIR", "WEB_CONCURRENCY")}
    for name in ("WORKERS", "THREADS", "LOG_LEVEL"):  # explicit overrides of the server shape are kept
        if os.environ.get(f"KENNISBANK_{name}"):
            env[f"KENNISBANK_{name}"] = os.environ[f"KENNISBANK_{name}"]
    env["KENNISBANK_DATABASE_URL"] = database_url
    env["KENNISBANK_RATE_LIMIT_ANONYMOUS"] = RATE_LIMIT
    env["KENNISBANK_RATE_LIMIT_AUTHENTICATED"] = RATE_LIMIT
    if bind:
        env["KENNISBANK_BIND"] = bind
    return env


def kennisbank(database_url: str, *args: str) -> str:
    """Run a `kennisbank` command in the repository root against `database_url`; its output, or exit."""
    done = subprocess.run([str(BIN / "kennisbank"), *args], cwd=ROOT, env=server_env(database_url),
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: `kennisbank {' '.join(args)}` failed with exit code {done.returncode}")
    return done.stdout.strip()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """(status, body) of one GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Server:
    """`kennisbank serve` (gunicorn with gunicorn.conf.py) on a free loopback port; output goes to `log`."""

    database_url: str
    log: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "kennisbank"), "serve"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                env=server_env(self.database_url, f"127.0.0.1:{self.port}"), start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: the server exited with code {self.process.returncode}:\n{self.tail()}")
            try:
                status, _ = get(self.base + "/health/ready", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise SystemExit(f"bench: the server did not become ready in {START_TIMEOUT_S:.0f} s:\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM to the gunicorn master we started; SIGKILL to its own process group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def workers(self) -> int:
        """How many worker processes the master runs (children of our gunicorn process)."""
        if self.process is None:
            return 0
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            return len(children)
        except OSError:
            return 0

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
