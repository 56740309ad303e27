"""`make bench`: the API under load on SQLite and PostgreSQL at 1k, 10k and 100k experts + approaches.

For each backend: a temporary database, `kennisbank db upgrade` and `kennisbank seed` (the real catalogue), then
for each size the synthetic records (bench/synthetic.py) topped up and the search index rebuilt, and the app
started with `kennisbank serve` (gunicorn.conf.py, as `make run` does) on a free loopback port. Each endpoint is
loaded for a fixed time at a fixed number of connections after a short warm-up; every figure is also given as a
ratio to the trivial endpoint measured against the same server in the same run. `search-cold` runs the same
search queries against a second server for the same database with KENNISBANK_SEARCH_CACHE_SIZE=0 (every request
searches the index; its ratio is to the first server's trivial endpoint). These are benchmarks, not tests:
nothing fails on a slow figure; the summary says PASS or MISS per target (INFO lines are not targets).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import loadgen, report, servers, synthetic

SEARCH_QUERIES = ["radicalisering training", "den bosch", "extreemrechts", "leernetwerk", "eindhovn",
                  "sleutelfiguren", "polarisatie jongeren", "jihadisme", "veiligheidshuis utrecht", "eenlingen",
                  "online radicalisering", "gezinsondersteuning"]
"""Rotating, realistic queries: names, places, an alias, a typo, topics and synonyms (at least 12)."""
ITEM_PATHS = [f"/api/v1/municipalities/{m}" for m in ("GM0363", "GM0796", "GM0014", "GM0344")] + [
    "/api/v1/organisations/ess", "/api/v1/organisations/ror", "/api/v1/topics/polarisation",
    "/api/v1/topics/lone-actors", "/api/v1/experts/ess-adviseurs-gemeenten", "/api/v1/experts/ror-trainers",
    "/api/v1/approaches/ror-trainingen-en-masterclasses", "/api/v1/safety-regions/VR13"]
COLLECTION_PATH = "/api/v1/approaches?sizeClass=small&topic=polarisation&pageSize=20"
LIST_PATHS = [COLLECTION_PATH, "/api/v1/municipalities?sizeClass=small&sort=-population",
              "/api/v1/experts?serves=GM0363", "/api/v1/organisations?scope=national&sort=name"]
SUPPORT_MUNICIPALITIES = ["GM0363", "GM0957", "GM0796", "GM0014", "GM0344", "GM0599"]
DATASETTE_ROWS = [f"/{{db}}/municipalities/{m}.json" for m in ("GM0363", "GM0796", "GM0014", "GM0344")] + [
    "/{db}/organisations/ess.json", "/{db}/organisations/ror.json", "/{db}/topics/polarisation.json",
    "/{db}/topics/lone-actors.json", "/{db}/experts/ess-adviseurs-gemeenten.json", "/{db}/experts/ror-trainers.json",
    "/{db}/approaches/ror-trainingen-en-masterclasses.json", "/{db}/safety_regions/VR13.json"]
"""Datasette's row JSON of the same records as ITEM_PATHS."""
DEFAULT_SIZES = (0, 1_000, 10_000, 100_000)
"""0: the real catalogue as `kennisbank seed` loads it; the others add synthetic experts and approaches."""
BUILD_TIMEOUT_S = 3600


CACHE_OFF_SETTINGS = {"KENNISBANK_REPRESENTATION_CACHE_BYTES": "0"}
"""The second server of each size: every GET runs its view (the search result cache and the record dumps stay at
their defaults: what an answer the representation cache does not hold costs)."""
COLD_SETTINGS = {"KENNISBANK_REPRESENTATION_CACHE_BYTES": "0", "KENNISBANK_SEARCH_CACHE_SIZE": "0",
                 "KENNISBANK_RECORD_CACHE_SIZE": "0"}
"""The third server: nothing kept; every search goes to the index, every record is loaded and dumped."""


@dataclass(frozen=True)
class Endpoint:
    """A named endpoint and the paths one run rotates through; `settings` (KENNISBANK_* variables) other than
    none means it is measured against a second server started for the same database with those settings;
    `kind` another server on the same database: `bare` (the ceiling) or `datasette` (the peer, SQLite only)."""

    key: str
    label: str
    paths: list[str]
    settings: tuple[tuple[str, str], ...] = ()
    kind: str = "kennisbank"
    real_only: bool = False
    """Measured at the real catalogue only (information beside the targets)."""


