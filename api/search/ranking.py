"""How the SQL backends filter, rank and score: the parts of the query plan that are the same on every dialect.

Every key but the backend's own relevance (bm25 or ts_rank_cd) is computed the same way on both
backends, so the two rank alike wherever those keys decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.sql.elements import TextClause

from api.search import text as textmod
from api.search.base import Filters, Hit, is_plain_value
from api.search.query import ParsedQuery

SNIPPET_LENGTH = 160

TIERS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("name",)),
    (3, ("name", "aliases")),
    (2, ("name", "aliases", "summary")),
    (1, ("name", "aliases", "summary", "body")),
)
"""Column tiers, best first: a document whose name holds the whole query as typed ranks above one
that needs its aliases for it, and so on down to the description; tier 0 matches only through a
synonym. For a relaxed query the tier is that of the best column holding any term as typed."""

TITLE_COLUMNS = ("name", "aliases")
"""Where a query of several terms counts how many of its terms (as typed) a document holds."""

RARITY_SCALE = 1_000_000
"""Integer weight of a term held by one match (see :func:`coverage_and_rarity`)."""

def coverage_and_rarity(terms: int) -> str:
    """SQL over the per-term flags ``t0``… of all matches: how many terms a row holds, and how rare they are.

    ``rarity`` is the per-mille share of the query's weight the row holds, a term weighing
    1 / (the number of matches holding it), like an inverse document frequency. It is computed in
    integers (the same on every backend), so that where the keys before it tie, rows holding the
    rarer terms come first: for "eindhoven polarisatie", the few documents that mention Eindhoven in
    passing before the many that mention polarisation in passing.
    """
    weights = [f"CASE WHEN sum(t{n}) OVER () > 0 THEN {RARITY_SCALE} / sum(t{n}) OVER () ELSE 0 END"
               for n in range(terms)]
    coverage = " + ".join(f"t{n}" for n in range(terms))
    held = " + ".join(f"t{n} * {weight}" for n, weight in enumerate(weights))
    return f"{coverage} AS coverage, 1000 * ({held}) / ({' + '.join(weights)}) AS rarity"


def filter_sql(filters: Filters, contains: str) -> tuple[list[str], dict[str, Any], list[str]]:
    """Return WHERE conditions on ``search_meta m``, their parameters, and the expanding ones.

    ``contains`` is the dialect's "position of substring" function (``instr`` or ``strpos``).
    """
    conditions: list[str] = []
    params: dict[str, Any] = {}
    expanding: list[str] = []
    for column, values in (("type", filters.types), ("status", filters.statuses)):
        if values is not None:
            conditions.append(f"m.{column} IN :f_{column}" if values else "1 = 0")
            if values:
                params[f"f_{column}"] = list(values)
                expanding.append(f"f_{column}")
    for column, values in (
        ("topics", filters.topics),
        ("serves", filters.serves),
        ("size_classes", filters.size_classes),
    ):
        if values is None:
            continue
        usable = [v for v in values if is_plain_value(v)]
        alternatives = []
        for n, value in enumerate(usable):
            params[f"f_{column}_{n}"] = f" {value} "
            alternatives.append(f"{contains}(' ' || m.{column} || ' ', :f_{column}_{n}) > 0")
        conditions.append("(" + " OR ".join(alternatives) + ")" if alternatives else "1 = 0")
    return conditions, params, expanding


def prepare(sql: str, params: dict[str, Any], expanding: Sequence[str]) -> TextClause:
    """Return ``sql`` as a text clause with its list-valued parameters marked as expanding."""
    clause = text(sql)
    present = [name for name in expanding if name in params]
    return clause.bindparams(*(bindparam(name, expanding=True) for name in present)) if present else clause


def make_hits(rows: Iterable[Any], parsed: ParsedQuery, snippets: bool = True) -> list[Hit]:
    """Turn ``(type, id, name, snippet_text, rel, exact, tier, title, coverage, rarity)`` rows into hits.

    Without ``snippets`` every hit's snippet is empty (for callers that only need the ranking).

    The score follows the ranking, in [0, 2), higher is better: ``exact`` plus, nested so that each
    key outweighs the ones after it, the share of terms matched (relaxed queries), the column tier,
    the number of terms in name and aliases, the rarity of the terms matched (relaxed queries) and
    ``rel / (1 + rel)``.
    """
    excerpt = textmod.Snippets(parsed.highlight_terms(), SNIPPET_LENGTH) if snippets else None
    terms = max(len(parsed.terms), 1)
    relaxed = parsed.match_any and terms > 1  # then the share of terms matched leads
    hits = []
    for row in rows:
        rel = max(float(row.rel or 0.0), 0.0)
        last = rel / (1.0 + rel)
        if relaxed:
            last = (_bounded(row.rarity, 0, 1000) + last) / 1001
        title = (_bounded(row.title, 0, terms) + last) / (terms + 1)
        quality = (_bounded(row.tier, 0, len(TIERS)) + title) / (len(TIERS) + 1)
        if relaxed:
            quality = (_bounded(row.coverage, 1, terms) - 1 + quality) / terms
        score = round(float(row.exact or 0) + quality, 6)
        snippet = excerpt(row.snippet_text or row.name) if excerpt is not None else ""
        hits.append(Hit(row.type, row.id, row.name, snippet, score))
    return hits


def _bounded(value: Any, low: int, high: int) -> int:
    return min(max(int(value or 0), low), high)


def make_facets(rows: Iterable[Any]) -> tuple[dict[str, dict[str, int]], int]:
    """Turn ``(facet, value, n)`` rows into the facet dict and the total (the sum of type counts)."""
    facets: dict[str, dict[str, int]] = {"type": {}, "topic": {}}
    for row in rows:
        facets[row.facet][row.value] = int(row.n)
    for name, counts in facets.items():
        facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets, sum(facets["type"].values())
