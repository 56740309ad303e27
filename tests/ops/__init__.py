"""Production readiness: health, metrics, logs, gunicorn, Docker, faults, scale-out, quality gates."""