def endpoints(trivial_path: str) -> list[Endpoint]:
    search_paths = [f"/api/v1/search?q={quote(q)}" for q in SEARCH_QUERIES]
    support_paths = [f"/api/v1/municipalities/{m}/support" for m in SUPPORT_MUNICIPALITIES]
    off, cold = tuple(CACHE_OFF_SETTINGS.items()), tuple(COLD_SETTINGS.items())
    fts_paths = [f"/{{db}}/search_fts.json?_search={quote(q)}" for q in SEARCH_QUERIES]
    return [
        Endpoint("trivial", f"trivial {trivial_path}", [trivial_path]),
        Endpoint("bare", "bare Flask (the ceiling)", ["/health/live"], kind="bare"),
        Endpoint("root", "API root /api/v1", ["/api/v1"]),
        Endpoint("item", f"item ({len(ITEM_PATHS)} records)", ITEM_PATHS),
        Endpoint("list", f"list ({len(LIST_PATHS)} queries)", LIST_PATHS),
        Endpoint("support", f"support ({len(support_paths)} municipalities)", support_paths),
        Endpoint("search", f"search ({len(SEARCH_QUERIES)} queries)", search_paths),
        Endpoint("item-off", "item, cache off", ITEM_PATHS, off),
        Endpoint("list-off", "list, cache off", LIST_PATHS, off),
        Endpoint("support-off", "support, cache off", support_paths, off),
        Endpoint("search-off", "search, cache off", search_paths, off),
        Endpoint("search-cold", "search, all caches off", search_paths, cold),
        Endpoint("item-cold", "item, all caches off", ITEM_PATHS, cold, real_only=True),
        Endpoint("list-cold", "list, all caches off", LIST_PATHS, cold, real_only=True),
        Endpoint("support-cold", "support, all caches off", support_paths, cold, real_only=True),
        Endpoint("datasette-row", f"Datasette row JSON ({len(DATASETTE_ROWS)} rows)", DATASETTE_ROWS,
                 kind="datasette"),
        Endpoint("datasette-fts", f"Datasette FTS ({len(SEARCH_QUERIES)} queries)", fts_paths, kind="datasette"),
    ]


ENDPOINT_KEYS = [e.key for e in endpoints("/health/live")]


class Progress:
    """A one-line progress display on stderr (redrawn on a terminal, a line per quarter otherwise)."""

    def __init__(self, label: str, total: int, live: bool = True) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.perf_counter()
        self.tty = live and sys.stderr.isatty()
        self.quarter = 0
        self.drawn = 0.0

    def __call__(self, n: int) -> None:
        self.done += n
        if self.tty:
            now = time.perf_counter()
            if now - self.drawn >= 0.1 or self.done >= self.total:
                self.drawn = now
                self._draw("\r")
        elif self.done * 4 // self.total > self.quarter:
            self.quarter = self.done * 4 // self.total
            self._draw("")
            sys.stderr.write("\n")

    def _draw(self, prefix: str) -> None:
        share = self.done / self.total
        bar = "#" * int(share * 30)
        sys.stderr.write(f"{prefix}    {self.label:<20} [{bar:<30}] {self.done:>7,}/{self.total:,} "
                         f"{time.perf_counter() - self.started:6.1f} s")
        sys.stderr.flush()

    def finish(self) -> float:
        elapsed = time.perf_counter() - self.started
        if self.tty:
            self._draw("\r")
            sys.stderr.write("\n")
        sys.stderr.flush()
        return elapsed


