# Kennisbank API image: gunicorn (PID 1) serving `api.app:create_app()`, configured only by KENNISBANK_* variables.
#
#   docker build -t kennisbank .
#   docker run --rm -e KENNISBANK_DATABASE_URL=postgresql+psycopg://kennisbank@db:5432/kennisbank kennisbank kennisbank db upgrade
#   docker run --rm -e KENNISBANK_DATABASE_URL=… kennisbank kennisbank seed
#   docker run -d -p 8000:8000 -e KENNISBANK_DATABASE_URL=… -e KENNISBANK_REDIS_URL=redis://redis:6379/0 kennisbank
#
# Migrations are a separate command (above), never run at start-up: N instances may start at once.

ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# --- build: wheels of the app and every pinned dependency (all of them ship binary wheels; no compiler) ---
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY api ./api
COPY schemas ./schemas
RUN pip wheel --no-cache-dir --disable-pip-version-check --wheel-dir /wheels .

# --- runtime: the wheels in a virtualenv, the gunicorn settings and the seed files; no build tools ---
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    KENNISBANK_BIND=0.0.0.0:8000 \
    KENNISBANK_SEED_DIR=/app/seed
RUN groupadd --system --gid 10001 kennisbank \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin kennisbank \
    && python -m venv /opt/venv \
    && mkdir -p /opt/venv/var/api-instance \
    && chown 10001:10001 /opt/venv/var/api-instance
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --disable-pip-version-check --no-index --find-links=/wheels /wheels/kennisbank-*.whl \
    && rm -rf /wheels
WORKDIR /app
COPY gunicorn.conf.py ./
COPY seed ./seed
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('KENNISBANK_BIND', ':8000').rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/health/live', timeout=2)"]
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py"]
