"""A real HTTP server of the app for tests that need one (browsers, end-to-end, load).

    with LiveServer(url) as server:                    # werkzeug in a thread, free port on 127.0.0.1
        requests.get(f"{server.url}/api/v1")
    with LiveServer(url, mode="gunicorn") as server:   # `gunicorn 'api.app:create_app()'` in a subprocess
        ...
    with LiveServer(url, settings={"FRAME_ANCESTORS": "https://intranet.example.org"}) as server:
        ...

`settings` are KENNISBANK_* settings by short name. Start-up waits at most `start_timeout` seconds for the
server to answer `ready_path` over HTTP, and fails with the server's output when it does not.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class LiveServerError(RuntimeError):
    """The server did not come up in time, or died while starting."""


class LiveServer:
    """The app on `database_url`, served over real HTTP on 127.0.0.1 until `stop()`."""

    def __init__(
        self,
        database_url: str,
        settings: dict[str, str] | None = None,
        *,
        mode: str = "thread",
        start_timeout: float = 20.0,
        ready_path: str = "/api/v1",
        workers: int = 1,
    ) -> None:
        if mode not in ("thread", "gunicorn"):
            raise ValueError("mode is 'thread' or 'gunicorn'")
        self.database_url = database_url
        self.settings = dict(settings or {})
        self.mode = mode
        self.start_timeout = start_timeout
        self.ready_path = ready_path
        self.workers = workers
        self.port = 0
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._app: Any = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321 (no trailing slash)."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> LiveServer:
        """Start serving and wait until the server answers; returns self."""
        if self.mode == "thread":
            self._start_thread()
        else:
            self._start_gunicorn()
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop serving and release the port and database connections (idempotent)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._app is not None:
            self._app.extensions["kennisbank_db"].dispose()
            self._app = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _start_thread(self) -> None:
        from api.app import create_app  # imported here so that gunicorn mode does not need the app in this process

        self._app = create_app({"DATABASE_URL": self.database_url, **self.settings})
        self._server = make_server(HOST, 0, self._app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"live-server-{self.port}",
                                        daemon=True)
        self._thread.start()

    def _start_gunicorn(self) -> None:
        self.port = free_port()
        env = {**os.environ, "KENNISBANK_DATABASE_URL": self.database_url}
        env.update({f"KENNISBANK_{name}": value for name, value in self.settings.items()})
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the server's lifetime, closed in stop()
        command = [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
                   "--graceful-timeout", "5", "api.app:create_app()"]
        self._process = subprocess.Popen(command, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-4000:]

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise LiveServerError(f"server exited with {self._process.returncode}:\n{self._output()}")
            try:
                with urllib.request.urlopen(f"{self.url}{self.ready_path}", timeout=2) as response:
                    if response.status < 500:
                        return
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    return
                last = f"HTTP {error.code}"
            except OSError as error:
                last = str(error)
            time.sleep(0.1)
        raise LiveServerError(f"server on {self.url} not ready after {self.start_timeout}s ({last})\n{self._output()}")
