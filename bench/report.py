"""Figures, ratios to the trivial endpoint, the targets (PASS/MISS) and the JSON/Markdown files."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BASELINE = "trivial"
REFERENCE_SIZE = 10_000
REAL = 0
"""The size of the real catalogue as `kennisbank seed` loads it (no synthetic records)."""
READS = ("item", "list", "support", "search")


def size_label(size: int, long: bool = False) -> str:
    """`real` / `10k` (or `real catalogue` / `10,000 experts + approaches`)."""
    if size == REAL:
        return "real catalogue" if long else "real"
    return f"{size:,} experts + approaches" if long else f"{size // 1000}k"


@dataclass
class Row:
    """One endpoint measured on one backend at one catalogue size, with its ratios to the trivial endpoint."""

    backend: str
    size: int
    endpoint: str
    label: str
    paths: list[str]
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    generator: str
    bytes_avg: int = 0
    note: str = ""
    loadavg: float = math.nan  # the machine's 1-minute load average at the end of the run
    cache_hit_rate: float = math.nan  # share of the measured requests the representation cache answered
    rss_mib: float = math.nan  # resident memory of the largest worker of this row's server after the run
    rps_ratio: float = math.nan  # this endpoint's requests/s divided by the trivial endpoint's
    p50_ratio: float = math.nan  # this endpoint's p50 divided by the trivial endpoint's
    baseline_rps: float = math.nan
    baseline_p50_ms: float = math.nan


@dataclass
class Target:
    """One target and whether the figures meet it."""

    name: str
    status: str  # PASS, MISS or N/A; INFO for a figure that is reported next to the targets but is not one
    figure: str


@dataclass
class Results:
    """Everything one `make bench` run measured."""

    meta: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    prepare: list[dict[str, Any]] = field(default_factory=list)

    def add_ratios(self) -> None:
        for row in self.rows:
            base = self.find(row.backend, row.size, BASELINE)
            if base is not None and base.rps and base.p50_ms:
                row.baseline_rps, row.baseline_p50_ms = base.rps, base.p50_ms
                row.rps_ratio = row.rps / base.rps
                row.p50_ratio = row.p50_ms / base.p50_ms

    def find(self, backend: str, size: int, endpoint: str) -> Row | None:
        return next((r for r in self.rows if (r.backend, r.size, r.endpoint) == (backend, size, endpoint)), None)

    def backends(self) -> list[str]:
        return list(dict.fromkeys(r.backend for r in self.rows))

    def sizes(self) -> list[int]:
        return sorted({r.size for r in self.rows})


def _f(value: float, digits: int = 1) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{value * 100:.0f}%"


def _x(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}x"


HEADER = ("endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "req/s vs trivial", "p50 vs trivial", "errors", "body",
          "cache hits", "RSS/worker", "load")


def table_lines(rows: list[Row]) -> list[str]:
    """A fixed-width table of rows (one backend and size)."""
    cells = [HEADER] + [
        (r.label, "not loaded" if r.generator == "none" else _f(r.rps, 0),
         _f(r.p50_ms) + (" (1 req)" if r.generator == "none" else ""), _f(r.p90_ms), _f(r.p99_ms),
         _pct(r.rps_ratio), _x(r.p50_ratio), str(r.errors), _bytes(r.bytes_avg), _pct(r.cache_hit_rate),
         _f(r.rss_mib, 0) + " MiB", _f(r.loadavg))
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER))]
    lines = []
    for n, c in enumerate(cells):
        lines.append("  ".join(c[0].ljust(widths[0]) if i == 0 else c[i].rjust(widths[i]) for i in range(len(c))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _bytes(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} B"


def targets(results: Results) -> list[Target]:
    """The targets of issue 15, checked against this run's figures (the real catalogue unless said otherwise)."""
    found: list[Target] = []
    real = REAL if REAL in results.sizes() else (results.sizes() or [REAL])[0]
    where = size_label(real)

    def check(name: str, rows: list[Row | None], test: Callable[..., tuple[bool, str]]) -> None:
        if any(r is None or r.generator == "none" for r in rows):
            found.append(Target(name, "N/A", "not measured in this run"))
            return
        ok, figure = test(*rows)
        found.append(Target(name, "PASS" if ok else "MISS", figure))

    for backend in results.backends():
        b = BACKEND_NAMES[backend]
        live, bare = results.find(backend, real, BASELINE), results.find(backend, real, "bare")
        check(f"{b} {where}: /health/live >= 0.7 x bare Flask", [live, bare],
              lambda t, c: (t.rps >= 0.7 * c.rps, f"{_ratio(t.rps, c.rps)} ({_f(t.rps, 0)} vs {_f(c.rps, 0)} req/s)"))
        for key in READS:
            row = results.find(backend, real, key)
            check(f"{b} {where}: {key} >= 0.5 x /health/live, p99 <= 50 ms", [row],
                  lambda r: (r.rps_ratio >= 0.5 and r.p99_ms <= 50.0,
                             f"{_ratio(r.rps, r.baseline_rps)}, p99 {_f(r.p99_ms)} ms"))
        for key, floor in (("search", 0.25), ("support", 0.15), ("item", 0.3)):
            row = results.find(backend, real, f"{key}-off")
            check(f"{b} {where}: {key}, cache off >= {floor} x /health/live", [row],
                  lambda r, floor=floor: (r.rps_ratio >= floor, f"{_ratio(r.rps, r.baseline_rps)}"))
        for ours, theirs in (("item", "datasette-row"), ("search", "datasette-fts")):
            mine, peer = results.find(backend, real, ours), results.find(backend, real, theirs)
            if backend == "sqlite":
                check(f"{b} {where}: {ours} ahead of Datasette's {theirs.split('-')[1]}", [mine, peer],
                      lambda m, p: (m.rps > p.rps, f"{_f(m.rps, 0)} vs {_f(p.rps, 0)} req/s"))
        for key in READS:
            small, large = results.find(backend, 1_000, key), results.find(backend, 100_000, key)
            check(f"{b}: {key} p50 at 100k <= 2 x p50 at 1k (cache on)", [small, large],
                  lambda s, g: (g.p50_ms <= 2 * s.p50_ms, f"{_x(g.p50_ms / s.p50_ms)} ({_f(g.p50_ms)} ms vs "
                                                          f"{_f(s.p50_ms)} ms)"))
        found.append(_cold_search(results, backend))
        found.append(_nothing_kept(results, backend, real))
    for key in READS:
        lite, pg = results.find("sqlite", real, key), results.find("postgresql", real, key)
        check(f"{where}: PostgreSQL {key} p50 within 1.5 x SQLite", [lite, pg],
              lambda s, p: (p.p50_ms <= 1.5 * s.p50_ms, f"{_x(p.p50_ms / s.p50_ms)} ({_f(p.p50_ms)} ms vs "
                                                        f"{_f(s.p50_ms)} ms)"))
    return found


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def _cold_search(results: Results, backend: str) -> Target:
    """Not a target: the search endpoint with the result cache off (every request searches the index), so the
    targets, measured with the production cache on (mostly hits for a few rotating queries), are read honestly."""
    ref = REFERENCE_SIZE
    name = f"{BACKEND_NAMES[backend]}: search, cache off (information, not a target)"
    small, large = results.find(backend, 1_000, "search-cold"), results.find(backend, 100_000, "search-cold")
    middle = results.find(backend, ref, "search-cold")
    parts = []
    if small is not None and large is not None:
        growth = large.p50_ms / small.p50_ms if small.p50_ms else math.nan
        parts.append(f"p50 at 100,000 vs 1,000: {_x(growth)} ({_f(large.p50_ms)} ms vs {_f(small.p50_ms)} ms)")
    if middle is not None:
        parts.append(f"at {ref:,}: {_pct(middle.rps_ratio)} of trivial throughput ({_f(middle.rps, 0)} vs "
                     f"{_f(middle.baseline_rps, 0)} req/s), p99 {_f(middle.p99_ms)} ms")
    return Target(name, "INFO", "; ".join(parts) if parts else
                  f"not measured in this run (needs sizes 1,000 and 100,000, or {ref:,})")