def say(text: str = "") -> None:
    print(text, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", "10")),
                        help="seconds of load per endpoint (default 10, env BENCH_DURATION)")
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_WARMUP", "2")),
                        help="seconds of unmeasured load before each run (default 2); with the representation cache "
                             "on, repeated until a round adds no cache miss (at most 10 rounds)")
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", "32")))
    parser.add_argument("--sizes", default=env("BENCH_SIZES", ",".join(map(str, DEFAULT_SIZES))),
                        help="comma list of experts + approaches totals; 0 is the real catalogue alone "
                             "(default 0,1000,10000,100000)")
    parser.add_argument("--backends", default=env("BENCH_BACKENDS", "sqlite,postgresql"))
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default=env("BENCH_GENERATOR", "auto"))
    parser.add_argument("--endpoints", default=env("BENCH_ENDPOINTS", ""),
                        help=f"comma list of endpoint keys to run, of {', '.join(ENDPOINT_KEYS)} (trivial is always "
                             "run: the other figures are ratios to it); default all")
    parser.add_argument("--out", default=env("BENCH_OUT", "bench-results"),
                        help="folder for the JSON and Markdown results (relative to the repository root)")
    parser.add_argument("--no-load-test", action="store_true", default=bool(env("BENCH_NO_LOAD_TEST")),
                        help="skip bench/load.py (the long load test) after the benchmarks")
    parser.add_argument("--max-request-seconds", type=float, default=float(env("BENCH_MAX_REQUEST_SECONDS", "5")),
                        help="an endpoint one request of which takes longer than this (unloaded) is not loaded, "
                             "its single-request time is reported instead (default 5)")
    parser.add_argument("--keep-logs", action="store_true", help="copy the server logs to the results folder")
    parser.add_argument("--short", action="store_true",
                        help="a smoke run of about a minute: --duration 2 --warmup 0.5 --sizes 0 --backends sqlite "
                             "--no-load-test (options given explicitly still count)")
    args = parser.parse_args(argv)
    if args.short:
        given = set(argv if argv is not None else sys.argv[1:])
        for option, value in (("--duration", 2.0), ("--warmup", 0.5), ("--sizes", "0"), ("--backends", "sqlite"),
                              ("--no-load-test", True)):
            if not any(g == option or g.startswith(option + "=") for g in given):
                setattr(args, option.removeprefix("--").replace("-", "_"), value)
    return args


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=servers.ROOT, capture_output=True,
                              text=True, timeout=10, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=servers.ROOT,
                               capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' (with uncommitted changes)' if dirty else ''}" if head else "unknown"


def probe(base: str, endpoint: Endpoint) -> tuple[int, float, str]:
    """Every path once, one at a time: (average body bytes, slowest seconds, a note); exits unless all are 200."""
    sizes, slowest, notes = [], 0.0, []
    for path in endpoint.paths:
        started = time.perf_counter()
        status, body = servers.get(base + path, timeout=300)
        slowest = max(slowest, time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"bench: GET {path} answered {status}: {body[:300]!r}")
        sizes.append(len(body))
        if endpoint.key.startswith("search"):
            data = json.loads(body)
            hint = f" -> {data['didYouMean']}" if data.get("didYouMean") else ""
            notes.append(f"{data['total']}{hint}")
        elif endpoint.key == "support":
            data = json.loads(body)
            notes.append(f"{len(data.get('experts', []))} experts/{len(data.get('approaches', []))} approaches")
        elif endpoint.key == "collection":
            notes.append(f"total {json.loads(body).get('total')}")
    return sum(sizes) // len(sizes), slowest, ("hits " if endpoint.key.startswith("search") else "") + ", ".join(notes)


def cache_note(endpoint: Endpoint, before: dict[str, int], after: dict[str, int] | None) -> str:
    """How many of the measured searches the workers' result cache answered (kennisbank_search_cache_total);
    says so loudly when the cache-off server answered any from a cache."""
    if after is None:
        return ""
    hits, misses = after["hit"] - before["hit"], after["miss"] - before["miss"]
    share = f"search cache hits {hits / max(hits + misses, 1):.0%} of {hits + misses:,} searches"
    if dict(endpoint.settings).get("KENNISBANK_SEARCH_CACHE_SIZE") == "0" and hits:
        return f"WARNING: the cache is not off ({share})"
    return share


WARMUP_MAX_ROUNDS = 10
"""At most this many warm-up rounds per endpoint (so at most 10 x --warmup seconds)."""


