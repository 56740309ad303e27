"""Quality gates on a live gunicorn server over real HTTP: schemathesis, the ADR ruleset, Swagger UI in Chromium.

- schemathesis generates requests from /api/v1/openapi.json for every operation with all its checks and the
  stateful phase, on SQLite and on PostgreSQL, anonymously and with a reader, curator and admin key; any 5xx
  status fails it. Expected semantic refusals are in schemathesis.toml beside this file, documented contract
  differences (each with its reason) in schemathesis-baseline.json.
- (openapi-spec-validator and Spectral with the ADR ruleset run once, in tests/api/test_openapi.py.)
- Swagger UI at /api/v1/docs loads in headless Chromium without a request leaving 127.0.0.1, lists every
  operation of the document, and "Try it out" on the search operation returns hits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from tests.databases import BACKENDS, temporary_database
from tests.keys import Keys, make_keys
from tests.ops.servers import Gunicorn, create_key

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent
METHODS = ("get", "post", "put", "patch", "delete")
MAX_EXAMPLES = os.environ.get("KENNISBANK_SCHEMATHESIS_EXAMPLES", "10")
SEED = os.environ.get("KENNISBANK_SCHEMATHESIS_SEED", "20261129")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gunicorn, str]]:
    """A gunicorn server on its own seeded database (the fuzzer writes), and a curator key."""
    from tests.conftest import load_catalogue

    url = f"sqlite:///{tmp_path_factory.mktemp('gates') / 'kb.db'}"
    load_catalogue(url)
    key = create_key(url, "curator", name="quality-gates")
    settings = {"RATE_LIMIT_ANONYMOUS": "1000000/minute", "RATE_LIMIT_AUTHENTICATED": "1000000/minute"}
    with Gunicorn(url, settings, workers=2) as server:
        yield server, key[1]


@pytest.fixture(scope="module")
def document(live: tuple[Gunicorn, str]) -> dict[str, Any]:
    response = requests.get(f"{live[0].url}/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item
            if method in METHODS}


# Every identity fuzzes every operation on both databases, each in its own schemathesis process (one worker:
# Hypothesis is not thread-safe in places), all four at once. The admin key (which may do everything) runs
# every phase; the other identities skip the coverage phase, whose boundary cases do not depend on who asks
# and which costs the most. Figures and budget: README, "Quality gates".
IDENTITIES = ("anonymous", "reader", "curator", "admin")
FULL_PHASES = "examples,coverage,fuzzing,stateful"
LIGHT_PHASES = "examples,fuzzing,stateful"
LIGHT_EXAMPLES = os.environ.get("KENNISBANK_SCHEMATHESIS_LIGHT_EXAMPLES", "8")
GATE_TIMEOUT_S = 900


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gunicorn, Keys]]:
    """A gunicorn server on its own seeded database of each backend (the fuzzer writes), with a key per role."""
    from tests.conftest import load_catalogue

    with temporary_database(request.param, tmp_path_factory.mktemp(f"fuzzed-{request.param}")) as url:
        load_catalogue(url)
        keys = make_keys(url)
        settings = {"RATE_LIMIT_ANONYMOUS": "1000000/minute", "RATE_LIMIT_AUTHENTICATED": "1000000/minute"}
        with Gunicorn(url, settings, workers=2) as server:
            yield server, keys


def schemathesis_command(server: Gunicorn, keys: Keys, who: str, folder: Path) -> list[str]:
    full = who == "admin"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(HERE / "schemathesis.toml"),
        "run", f"{server.url}/api/v1/openapi.json", "--checks", "all", "--workers", "1", "--seed", SEED,
        "--phases", FULL_PHASES if full else LIGHT_PHASES, "--max-examples", MAX_EXAMPLES if full else LIGHT_EXAMPLES,
        "--request-timeout", "30", "--no-color", "--report", "har", "--report-har-path", str(folder / "requests.har"),
        "--baseline", str(HERE / "schemathesis-baseline.json"),  # documented contract differences only; each says why
    ]
    for name, value in keys.headers(who).items():
        command += ["--header", f"{name}: {value}"]
    return command


def server_errors(har: Path) -> list[str]:
    """Every answer with a 5xx status among the requests schemathesis sent (gunicorn's own answers included)."""
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    return [f"{e['request']['method']} {urlsplit(e['request']['url']).path} -> {e['response']['status']}"
            for e in entries if e["response"]["status"] >= 500]


def test_schemathesis_finds_no_failure_on_either_database_for_any_identity(
    fuzzed: tuple[Gunicorn, Keys], tmp_path: Path
) -> None:
    server, keys = fuzzed
    started = time.monotonic()
    runs: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    for who in IDENTITIES:
        folder = tmp_path / who
        folder.mkdir()
        with (folder / "output.txt").open("wb") as output:
            runs[who] = (subprocess.Popen(schemathesis_command(server, keys, who, folder), stdout=output,
                                          stderr=subprocess.STDOUT, cwd=folder), folder)
    outcomes: dict[str, tuple[int, str, list[str]]] = {}
    for who, (process, folder) in runs.items():
        try:
            code = process.wait(timeout=max(1.0, GATE_TIMEOUT_S - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        output = (folder / "output.txt").read_text("utf-8", "replace")
        outcomes[who] = (code, output, server_errors(folder / "requests.har"))
    took = time.monotonic() - started
    counts = {who: (re.findall(r"(\d+) generated", out) or ["?"])[-1] for who, (_, out, _) in outcomes.items()}
    print(f"schemathesis on {server.database_url.split(':', 1)[0]}: {took:.0f}s, cases {counts}")
    problems = []
    for who, (code, output, errors) in outcomes.items():
        if errors:
            problems.append(f"{who}: {len(errors)} answers with a 5xx status: {sorted(set(errors))}")
        if code != 0:
            failures = output.split("FAILURES", 1)[-1] if "FAILURES" in output else output
            problems.append(f"{who}: schemathesis exited {code}:\n{failures[:4000]}\n…\n{output[-1500:]}")
        elif not re.search(r"Tested: (\d+)", output):
            problems.append(f"{who}: no operation tested:\n{output[-1500:]}")
        assert "Authorization: Bearer kb_" not in output, f"{who}: a key in the output"
    assert problems == [], "\n\n".join(problems)


def test_server_url_plus_path_reaches_every_read(live: tuple[Gunicorn, str], document: dict[str, Any]) -> None:
    # The server URL is relative to the document's own URL (RFC 3986), as generators and Swagger UI resolve it.
    server = urljoin(f"{live[0].url}/api/v1/openapi.json", document["servers"][0]["url"])
    for path in ("/", "/municipalities", "/experts"):
        assert requests.get(f"{server}{path}", timeout=10).status_code == 200, path


class Browser:
    """Headless Debian Chromium on the live server's Swagger UI; every request outside 127.0.0.1 is blocked
    and remembered."""

    def __init__(self, server: Gunicorn) -> None:
        self.origin = urlsplit(server.url).hostname
        self.requested: list[str] = []
        self.outside: list[str] = []

    def guard(self, route: Any) -> None:
        url = route.request.url
        self.requested.append(url)
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == self.origin:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture
def swagger_ui(live: tuple[Gunicorn, str], browser: Any) -> Iterator[tuple[Any, Browser]]:
    """The Swagger UI page, loaded, with its operations rendered."""
    server, _ = live
    guard = Browser(server)
    page = browser.new_page()
    try:
        page.route("**/*", guard.guard)
        page.goto(f"{server.url}/api/v1/docs", wait_until="networkidle", timeout=60_000)
        page.wait_for_selector(".opblock", timeout=30_000)
        yield page, guard
    finally:
        page.close()
    assert guard.outside == [], f"requests left 127.0.0.1: {guard.outside}"


def test_swagger_ui_loads_offline_and_lists_every_operation(swagger_ui: tuple[Any, Browser],
                                                            document: dict[str, Any]) -> None:
    page, guard = swagger_ui
    shown = {(method.strip().upper(), path) for method, path in page.eval_on_selector_all(
        ".opblock", "els => els.map(e => [e.querySelector('.opblock-summary-method').textContent, "
                    "e.querySelector('.opblock-summary-path').getAttribute('data-path')])")}
    assert shown == operations(document)
    assert any(url.endswith("/api/v1/openapi.json") for url in guard.requested)
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in guard.requested if url.startswith("http"))


def test_swagger_ui_try_it_out_on_search_returns_hits(swagger_ui: tuple[Any, Browser],
                                                      document: dict[str, Any]) -> None:
    page, _ = swagger_ui
    paths = [p for p in document["paths"] if p.endswith("/search") and "get" in document["paths"][p]]
    search_path = paths[0] if paths else next(p for p in document["paths"] if p.endswith("/municipalities"))
    block = page.locator(".opblock.opblock-get").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{search_path}"]')).first
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    block.locator('tr[data-param-name="q"] input').fill("radicalisering")
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=30_000)
    body = block.locator(".live-responses-table .response-col_description pre").first.inner_text()
    assert status.inner_text().strip().startswith("200"), body[:500]
    answer = json.loads(body)
    assert answer.get("hits", answer.get("items")), answer