def _nothing_kept(results: Results, backend: str, real: int) -> Target:
    """Not a target: item, list and support with every cache off (no answers, no record dumps), so the cache-off
    figures, measured with the record dumps kept, are read honestly: this is what the first GETs after a write
    cost."""
    name = f"{BACKEND_NAMES[backend]} {size_label(real)}: item, list, support, all caches off (information)"
    rows = {key: results.find(backend, real, f"{key}-cold") for key in ("item", "list", "support")}
    parts = [f"{key} {_ratio(row.rps, row.baseline_rps)} (p50 {_f(row.p50_ms)} ms)"
             for key, row in rows.items() if row is not None and row.generator != "none"]
    return Target(name, "INFO", ", ".join(parts) + " of /health/live" if parts else "not measured in this run")


def target_lines(found: list[Target]) -> list[str]:
    width = max((len(t.name) for t in found), default=0)
    return [f"{t.status:<4}  {t.name.ljust(width)}  {t.figure}" for t in found]


def full_table_lines(results: Results) -> list[str]:
    lines: list[str] = []
    for backend in results.backends():
        for size in results.sizes():
            rows = [r for r in results.rows if r.backend == backend and r.size == size]
            if rows:
                lines += ["", f"{BACKEND_NAMES[backend]}, {size_label(size, long=True)}:"]
                lines += ["  " + line for line in table_lines(rows)]
    return lines