def warm_up(server: servers.Server, endpoint: Endpoint, args: argparse.Namespace, generator: str,
            folder: Path) -> None:
    """Unmeasured load before a measurement. Against a server whose representation cache is on, repeated until a
    round adds no cache miss (at most WARMUP_MAX_ROUNDS): each worker keeps its own cache, so the measurement starts
    once every worker has answered every request of the endpoint, and shows the cache's steady state rather than
    its filling (at 100k records on PostgreSQL, 5 workers computing 12 searches take longer than one round)."""
    for _ in range(WARMUP_MAX_ROUNDS):
        before = servers.cache_counts(server.base, servers.REPRESENTATION_CACHE) \
            if endpoint.kind == "kennisbank" else None
        loadgen.run(generator, server.base, endpoint.paths, args.connections, args.warmup, folder)
        after = servers.cache_counts(server.base, servers.REPRESENTATION_CACHE) if before is not None else None
        if before is None or after is None or after["miss"] == before["miss"]:
            return


def measure(server: servers.Server, backend: str, size: int, chosen: list[Endpoint], args: argparse.Namespace,
            generator: str, folder: Path) -> list[report.Row]:
    rows = []
    database = Path(server.database_url.removeprefix("sqlite:///")).stem
    chosen = [replace(e, paths=[p.replace("{db}", database) for p in e.paths]) for e in chosen]
    for endpoint in chosen:
        bytes_avg, slowest, note = probe(server.base, endpoint)
        if slowest > args.max_request_seconds:
            # Loading it would only queue requests behind each other for minutes: report the single request.
            note = (f"not loaded: one request takes {slowest:.1f} s unloaded (limit {args.max_request_seconds:g} s); "
                    + note)
            row = report.Row(backend, size, endpoint.key, endpoint.label, endpoint.paths, 0.0, slowest * 1000,
                             math.nan, math.nan, slowest * 1000, 0, 0, "none", bytes_avg, note,
                             loadavg=round(os.getloadavg()[0], 1))
            rows.append(row)
            say(f"    {endpoint.label:<32} {note}")
            continue
        if args.warmup > 0:
            warm_up(server, endpoint, args, generator, folder)
        before = servers.search_cache_counts(server.base) if endpoint.key.startswith("search") else None
        kept = servers.cache_counts(server.base, servers.REPRESENTATION_CACHE) if endpoint.kind == "kennisbank" \
            else None
        m = loadgen.run(generator, server.base, endpoint.paths, args.connections, args.duration, folder)
        if before is not None:
            note = "; ".join(filter(None, [cache_note(endpoint, before, servers.search_cache_counts(server.base)),
                                           note]))
        hit_rate = math.nan
        if kept is not None:
            after = servers.cache_counts(server.base, servers.REPRESENTATION_CACHE) or kept
            hits, misses = after["hit"] - kept["hit"], after["miss"] - kept["miss"]
            hit_rate = hits / (hits + misses) if hits + misses else math.nan
        row = report.Row(backend, size, endpoint.key, endpoint.label, endpoint.paths, m.rps, m.p50_ms, m.p90_ms,
                         m.p99_ms, m.max_ms, m.requests, m.errors, m.generator, bytes_avg, note,
                         loadavg=round(os.getloadavg()[0], 1), cache_hit_rate=hit_rate)
        rows.append(row)
        say(f"    {endpoint.label:<32} {m.rps:>9,.1f} req/s  p50 {m.p50_ms:8.1f} ms  p99 {m.p99_ms:8.1f} ms"
            f"  errors {m.errors}" + (f"  [{note}]" if note else ""))
    return rows


def prepare(url: str, backend: str, size: int, live: bool) -> dict[str, Any]:
    """Top the synthetic records up to `size`, then rebuild the search index with
    `api.services.search_index.reindex_all` in one transaction (what `kennisbank reindex` does)."""
    from api.collections import indexed
    from api.database import Database
    from api.services.search_index import count_records

    name = f"{report.BACKEND_NAMES[backend]} {report.size_label(size)}"
    database = Database(url)
    try:
        with database.transaction() as session:
            adding = synthetic.to_add(session, size)
        progress = Progress(f"{name} inserting", adding, live)
        with database.transaction() as session:
            added = synthetic.grow(session, size, progress)
        insert_s = progress.finish()
        with database.transaction() as session:
            progress = Progress(f"{name} indexing", count_records(session, indexed()), live)
            indexed = synthetic.reindex(session, progress)
        reindex_s = progress.finish()
        if backend == "postgresql":  # statistics and visibility map as autovacuum would leave them after a bulk load
            with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("SET statement_timeout = 0")  # the app's 5 s limit is for requests
                connection.exec_driver_sql("VACUUM ANALYZE")
        with database.transaction() as session:
            experts, approaches = synthetic.counts(session)
    finally:
        database.dispose()
    count = sum(len(ids) for ids in added.values())
    say(f"  {name}: {experts:,} experts + {approaches:,} approaches ({count:,} synthetic added in {insert_s:.1f} s); "
        f"{indexed:,} documents indexed in {reindex_s:.1f} s ({indexed / max(reindex_s, 1e-9):,.0f}/s)")
    return {"backend": backend, "size": size, "added": count, "experts": experts, "approaches": approaches,
            "insert_s": round(insert_s, 2), "indexed": indexed, "reindex_s": round(reindex_s, 2)}


