"""Temporary databases and the app under gunicorn, started the way `make run` starts it (`kennisbank serve`)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
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


def server_env(database_url: str, bind: str | None = None, settings: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the `kennisbank` commands: ours, minus any KENNISBANK_* or metrics setting of the
    caller that would change what is measured, plus the database, the address, the raised rate limits and
    `settings` (KENNISBANK_* variables of one benchmark's server, e.g. the search cache turned off)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KENNISBANK_") and k not in ("PROMETHEUS_MULTIPROC_DIR", "WEB_CONCURRENCY")}
    for name in ("WORKERS", "THREADS", "LOG_LEVEL"):  # explicit overrides of the server shape are kept
        if os.environ.get(f"KENNISBANK_{name}"):
            env[f"KENNISBANK_{name}"] = os.environ[f"KENNISBANK_{name}"]
    env["KENNISBANK_DATABASE_URL"] = database_url
    env["KENNISBANK_RATE_LIMIT_ANONYMOUS"] = RATE_LIMIT
    env["KENNISBANK_RATE_LIMIT_AUTHENTICATED"] = RATE_LIMIT
    env["PYTHONFAULTHANDLER"] = "1"  # a worker that crashes leaves its Python traceback in the log (--keep-logs)
    if bind:
        env["KENNISBANK_BIND"] = bind
    for name, value in (settings or {}).items():
        if not name.startswith("KENNISBANK_") or name in ("KENNISBANK_DATABASE_URL", "KENNISBANK_BIND"):
            raise ValueError(f"bench: {name} is not a server setting a benchmark may change")
        env[name] = value
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


SEARCH_CACHE = "kennisbank_search_cache_total"
REPRESENTATION_CACHE = "kennisbank_representation_cache_total"


def cache_counts(base: str, metric: str = SEARCH_CACHE) -> dict[str, int] | None:
    """{"hit": n, "miss": m} of a cache counter at /metrics (`metric`: the search result cache or the
    representation cache) summed over the server's workers so far; None when it is not there."""
    try:
        status, body = get(base + "/metrics", timeout=30)
    except OSError:
        return None
    sample = re.compile(rf'^{metric}\{{result="(hit|miss)"\}} ([0-9.e+]+)$', re.MULTILINE)
    found = {result: int(float(value)) for result, value in sample.findall(body.decode(errors="replace"))}
    if status != 200 or not found:
        return None
    return {"hit": found.get("hit", 0), "miss": found.get("miss", 0)}


def search_cache_counts(base: str) -> dict[str, int] | None:
    """The search result cache's {"hit": n, "miss": m} (see `cache_counts`)."""
    return cache_counts(base, SEARCH_CACHE)


WORKER_EVENTS = ("was sent SIG", "WORKER TIMEOUT", "exited with code", "Fatal Python error", "Worker failed to boot",
                 "Autorestarting worker")
MAX_EVENTS = 20


def worker_events(log_path: Path) -> list[str]:
    """The server log's lines about workers that died (gunicorn's own messages, which are JSON lines, and
    faulthandler's reports: the crashing thread's two innermost frames and its innermost frame outside
    site-packages and the standard library, the application's); at most MAX_EVENTS."""
    events: list[str] = []
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return events
    crashing: list[str] | None = None  # the frames of faulthandler's "Current thread" while they are read
    for line in [*lines, ""]:
        if crashing is not None:
            if line.startswith("  File "):
                crashing.append(line.strip())
                continue
            own = [f for f in crashing if not any(part in f for part in ("site-packages", "/lib/python", "/bin/"))]
            events += ["    " + f for f in dict.fromkeys(crashing[:2] + own[:1])]
            crashing = None
        if line.startswith("Current thread "):
            crashing = []
            continue
        text = _message(line) if line.startswith("{") else line
        if any(marker in text for marker in WORKER_EVENTS):
            events.append(text.strip())
    return events[:MAX_EVENTS] + (["(more in the log)"] if len(events) > MAX_EVENTS else [])


def _message(line: str) -> str:
    """The message of a JSON log line (the line itself if it is not one)."""
    try:
        record = json.loads(line)
    except ValueError:
        return line
    return str(record.get("message", line)) if isinstance(record, dict) else line


def get(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """(status, body) of one GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Server:
    """`kennisbank serve` (gunicorn with gunicorn.conf.py) on a free loopback port; output goes to `log`.
    `settings`: KENNISBANK_* variables for this server only (see `server_env`)."""

    database_url: str
    log: Path
    settings: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    kind: str = "kennisbank"
    """`kennisbank` (the service), `bare` (bench/bare.py under the same gunicorn.conf.py) or `datasette`."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                env=server_env(self.database_url, f"127.0.0.1:{self.port}", self.settings), start_new_session=True,
            )
        ready = "/-/versions.json" if self.kind == "datasette" else "/health/ready"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: the server exited with code {self.process.returncode}:\n{self.tail()}")
            try:
                status, _ = get(self.base + ready, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise SystemExit(f"bench: the server did not become ready in {START_TIMEOUT_S:.0f} s:\n{self.tail()}")

    def command(self) -> list[str]:
        """The service as `make run` serves it; the bare app under the same gunicorn.conf.py; or Datasette (one
        process, as it runs by default) on the same SQLite file."""
        if self.kind == "bare":
            return [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "bench.bare:app"]
        if self.kind == "datasette":
            return [str(BIN / "datasette"), "serve", _path(self.database_url), "--host", "127.0.0.1", "--port",
                    str(self.port), "--setting", "sql_time_limit_ms", "5000", "--setting", "num_sql_threads", "3"]
        return [str(BIN / "kennisbank"), "serve"]

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker process (of the process itself when it has none), in MiB."""
        if self.process is None:
            return []
        pids = [self.process.pid]
        with contextlib.suppress(OSError):
            pids = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split() or pids
        sizes = []
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if found:
                sizes.append(int(found.group(1)) / 1024)
        return sizes

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
