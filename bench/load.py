"""Load test: gunicorn started like `make run`, then N seconds at C connections on search, support and a list.

    .venv/bin/python -m bench.load                       # 60 s, 64 connections, SQLite (like `make run`)
    .venv/bin/python -m bench.load --duration 10 --connections 16
    .venv/bin/python -m bench.load --database-url postgresql+psycopg://postgres@127.0.0.1:5432/kb_bench

It migrates and seeds a fresh database (`kennisbank db upgrade`, `kennisbank seed --demo`), starts
`kennisbank serve` on a free port of 127.0.0.1 (gunicorn.conf.py: 2 x cores + 1 gthread workers unless
KENNISBANK_WORKERS is set), waits for /health/ready, and drives it with wrk when it is installed (Debian's
`wrk`), else with a Python keep-alive client. Only 127.0.0.1 is ever addressed; the run stops by itself.
Rate limits are raised for the run (a load test from one address is not what they are for).

It prints requests/s, latency percentiles, the count of every status, socket errors, and the peak RSS of
each gunicorn worker, writes the same as JSON with --json FILE, and exits 1 if any request failed, any
response was >= 500 or any worker had to be replaced during the run (a worker that dies takes its open
connections with it: wrk counts those as socket read errors, with no 5xx answer anywhere). The server runs
with PYTHONFAULTHANDLER=1, so a worker that crashes leaves its Python traceback in the server's log, and the
log lines about dead workers are printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from bench.servers import worker_events

HOST = "127.0.0.1"
PATHS = (
    "/api/v1/search?q=radicalisering",
    "/api/v1/municipalities/GM0363/support",
    "/api/v1/municipalities?pageSize=20&sort=name",
)
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
statuses = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counter = 0 statuses = {} end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  io.write("KB-STATUSES")
  for status, count in pairs(total) do io.write(" " .. status .. "=" .. count) end
  io.write("\\n")
  local e = summary.errors
  io.write(string.format("KB-SUMMARY %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("KB-LATENCY %%d %%d %%d %%d %%d %%.1f\\n", latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                found.extend(int(child) for child in listing.read().split())
    except OSError:
        pass
    return found


class MemorySampler(threading.Thread):
    """Peak RSS per gunicorn worker (children of the master), sampled every 0.2 s until stopped."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peaks: dict[int, int] = {}
        self.master_peak = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.2):
            self.master_peak = max(self.master_peak, rss_bytes(self.master))
            for pid in children(self.master):
                self.peaks[pid] = max(self.peaks.get(pid, 0), rss_bytes(pid))

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join(timeout=5)