def build(backend: str, folder: str, chain: list[tuple[int, str]], live: bool) -> list[dict[str, Any]]:
    """Migrate and seed the first database, then for each size: copy the previous one, top it up, reindex."""
    databases = servers.Databases(backend, Path(folder))
    first = chain[0][1]
    databases.create(first)
    started = time.perf_counter()
    servers.kennisbank(first, "db", "upgrade")
    seeded = servers.kennisbank(first, "seed")
    say(f"  {report.BACKEND_NAMES[backend]}: migrated and seeded the real catalogue in "
        f"{time.perf_counter() - started:.1f} s ("
        + "; ".join(line for line in seeded.splitlines() if line.startswith(("experts", "approaches"))) + ")")
    done: list[dict[str, Any]] = []
    previous = None
    for size, url in chain:
        if previous is not None:
            databases.copy(previous, url)
        done.append(prepare(url, backend, size, live))
        previous = url
    return done


def _build_child(backend: str, folder: str, chain: list[tuple[int, str]], out: Any) -> None:
    try:
        out.put(("ok", build(backend, folder, chain, live=False)))
    except BaseException as error:  # report any failure (also SystemExit) to the parent
        out.put(("error", f"{type(error).__name__}: {error}"))


def build_all(plan: dict[str, list[tuple[int, str]]], folder: Path) -> list[dict[str, Any]]:
    """Build every backend's databases; with two backends, the PostgreSQL chain runs in a second process at the
    same time (nothing is measured meanwhile), which shortens the run on two cores."""
    if len(plan) == 1:
        backend, chain = next(iter(plan.items()))
        return build(backend, str(folder), chain, live=True)
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    children = [context.Process(target=_build_child, args=(backend, str(folder), chain, out), daemon=True)
                for backend, chain in plan.items()]
    for child in children:
        child.start()
    done: list[dict[str, Any]] = []
    failures = []
    for _ in children:
        status, value = out.get(timeout=BUILD_TIMEOUT_S)
        if status == "ok":
            done += value
        else:
            failures.append(value)
    for child in children:
        child.join(timeout=30)
    if failures:
        raise SystemExit("bench: preparing the databases failed: " + "; ".join(failures))
    return sorted(done, key=lambda d: (list(plan).index(d["backend"]), d["size"]))


def wanted_endpoints(args: argparse.Namespace) -> set[str]:
    """The endpoint keys --endpoints asks for (trivial always); exits on an unknown key."""
    wanted = {k.strip() for k in args.endpoints.split(",") if k.strip()}
    unknown = sorted(wanted - set(ENDPOINT_KEYS))
    if unknown:
        raise SystemExit(f"bench: unknown endpoint(s) {', '.join(unknown)}; use {', '.join(ENDPOINT_KEYS)}")
    return (wanted or set(ENDPOINT_KEYS)) | {"trivial"}


Group = tuple[str, tuple[tuple[str, str], ...]]
"""The server an endpoint needs: its kind and its settings."""


def first_server_endpoints(server: servers.Server, wanted: set[str], later: dict[Group, list[Endpoint]],
                           backend: str = "sqlite", size: int = 0) -> list[Endpoint]:
    """The wanted endpoints that need no other server (for the first server of a size); the others are added to
    `later`, grouped by the server they need (Datasette only for SQLite, and only when it is installed)."""
    trivial = "/health/live" if servers.get(server.base + "/health/live")[0] == 200 else "/api/v1"
    chosen = [e for e in endpoints(trivial) if e.key in wanted and (size == 0 or not e.real_only)]
    if backend != "sqlite" or not (servers.BIN / "datasette").exists():
        chosen = [e for e in chosen if e.kind != "datasette"]
    for endpoint in chosen:
        if endpoint.settings or endpoint.kind != "kennisbank":
            later.setdefault((endpoint.kind, endpoint.settings), []).append(endpoint)
    return [e for e in chosen if not e.settings and e.kind == "kennisbank"]


