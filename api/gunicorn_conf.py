"""gunicorn settings for Kennisbank, read from KENNISBANK_* variables (`gunicorn -c python:api.gunicorn_conf`)."""

import multiprocessing as _mp

from api.config import read as _read

bind = _read("BIND")
workers = int(_read("WORKERS") or _mp.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 20
keepalive = 5
preload_app = False
accesslog = "-"
errorlog = "-"
wsgi_app = "api:create_app()"