def run_wrk(base: str, paths: tuple[str, ...], duration: int, connections: int, folder: Path) -> dict[str, Any]:
    script = folder / "rotate.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
    threads = max(1, min(os.cpu_count() or 1, connections, 4))
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
               "-s", str(script), base]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed: {result.stderr or result.stdout}")
    out = result.stdout
    statuses = dict(
        (int(k), int(v)) for k, v in (pair.split("=") for pair in out.split("KB-STATUSES", 1)[1].split("\n")[0].split())
    )
    requests, duration_us, connect, read, write, timeouts, _status = map(int, re.search(
        r"KB-SUMMARY (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups())  # type: ignore[union-attr]
    p50, p90, p99, p999, worst, mean = re.search(  # type: ignore[union-attr]
        r"KB-LATENCY (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+)", out).groups()
    return {
        "tool": "wrk", "requests": requests, "seconds": duration_us / 1e6,
        "statuses": statuses, "socket_errors": {"connect": connect, "read": read, "write": write,
                                                "timeout": timeouts},
        "latency_ms": {"p50": int(p50) / 1000, "p90": int(p90) / 1000, "p99": int(p99) / 1000,
                       "p99.9": int(p999) / 1000, "max": int(worst) / 1000, "mean": float(mean) / 1000},
    }


def run_python(port: int, paths: tuple[str, ...], duration: int, connections: int) -> dict[str, Any]:
    """Threads with one keep-alive connection each, round-robin over the paths, until the deadline."""
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    latencies: list[float] = []

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        mine: list[float] = []
        count = offset
        while time.monotonic() < deadline:
            path = paths[count % len(paths)]
            count += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors[type(error).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
            with lock:
                statuses[status] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=duration + 30)
    seconds = time.monotonic() - started
    latencies.sort()

    def percentile(share: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 2) if latencies else 0.0

    return {
        "tool": "python", "requests": sum(statuses.values()), "seconds": seconds, "statuses": dict(statuses),
        "socket_errors": dict(errors),
        "latency_ms": {"p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99),
                       "p99.9": percentile(0.999), "max": percentile(1.0),
                       "mean": round(sum(latencies) / len(latencies) * 1000, 2) if latencies else 0.0},
    }


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server on {base} was not ready after {timeout:.0f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=64, help="concurrent connections (default 64)")
    parser.add_argument("--database-url", default="", help="database to migrate, seed and serve (default: a new "
                        "SQLite file, as `make run`)")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600 or not 1 <= args.connections <= 1024:
        parser.error("--duration is 1..600 seconds and --connections 1..1024")
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")

    folder = Path(tempfile.mkdtemp(prefix="kennisbank-load-"))
    port = free_port()
    base = f"http://{HOST}:{port}"
    kennisbank = str(Path(sys.executable).with_name("kennisbank"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMETHEUS_")}
    env.update({
        "KENNISBANK_DATABASE_URL": args.database_url or f"sqlite:///{folder / 'kennisbank.db'}",
        "KENNISBANK_BIND": f"{HOST}:{port}",
        "KENNISBANK_RATE_LIMIT_ANONYMOUS": "100000000/minute",
        "KENNISBANK_RATE_LIMIT_AUTHENTICATED": "100000000/minute",
        "KENNISBANK_LOG_LEVEL": env.get("KENNISBANK_LOG_LEVEL", "WARNING"),
        "PYTHONFAULTHANDLER": "1",  # a worker that crashes (SIGSEGV, SIGABRT) writes its Python traceback to the log
    })
    repo = Path(__file__).resolve().parent.parent
    for command in (["db", "upgrade"], ["seed", "--demo", "--path", str(repo / "seed")]):
        subprocess.run([kennisbank, *command], env=env, check=True, capture_output=True, timeout=600, cwd=repo)
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen([kennisbank, "serve"], env=env, cwd=repo, stdout=log, stderr=subprocess.STDOUT)
    sampler = MemorySampler(server.pid)
    try:
        wait_ready(base, server)
        for path in PATHS:
            with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status} before the run")
        workers = children(server.pid)
        sampler.start()
        print(f"load: {args.duration}s, {args.connections} connections, {tool}, {len(workers)} gunicorn workers, "
              f"on {base}", flush=True)
        figures = (run_wrk(base, PATHS, args.duration, args.connections, folder) if tool == "wrk"
                   else run_python(port, PATHS, args.duration, args.connections))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        sampler.stop()

    statuses = {int(k): v for k, v in figures["statuses"].items()}
    server_errors = sum(v for k, v in statuses.items() if k >= 500)
    failed = sum(figures["socket_errors"].values())
    other = sum(v for k, v in statuses.items() if not 200 <= k < 400)
    replaced = sorted(set(sampler.peaks) - set(workers))
    events = worker_events(folder / "server.log")
    figures.update({
        "paths": list(PATHS), "connections": args.connections, "workers": len(workers),
        "workers_started_during_run": replaced, "worker_events": events,
        "requests_per_second": round(figures["requests"] / figures["seconds"], 1),
        "responses_5xx": server_errors, "non_2xx_3xx": other,
        "peak_rss_mib_per_worker": {str(pid): round(b / 2**20, 1) for pid, b in sorted(sampler.peaks.items())},
        "peak_rss_mib_master": round(sampler.master_peak / 2**20, 1),
    })
    print(f"requests: {figures['requests']} in {figures['seconds']:.1f}s = {figures['requests_per_second']}/s")
    print("latency ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures["latency_ms"].items()))
    print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    print(f"socket errors: {figures['socket_errors']}; responses >= 500: {server_errors}")
    print("peak RSS per worker (MiB): " + ", ".join(map(str, figures["peak_rss_mib_per_worker"].values()))
          + f"; master {figures['peak_rss_mib_master']}")
    print(f"workers: {len(workers)} at the start, {len(replaced)} started during the run"
          + (f" (pids {', '.join(map(str, replaced))}: earlier workers died)" if replaced else ""))
    if events:
        print("server log, workers:\n  " + "\n  ".join(events))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    problems = [f"{count} {what}" for count, what in ((failed, "socket errors"), (server_errors, "responses >= 500"),
                                                       (other - server_errors, "other responses not 2xx/3xx"),
                                                       (len(replaced), "worker(s) replaced")) if count]
    if not problems:
        shutil.rmtree(folder, ignore_errors=True)
        print("load: OK")
    else:
        if figures["socket_errors"].get("read") and replaced:
            problems.append("the read errors are the connections of the worker(s) that died")
        elif figures["socket_errors"].get("read"):
            problems.append("no worker died: wrk also counts a read error for a kept-alive connection the server "
                            "closed (gunicorn.conf.py keepalive) while the load generator sent nothing on it")
        print(f"load: FAILED ({'; '.join(problems)}); the server's log is {folder / 'server.log'}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