def _datasette_version() -> str:
    try:
        from importlib.metadata import version

        return version("datasette")
    except Exception:
        return ""


def same_endpoints(group: list[Endpoint], _server: servers.Server) -> list[Endpoint]:
    return group


def serve_and_measure(url: str, group: Group, pick: Callable[[servers.Server], list[Endpoint]],
                      backend: str, size: int, args: argparse.Namespace, generator: str, folder: Path,
                      logs: Path | None) -> list[report.Row]:
    """Start the server of `group` on `url`, measure the endpoints `pick` chooses, note each worker's memory, stop."""
    kind, settings = group
    suffix = "".join(f"-{k.removeprefix('KENNISBANK_').lower()}-{v}" for k, v in settings)
    log = folder / f"server-{backend}-{size}-{kind}{suffix}.log"
    with servers.Server(url, log, dict(settings), kind=kind) as server:
        chosen = pick(server)
        shown = ", ".join(f"{k}={v}" for k, v in settings)
        what = {"kennisbank": "kennisbank serve", "bare": "bench/bare.py under gunicorn.conf.py",
                "datasette": "datasette serve (one process)"}[kind]
        say(f"  server: {what} on {server.base}, {server.workers()} worker processes" + (f", {shown}" if shown else ""))
        rows = measure(server, backend, size, chosen, args, generator, folder)
        rss = server.worker_rss_mib()
        for row in rows:
            row.rss_mib = max(rss) if rss else math.nan
    died = [event for event in servers.worker_events(log) if not event.startswith(" ")]
    if died:  # a worker that dies takes its connections with it: the errors column of these rows counts them
        say(f"  WARNING: gunicorn workers died during these measurements (log {log.name}"
            f"{', kept' if logs is not None else '; --keep-logs keeps it'}):\n    "
            + "\n    ".join(servers.worker_events(log)))
        for row in rows:
            row.note = "; ".join(filter(None, ["workers died while this server ran (see its log)", row.note]))
    if logs is not None:
        logs.mkdir(parents=True, exist_ok=True)
        (logs / log.name).write_bytes(log.read_bytes())
    log.unlink(missing_ok=True)
    return rows


def measure_backend(backend: str, chain: list[tuple[int, str]], args: argparse.Namespace, generator: str,
                    results: report.Results, folder: Path, logs: Path | None) -> None:
    """For each size: the endpoints that need no server settings against one server (trivial first), then each
    group of endpoints with settings (search-cold) against a second server on the same database, one after the
    other. Every ratio is to the trivial endpoint of the first server."""
    wanted = wanted_endpoints(args)
    for size, url in chain:
        say(f"\n== {report.BACKEND_NAMES[backend]}, {report.size_label(size, long=True)} ==")
        later: dict[Group, list[Endpoint]] = {}
        rows = serve_and_measure(url, ("kennisbank", ()), partial(first_server_endpoints, wanted=wanted, later=later,
                                                                  backend=backend, size=size), backend, size,
                                 args, generator, folder, logs)
        for group, chosen in later.items():
            rows += serve_and_measure(url, group, partial(same_endpoints, chosen), backend, size, args, generator,
                                      folder, logs)
        results.rows.extend(rows)
        results.add_ratios()
        say("")
        for line in report.table_lines(rows):
            say("    " + line)


