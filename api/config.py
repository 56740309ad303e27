"""Configuration: every setting, its environment variable, default and meaning, in one table."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One configuration setting read from `KENNISBANK_<NAME>`."""

    name: str
    default: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "", "SQLAlchemy URL; empty means SQLite at instance/kennisbank.db (WAL mode). "
            "PostgreSQL: postgresql+psycopg://user@host:5432/kennisbank"),
    Setting("REDIS_URL", "", "Redis for shared rate-limit counters (redis://127.0.0.1:6379/0); "
            "empty = per-process memory"),
    Setting("CORS_ORIGINS", "", "Comma list of origins allowed to call the API from a browser: exact "
            "https://host[:port], or https://*.host for any subdomain of host (openapi.json is always *)"),
    Setting("FRAME_ANCESTORS", "", "Comma list of intranet origins allowed to embed /widget in an iframe"),
    Setting("PROXIES", "0", "Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host are "
            "trusted (1 behind one load balancer); 0 = none, so callers cannot spoof their address"),
    Setting("BASE_URL", "", "Public base URL for absolute links; requests for another Host are a 400. Empty = the "
            "host trusted proxies pass on, else the address the server listens on"),
    Setting("RATE_LIMIT_ANONYMOUS", "300/minute", "Rate limit per client address for anonymous callers"),
    Setting("RATE_LIMIT_AUTHENTICATED", "3000/minute", "Rate limit per API key"),
    Setting("RATE_LIMIT_PREFIX", "kennisbank", "Prefix of the rate-limit counters in Redis (separates deployments "
            "that share one Redis)"),
    Setting("MAX_BODY_BYTES", "262144", "Largest request body accepted; larger is a 413"),
    Setting("LOG_LEVEL", "INFO", "Log level of the JSON logs on stdout"),
    Setting("DB_POOL_SIZE", "5", "Connections per worker in the database pool (PostgreSQL)"),
    Setting("DB_STATEMENT_TIMEOUT_MS", "5000", "PostgreSQL statement timeout; a slower query is cancelled"),
    Setting("SEARCH_CACHE_SIZE", "1000", "Search results each worker keeps for repeated queries (0 = off); "
            "any change to the catalogue empties it"),
    Setting("REPRESENTATION_CACHE_BYTES", "33554432", "Bytes of encoded GET answers each worker keeps "
            "(least recently used out; 32 MiB holds every record and support bundle of the real catalogue "
            "for one role; 0 = off); any change to the catalogue empties it"),
    Setting("RECORD_CACHE_SIZE", "2000", "Record dumps each worker keeps to build the answers the representation "
            "cache does not hold (least recently used out; about 11 kB each: the real catalogue's 523 records "
            "take 6 MB; 0 = off); any change to the catalogue empties it"),
    Setting("WORKERS", "", "gunicorn worker processes; empty = 2 x CPU cores + 1 (cores: the CPU affinity "
            "or the container's CPU quota)"),
    Setting("THREADS", "4", "Threads per gunicorn worker (gthread); each serves one request at a time"),
    Setting("GRACEFUL_TIMEOUT", "20", "Seconds a worker may finish its requests after SIGTERM before it is killed"),
    Setting("BIND", "127.0.0.1:8000", "Address gunicorn listens on (in Docker: 0.0.0.0:8000)"),
)

API_VERSION = "1.1.0"


def read(name: str, environ: dict[str, str] | None = None) -> str:
    """The value of setting `name` from the environment, or its default."""
    env = os.environ if environ is None else environ
    setting = next(s for s in SETTINGS if s.name == name)
    return env.get(f"KENNISBANK_{name}", setting.default)


def default_sqlite_url(instance_path: str | Path) -> str:
    """The embedded default database: a SQLite file under the Flask instance folder."""
    return f"sqlite:///{Path(instance_path) / 'kennisbank.db'}"


def load(environ: dict[str, str] | None = None) -> dict[str, str]:
    """All settings as a dict keyed by their short name."""
    return {s.name: read(s.name, environ) for s in SETTINGS}
