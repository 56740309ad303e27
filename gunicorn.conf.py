"""gunicorn settings for Kennisbank: the one place they live.

`kennisbank serve`, `make run` and the Docker image use this file (plain `gunicorn` in this folder
reads it too). Every value comes from a KENNISBANK_* variable with a default (api/config.py lists
them); nothing here needs editing per deployment.

- Workers: KENNISBANK_WORKERS, else 2 x cores + 1, where cores honours the CPU affinity and a
  container's CPU quota; gthread workers with KENNISBANK_THREADS threads each.
- No pool crosses a fork: preload_app is off, engines are built lazily per process, and post_fork
  drops anything a worker inherited anyway.
- Metrics: PROMETHEUS_MULTIPROC_DIR points at a fresh folder (set before prometheus_client is
  imported) that every worker writes to; child_exit marks dead workers, on_exit removes the folder.
- Garbage collection: post_worker_init freezes what the loaded app made (gc.freeze), so the full
  collections under load only walk what requests made since.
- Logs: JSON lines on stdout. The access log is the application's (one line per request, with
  route, status, duration, request id and key id); gunicorn's own access log is off, so that each
  request is logged once.
"""

from __future__ import annotations

import gc
import glob
import math
import os
import shutil
import tempfile

# Only the table of settings: the `api` package imports nothing by itself, so the master loads no app, engine or
# metric before the fork.
from api.config import read

_OWNED_METRICS_DIR = "_KENNISBANK_OWNED_METRICS_DIR"
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kennisbank-metrics-")
    os.environ[_OWNED_METRICS_DIR] = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _cores() -> int:
    """Usable CPU cores: the affinity mask, capped by a cgroup v2 CPU quota (containers)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as quota_file:
            quota, period = quota_file.read().split()
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores


def _setting(name: str) -> str:
    return read(name)


wsgi_app = "api.app:create_app()"
bind = _setting("BIND")
workers = int(_setting("WORKERS") or 2 * _cores() + 1)
worker_class = "gthread"
threads = int(_setting("THREADS"))
timeout = 30
graceful_timeout = int(_setting("GRACEFUL_TIMEOUT"))
keepalive = 5
limit_request_line = 8190  # gunicorn's largest: long search URLs reach the app, which answers them
preload_app = False
control_socket_disable = True  # several instances may share a host; nothing here uses gunicornc
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None
errorlog = "-"
loglevel = _setting("LOG_LEVEL").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {  # the app's formatter (api.logging_setup) takes over in each worker
        "()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"}, "timestamp": "time",
    }},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"level": _setting("LOG_LEVEL").upper(), "handlers": []},  # the app adds its JSON handler
    "loggers": {
        "gunicorn.error": {"level": _setting("LOG_LEVEL").upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}


def on_starting(server):  # type: ignore[no-untyped-def]
    """Start from empty metrics: samples of an earlier run in the same folder would be added up."""
    for stale in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(stale)


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """In the new worker: forget every database pool inherited from the master (there are none unless
    preload_app is turned on); each worker opens its own connections on first use."""
    from api.database import after_fork

    after_fork()


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """The app is loaded: move everything it made so far out of the garbage collector's sight. Those objects live
    as long as the worker, and a full collection that walks them holds every thread of the worker for tens of
    milliseconds (55-65 ms measured with the real catalogue), which showed as the p99 of even /health/live."""
    gc.freeze()


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker is gone: its live gauges no longer count (its counters and histograms still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):  # type: ignore[no-untyped-def]
    """Remove the metrics folder this configuration created."""
    owned = os.environ.get(_OWNED_METRICS_DIR)
    if owned and owned == os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(owned, ignore_errors=True)
