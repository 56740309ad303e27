"""Load generators: wrk when it is installed, else Python (processes x threads, http.client keep-alive).

Both keep `connections` keep-alive connections busy for `duration` seconds against one loopback server,
rotating through the given paths, and report requests/s, latency percentiles and errors. Every loop is bounded
in time (the duration) and in count (MAX_REQUESTS_PER_CONNECTION).
"""

from __future__ import annotations

import http.client
import json
import math
import multiprocessing
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

MAX_REQUESTS_PER_CONNECTION = 1_000_000
REQUEST_TIMEOUT_S = 30.0


@dataclass
class Measurement:
    """What one load run measured. Latencies in milliseconds."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # non-2xx/3xx answers, socket errors and timeouts
    generator: str

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if path is None:
        return ""
    done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=False)
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "wrk"


LUA = """
-- Rotate through the benchmark paths; each wrk thread starts at its own offset.
local paths = {%(paths)s}
local counter = 0
local thread_number = 0

function setup(thread)
  thread:set("offset", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  counter = (offset or 0) * 7
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %%d, "duration_us": %%d, "p50": %%d, "p90": %%d, "p99": %%d, "max": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def run_wrk(base: str, paths: list[str], connections: int, duration: float, folder: Path,
            threads: int = 2) -> Measurement:
    """One wrk run; its output is parsed (the script's `done` prints one JSON line of exact figures)."""
    script = folder / "rotate.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)}, encoding="utf-8")
    command = [wrk_path() or "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
               "--timeout", f"{REQUEST_TIMEOUT_S:.0f}s", "--latency", "-s", str(script), base]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + REQUEST_TIMEOUT_S + 30,
                          check=False)
    return parse_wrk(done.stdout, done.stderr)


def parse_wrk(stdout: str, stderr: str = "") -> Measurement:
    """Figures from wrk's output: the script's BENCH-RESULT line, else wrk's own summary."""
    for line in stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            r = json.loads(line.removeprefix("BENCH-RESULT "))
            seconds = r["duration_us"] / 1e6
            if not r["requests"]:
                r.update(p50=math.nan, p90=math.nan, p99=math.nan, max=math.nan)
            errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
            return Measurement(r["requests"], seconds, r["requests"] / seconds if seconds else 0.0,
                               r["p50"] / 1000, r["p90"] / 1000, r["p99"] / 1000, r["max"] / 1000, errors, "wrk")
    return _parse_wrk_text(stdout, stderr)


def _parse_wrk_text(stdout: str, stderr: str) -> Measurement:
    units = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}

    def ms(value: str) -> float:
        number = value.rstrip("umsh")
        return float(number) * units[value[len(number):] or "s"]

    figures: dict[str, float] = {}
    errors = 0
    requests, seconds = 0, 0.0
    for raw in stdout.splitlines():
        line = raw.strip()
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "90%", "99%"):
            figures[parts[0]] = ms(parts[1])
        elif line.startswith("Latency") and len(parts) >= 4:
            figures["max"] = ms(parts[3])
        elif "requests in" in line:
            requests = int(parts[0])
            seconds = ms(parts[3].rstrip(",")) / 1000
        elif line.startswith("Non-2xx or 3xx responses:"):
            errors += int(parts[-1])
        elif line.startswith("Socket errors:"):
            errors += sum(int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit())
    if not requests:
        raise RuntimeError(f"could not read wrk's output:\n{stdout}\n{stderr}")
    return Measurement(requests, seconds, requests / seconds if seconds else 0.0, figures.get("50%", math.nan),
                       figures.get("90%", math.nan), figures.get("99%", math.nan), figures.get("max", math.nan),
                       errors, "wrk")


def _connection_loop(host: str, port: int, paths: list[str], offset: int, deadline: float,
                     latencies: list[float], errors: list[int]) -> None:
    connection: http.client.HTTPConnection | None = None
    count = 0
    while count < MAX_REQUESTS_PER_CONNECTION and time.perf_counter() < deadline:
        path = paths[(offset + count) % len(paths)]
        count += 1
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors[0] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            errors[0] += 1
            if connection is not None:
                connection.close()
            connection = None
            continue
        latencies.append(time.perf_counter() - started)
    if connection is not None:
        connection.close()


def _process(host: str, port: int, paths: list[str], threads: int, first: int, start_at: float,
             duration: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    while time.time() < start_at:
        time.sleep(min(0.01, max(0.0, start_at - time.time())))
    deadline = time.perf_counter() + duration
    per_thread = [([], [0]) for _ in range(threads)]  # type: list[tuple[list[float], list[int]]]
    workers = [threading.Thread(target=_connection_loop, daemon=True,
                                args=(host, port, paths, (first + n) * 7, deadline, lat, err))
               for n, (lat, err) in enumerate(per_thread)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=duration + REQUEST_TIMEOUT_S + 5)
    latencies = [x for lat, _ in per_thread for x in lat]
    out.put((latencies, sum(err[0] for _, err in per_thread)))


def run_python(base: str, paths: list[str], connections: int, duration: float, processes: int = 2) -> Measurement:
    """`connections` keep-alive connections spread over `processes` processes (so one GIL is not the limit)."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    processes = max(1, min(processes, connections))
    shares = [connections // processes + (1 if n < connections % processes else 0) for n in range(processes)]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 1.0
    children = []
    first = 0
    for share in shares:
        child = context.Process(target=_process, args=(host, port, paths, share, first, start_at, duration, queue))
        child.start()
        children.append(child)
        first += share
    latencies: list[float] = []
    errors = 0
    for _ in children:
        got, failed = queue.get(timeout=duration + REQUEST_TIMEOUT_S + 30)
        latencies.extend(got)
        errors += failed
    for child in children:
        child.join(timeout=10)
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return math.nan
        return latencies[min(len(latencies) - 1, max(0, math.ceil(p / 100 * len(latencies)) - 1))] * 1000

    return Measurement(len(latencies), duration, len(latencies) / duration, pct(50), pct(90), pct(99),
                       latencies[-1] * 1000 if latencies else math.nan, errors, "python")


def run(generator: str, base: str, paths: list[str], connections: int, duration: float, folder: Path) -> Measurement:
    """One load run with the chosen generator ("wrk" or "python")."""
    if generator == "wrk":
        return run_wrk(base, paths, connections, duration, folder)
    return run_python(base, paths, connections, duration)
