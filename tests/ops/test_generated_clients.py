"""Gates on the OpenAPI document as code generators and linters take it, on a live server over real HTTP.

- openapi-python-client generates a client with no warning (NDJSON is mapped to bytes by the config beside
  tests/clients/client_demo.py); the typed demo script and the README's example pass `mypy --strict` and run
  against the server.
- openapi-typescript generates types, and tests/clients/use.ts, which follows `_links`, passes `tsc --strict`.
- Redocly's recommended ruleset reports no error.
The tools are pinned: Python ones in pyproject.toml (test extra), npm ones in the Makefile's `tools` target (.tools).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import REPO
from tests.live import LiveServer

pytestmark = pytest.mark.slow
CLIENTS = REPO / "tests" / "clients"
BIN = Path(sys.executable).parent
NODE_BIN = REPO / ".tools" / "node_modules" / ".bin"


def _tool(path: Path) -> str:
    if not path.exists():
        pytest.fail(f"{path.name} is missing: `make install-test` installs it (make test does).")
    return str(path)


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **env}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=cwd,
                          env=environment)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app over real HTTP on a seeded SQLite database."""
    from tests.conftest import TEST_RATE_LIMITS, load_catalogue

    url = f"sqlite:///{tmp_path_factory.mktemp('clients') / 'kb.db'}"
    load_catalogue(url)
    with LiveServer(url, settings=TEST_RATE_LIMITS) as live:
        yield live


@pytest.fixture(scope="module")
def spec(server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The document the server serves, saved to a file."""
    response = requests.get(f"{server.url}/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200
    path = tmp_path_factory.mktemp("spec") / "openapi.json"
    path.write_text(json.dumps(response.json()))
    return path


def test_python_client_generates_without_warning_and_the_typed_demo_runs(
    server: LiveServer, spec: Path, tmp_path: Path
) -> None:
    generated = _run([_tool(BIN / "openapi-python-client"), "generate", "--path", str(spec), "--output-path",
                      str(tmp_path / "client"), "--config", str(CLIENTS / "openapi-python-client.yaml")], tmp_path)
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "warning" not in output.lower() and "error" not in output.lower(), output
    shutil.copy(CLIENTS / "client_demo.py", tmp_path / "client_demo.py")
    checked = _run([_tool(BIN / "mypy"), "--strict", "--no-incremental", "--cache-dir", os.devnull,
                    "client_demo.py"], tmp_path, MYPYPATH=str(tmp_path / "client"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = _run([sys.executable, "client_demo.py", f"{server.url}/api/v1"], tmp_path,
               PYTHONPATH=str(tmp_path / "client"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lines = dict(line.split(" ", 1) for line in ran.stdout.splitlines() if not line.startswith(" "))
    assert lines["support"].startswith("'s-Hertogenbosch")
    assert lines["404"] == "not-found"
    assert lines["400"] == "invalid-input ['pageSize']"
    total, unique = lines["approaches"].split()
    assert total == unique and int(total) > 10  # more than one page, none twice
    readme = (REPO / "README.md").read_text(encoding="utf-8").split("A generated Python client", 1)[1]
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "readme_example.py").write_text(example.replace("http://127.0.0.1:8000", server.url))
    checked = _run([_tool(BIN / "mypy"), "--strict", "--no-incremental", "--cache-dir", os.devnull,
                    "readme_example.py"], tmp_path, MYPYPATH=str(tmp_path / "client"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = _run([sys.executable, "readme_example.py"], tmp_path, PYTHONPATH=str(tmp_path / "client"))
    assert ran.returncode == 0 and "/experts?serves=GM0796" in ran.stdout, ran.stdout + ran.stderr


def test_typescript_types_pass_tsc_strict(spec: Path, tmp_path: Path) -> None:
    generated = _run([_tool(NODE_BIN / "openapi-typescript"), str(spec), "-o", str(tmp_path / "api.d.ts")], tmp_path)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    shutil.copy(CLIENTS / "use.ts", tmp_path / "use.ts")
    checked = _run([_tool(NODE_BIN / "tsc"), "--strict", "--noEmit", "--target", "es2022", "--module", "es2022",
                    "--moduleResolution", "bundler", "use.ts"], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_redocly_recommended_ruleset_reports_no_error(spec: Path, tmp_path: Path) -> None:
    result = _run([_tool(NODE_BIN / "redocly"), "lint", "--extends", "recommended", "--format", "json",
                   str(spec)], tmp_path, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true")
    report = json.loads(result.stdout[result.stdout.index("{"):])
    errors = [f"{p['ruleId']}: {p['message']}" for p in report["problems"] if p["severity"] == "error"]
    assert errors == []
    assert report["totals"]["errors"] == 0