def run_load_test(args: argparse.Namespace) -> int:
    """The 60 s x 64 connections load test (bench/load.py), run after the benchmarks."""
    if args.no_load_test:
        say("\nbench/load.py: skipped (--no-load-test)")
        return 0
    say("\n== load test: bench/load.py ==")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = servers.ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "bench.load", "--json", str(out / f"load-{stamp}.json")]
    done = subprocess.run(command, cwd=servers.ROOT, check=False)
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted_endpoints(args)  # an unknown --endpoints key ends the run before any database is built
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so servers stop and databases are dropped
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = [b for b in backends if b not in report.BACKEND_NAMES]
    if unknown:
        raise SystemExit(f"bench: unknown backend(s) {', '.join(unknown)}; use sqlite, postgresql")
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if loadgen.wrk_path() else "python"
    elif generator == "wrk" and not loadgen.wrk_path():
        raise SystemExit("bench: wrk is not installed (apt-get install wrk), or use --generator python")
    started = datetime.now(UTC)
    began = time.perf_counter()
    pg_problem = servers.postgres_problem() if "postgresql" in backends else None
    meta: dict[str, Any] = {
        "started": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "revision": git_revision(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": "unreachable" if pg_problem else (servers.postgres_version() if "postgresql" in backends
                                                        else "not run"),
        "load generator": (loadgen.wrk_version() + ", 2 threads") if generator == "wrk" else
                          "python (2 processes x threads, http.client keep-alive)",
        "connections": args.connections,
        "duration per endpoint": f"{args.duration:g} s after a {args.warmup:g} s warm-up",
        "server": "kennisbank serve (gunicorn.conf.py: gthread, KENNISBANK_WORKERS/THREADS defaults unless set); "
                  "cache off: a second server for the same database with "
                  + ", ".join(f"{k}={v}" for k, v in CACHE_OFF_SETTINGS.items())
                  + "; all caches off: a third with " + ", ".join(f"{k}={v}" for k, v in COLD_SETTINGS.items())
                  + "; bare Flask: bench/bare.py under the same gunicorn.conf.py; Datasette "
                  + (_datasette_version() or "not installed (pip install -e '.[bench]')")
                  + ": one process on the same SQLite file",
        "rate limits": f"raised to {servers.RATE_LIMIT} (KENNISBANK_RATE_LIMIT_ANONYMOUS/_AUTHENTICATED) so they "
                       "do not distort the figures",
        "search queries": ", ".join(SEARCH_QUERIES),
    }
    say("Kennisbank benchmarks (figures, not tests; ratios are to the trivial endpoint of the same size's first "
        "server in the same run)")
    for key, value in meta.items():
        say(f"  {key}: {value}")
    say("  note: the load generator runs on the same cores as the server, so absolute figures are conservative; "
        "compare the ratios.")
    if generator == "python":
        say("  note: wrk is not installed; the Python generator itself costs CPU (apt-get install wrk for better "
            "figures)")
    results = report.Results(meta)
    out = servers.ROOT / args.out
    stamp = started.strftime("%Y%m%d-%H%M%S")
    logs = out / f"logs-{stamp}" if args.keep_logs else None
    if "postgresql" in backends and pg_problem:
        say(f"\n== PostgreSQL: skipped, {servers.PG_ADMIN} is not reachable ({pg_problem}) ==")
        backends.remove("postgresql")
    with tempfile.TemporaryDirectory(prefix="kennisbank-bench-") as tmp:
        folder = Path(tmp)
        databases = {backend: servers.Databases(backend, folder) for backend in backends}
        plan = {backend: [(size, databases[backend].url(str(size))) for size in sizes] for backend in backends}
        try:
            say(f"\n== preparing {', '.join(report.BACKEND_NAMES[b] for b in backends)} databases at "
                f"{', '.join(report.size_label(s) for s in sizes)} (experts + approaches) ==")
            results.prepare = build_all(plan, folder)
            for backend in backends:
                measure_backend(backend, plan[backend], args, generator, results, folder, logs)
        finally:
            for db in databases.values():
                db.close()
    results.add_ratios()
    found = report.targets(results)
    say("\n== Summary ==")
    for line in report.full_table_lines(results):
        say(line)
    say("\nTargets:")
    for line in report.target_lines(found):
        say("  " + line)
    elapsed = time.perf_counter() - began
    results.meta["elapsed"] = f"{elapsed / 60:.1f} min"
    json_path, md_path = report.write(results, found, out, stamp)
    say(f"\nwrote {os.path.relpath(json_path, servers.ROOT)} and {os.path.relpath(md_path, servers.ROOT)} "
        f"(also latest.json, latest.md) in {elapsed / 60:.1f} min")
    return run_load_test(args)