def write(results: Results, found: list[Target], folder: Path, stamp: str) -> tuple[Path, Path]:
    """bench-results/bench-<stamp>.json and .md, and copies as latest.json / latest.md."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {"meta": results.meta, "prepare": results.prepare, "results": [_plain(asdict(r)) for r in results.rows],
                "targets": [asdict(t) for t in found]}
    json_text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    md_text = markdown(results, found)
    json_path, md_path = folder / f"bench-{stamp}.json", folder / f"bench-{stamp}.md"
    for path, text in ((json_path, json_text), (folder / "latest.json", json_text), (md_path, md_text),
                       (folder / "latest.md", md_text)):
        path.write_text(text, encoding="utf-8")
    return json_path, md_path


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and math.isnan(v) else round(v, 3) if isinstance(v, float) else v)
            for k, v in row.items()}


def markdown(results: Results, found: list[Target]) -> str:
    meta = results.meta
    out = [f"# Kennisbank benchmark, {meta.get('started', '')}", ""]
    out += [f"- {key}: {value}" for key, value in meta.items() if key != "started"]
    out += ["", "Ratios are to the trivial endpoint measured against the same server in the same run (for `search, "
            "cache off`: against the first server of that size, the one with the production settings); `load` is "
            "the machine's 1-minute load average after the run (2 cores: above 2, other work competed for the "
            "CPU).", ""]
    for backend in results.backends():
        out += [f"## {BACKEND_NAMES[backend]}", "",
                "| size | endpoint | req/s | p50 ms | p90 ms | p99 ms | req/s vs trivial | p50 vs trivial | errors "
                "| body | cache hits | RSS/worker MiB | load |",
                "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in (r for r in results.rows if r.backend == backend):
            rps = "not loaded" if r.generator == "none" else _f(r.rps, 0)
            p50 = _f(r.p50_ms) + (" (1 request)" if r.generator == "none" else "")
            out.append(f"| {size_label(r.size)} | {r.label} | {rps} | {p50} | {_f(r.p90_ms)} | "
                       f"{_f(r.p99_ms)} | {_pct(r.rps_ratio)} | {_x(r.p50_ratio)} | {r.errors} | "
                       f"{_bytes(r.bytes_avg)} | {_pct(r.cache_hit_rate)} | {_f(r.rss_mib, 0)} | {_f(r.loadavg)} |")
        out.append("")
    out += ["## Targets", "", "| | target | figure |", "|---|---|---|"]
    out += [f"| {t.status} | {t.name} | {t.figure} |" for t in found]
    if results.prepare:
        out += ["", "## Data preparation", "", "| backend | size | added | inserted s | indexed docs | reindex s |",
                "|---|---:|---:|---:|---:|---:|"]
        out += [f"| {BACKEND_NAMES[p['backend']]} | {size_label(p['size'])} | {p['added']:,} | {p['insert_s']:.1f} | "
                f"{p['indexed']:,} | {p['reindex_s']:.1f} |" for p in results.prepare]
    return "\n".join(out) + "\n"
