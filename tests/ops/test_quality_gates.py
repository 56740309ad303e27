"""Quality gates on a live gunicorn server over real HTTP: schemathesis, the ADR ruleset, Swagger UI in Chromium.

- schemathesis generates requests from /api/v1/openapi.json for every operation (reads and, with a curator
  key, writes) with all its checks; expected semantic refusals are listed in schemathesis.toml beside this file.
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from tests.ops.servers import Gunicorn, create_key

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent
METHODS = ("get", "post", "put", "patch", "delete")
MAX_EXAMPLES = os.environ.get("KENNISBANK_SCHEMATHESIS_EXAMPLES", "20")
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


def test_schemathesis_finds_no_failure(live: tuple[Gunicorn, str], document: dict[str, Any],
                                       tmp_path: Path) -> None:
    server, key = live
    report = tmp_path / "schemathesis.json"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(HERE / "schemathesis.toml"),
        "run", f"{server.url}/api/v1/openapi.json",
        "--checks", "all", "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--workers", "2",
        "--header", f"Authorization: Bearer {key}", "--request-timeout", "30",
        "--no-color", "--report", "json", "--report-json-path", str(report),
        "--baseline", str(HERE / "schemathesis-baseline.json"),  # known, reported issues only; each says why
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False, cwd=tmp_path)
    failures = result.stdout.split("FAILURES", 1)[-1] if "FAILURES" in result.stdout else result.stdout
    assert result.returncode == 0, failures[:8000] + "\n…\n" + result.stdout[-3000:]
    assert re.search(r"Tested: (\d+)", result.stdout) and "Authorization: Bearer kb_" not in result.stdout
    server_errors = [r for r in server.records() if r.get("logger") == "kennisbank.access" and r["status"] >= 500]
    assert server_errors == []


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
