"""The ceiling: a bare Flask app with one JSON endpoint, served by gunicorn with the same gunicorn.conf.py.

`make bench` measures its `/health/live` in the same run as the service's, so `/health/live` / bare Flask
says what the service's request pipeline (logging, metrics, request ids, headers, limiter) costs.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/health/live")
@app.get("/health/ready")
def live() -> dict[str, str]:
    """{"status": "ok"}, as the service's liveness check answers."""
    return {"status": "ok"}
