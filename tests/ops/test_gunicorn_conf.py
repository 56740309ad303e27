"""gunicorn.conf.py: workers from the cores, no pool across a fork, metrics folder, JSON logs, graceful stop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import requests

from api.cli import gunicorn_config
from tests.conftest import REPO
from tests.ops.servers import Gunicorn

CONFIG = REPO / "gunicorn.conf.py"


def read_config(**env: str) -> dict[str, Any]:
    """The settings gunicorn takes from gunicorn.conf.py, read in a fresh interpreter."""
    script = textwrap.dedent(f"""
        import json, os, sys
        from gunicorn.config import Config
        from gunicorn.app.base import Application
        namespace = {{"__file__": {str(CONFIG)!r}, "__name__": "__config__"}}
        exec(compile(open({str(CONFIG)!r}).read(), {str(CONFIG)!r}, "exec"), namespace)
        cfg = Config()
        for key, value in namespace.items():
            if key in cfg.settings:
                cfg.set(key, value)
        lean = "api.config" in sys.modules and not any(
            m in sys.modules for m in ("api.app", "flask", "sqlalchemy", "prometheus_client"))
        from prometheus_client import values
        out = {{name: cfg.settings[name].get() for name in (
            "bind", "workers", "threads", "worker_class", "preload_app", "graceful_timeout", "timeout",
            "accesslog", "control_socket_disable", "wsgi_app")}}
        hooks = ("on_starting", "post_fork", "post_worker_init", "child_exit", "on_exit")
        out["hooks"] = sorted(k for k in hooks if callable(namespace.get(k)))
        out["lean_master"] = lean
        out["multiproc_dir"] = os.environ["PROMETHEUS_MULTIPROC_DIR"]
        out["multiproc_dir_files"] = os.listdir(out["multiproc_dir"])
        out["multiprocess_values"] = values.ValueClass._multiprocess
        out["cores"] = namespace["_cores"]()
        out["loggers"] = namespace["logconfig_dict"]["loggers"]
        import gc
        namespace["post_worker_init"](None)
        out["frozen_by_post_worker_init"] = gc.get_freeze_count() >= 1000
        namespace["on_exit"](None)
        out["removed_on_exit"] = not os.path.exists(out["multiproc_dir"])
        print(json.dumps(out))
    """)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KENNISBANK_", "PROMETHEUS_", "_KENNISBANK"))}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env={**clean, **env}, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_follow_the_cores_and_keep_pools_out_of_the_fork() -> None:
    config = read_config()
    assert config["workers"] == 2 * config["cores"] + 1
    assert config["cores"] >= 1
    assert config["worker_class"] == "gthread" and config["threads"] == 4
    assert config["preload_app"] is False
    assert config["graceful_timeout"] == 20 and config["timeout"] >= config["graceful_timeout"]
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["wsgi_app"] == "api.app:create_app()"
    assert config["accesslog"] is None  # the app writes the one access line per request
    assert config["control_socket_disable"] is True
    assert config["hooks"] == ["child_exit", "on_exit", "on_starting", "post_fork", "post_worker_init"]
    assert config["frozen_by_post_worker_init"], "a full collection would walk the loaded app (p99 pauses)"
    assert config["loggers"]["gunicorn.error"]["handlers"] == ["stdout"]


def test_everything_is_set_from_the_environment() -> None:
    config = read_config(KENNISBANK_WORKERS="3", KENNISBANK_THREADS="8", KENNISBANK_GRACEFUL_TIMEOUT="7",
                         KENNISBANK_BIND="0.0.0.0:8080")
    assert (config["workers"], config["threads"], config["graceful_timeout"]) == (3, 8, 7)
    assert config["bind"] == ["0.0.0.0:8080"]


def test_metrics_folder_is_fresh_set_before_prometheus_loads_and_removed_at_exit() -> None:
    config = read_config()
    assert Path(config["multiproc_dir"]).name.startswith("kennisbank-metrics-")
    assert config["multiproc_dir_files"] == []
    assert config["lean_master"] is True  # nothing of the app is imported before the fork
    assert config["multiprocess_values"] is True
    assert config["removed_on_exit"] is True


def test_a_folder_given_by_the_operator_is_kept(tmp_path: Path) -> None:
    config = read_config(PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    assert config["multiproc_dir"] == str(tmp_path)
    assert config["removed_on_exit"] is False


def test_a_forked_worker_drops_inherited_pools(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os
        from api.database import Database, after_fork
        database = Database("sqlite:///{tmp_path}/fork.db")
        parent_engine = database.engine
        with database.engine.connect():
            pass
        pid = os.fork()
        if pid == 0:
            after_fork()
            ok = database._engine is None and database.engine is not parent_engine
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert database.engine is parent_engine
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.stdout.strip().endswith("ok"), result.stderr[-3000:]


def test_serve_uses_the_file_in_the_working_folder_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gunicorn_config() == CONFIG
    (tmp_path / "gunicorn.conf.py").write_text("workers = 1\n")
    monkeypatch.chdir(tmp_path)
    assert gunicorn_config() == tmp_path / "gunicorn.conf.py"


@pytest.mark.slow
def test_gunicorn_logs_json_and_stops_gracefully_on_sigterm(sqlite_catalogue: str) -> None:
    server = Gunicorn(sqlite_catalogue, workers=2).start()
    try:
        assert server._process is not None
        assert requests.get(f"{server.url}/api/v1/municipalities/GM0363", timeout=10).status_code == 200
        assert any("Booting worker" in str(r.get("message")) for r in server.records())
        server._process.terminate()
        assert server._process.wait(timeout=30) == 0
        records = server.records()
        messages = [r["message"] for r in records]
        assert any("Shutting down" in m for m in messages), messages
        assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    finally:
        server.stop()
