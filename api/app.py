"""The WSGI application: `create_app` wires every subsystem, and reads as the table of contents of `api/`."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api import (
    auth,
    config,
    cors,
    docs,
    edge,
    health,
    http,
    logging_setup,
    metrics,
    problems,
    ratelimit,
    record_dumps,
    representation_cache,
    resources,
    sessions,
    widget,
)
from api.database import Database
from api.queries.search import SearchCache


def create_app(settings: dict[str, str] | None = None) -> Flask:
    """The WSGI application, configured from KENNISBANK_* environment variables (or `settings`)."""
    app = Flask("api", instance_relative_config=True)
    values = {**config.load(), **(settings or {})}
    app.config.update(
        KENNISBANK=values,
        MAX_CONTENT_LENGTH=int(values["MAX_BODY_BYTES"]),
        ERROR_INCLUDE_MESSAGE=False,
        RESTX_ERROR_404_HELP=False,
        PROPAGATE_EXCEPTIONS=False,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    url = values["DATABASE_URL"]
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = config.default_sqlite_url(app.instance_path)
    database = Database(url, pool_size=int(values["DB_POOL_SIZE"]),
                        statement_timeout_ms=int(values["DB_STATEMENT_TIMEOUT_MS"]))

    app.extensions["kennisbank_search_cache"] = SearchCache(int(values["SEARCH_CACHE_SIZE"]))
    logging_setup.init_app(app)
    sessions.init_app(app, database)
    http.init_app(app)
    metrics.init_app(app)
    health.init_app(app)
    ratelimit.init_app(app)  # before auth: refused keys are counted too
    auth.init_app(app)
    cors.init_app(app)
    problems.init_app(app)
    api = resources.init_app(app)
    representation_cache.init_app(app)
    record_dumps.init_app(app)
    docs.init_app(app, api)
    widget.init_app(app)
    edge.init_app(app)
    proxies = int(values["PROXIES"])
    if proxies > 0:  # the client's address (rate limits, logs) and scheme/host (links) as the proxies saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    return app
