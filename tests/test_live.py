"""tests/live.py: the app over real HTTP, in a thread or under gunicorn, started and stopped cleanly."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from tests.live import LiveServer

pytestmark = pytest.mark.slow


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("mode", ["thread", "gunicorn"])
def test_live_server_serves_the_app_over_http(seeded_url: str, mode: str) -> None:
    with LiveServer(seeded_url, mode=mode) as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, headers, body = get(f"{server.url}/api/v1/municipalities/GM0363/support")
        assert status == 200 and headers["API-Version"]
        assert json.loads(body)["municipality"]["name"] == "Amsterdam"
        port = server.port
    assert port_is_free(port), "stop() releases the port"


def test_live_server_passes_settings(seeded_url: str) -> None:
    with LiveServer(seeded_url, settings={"FRAME_ANCESTORS": "https://intranet.example.org"}) as server:
        _status, headers, _body = get(f"{server.url}/widget")
        assert "frame-ancestors https://intranet.example.org" in headers["Content-Security-Policy"]
