"""The values that cross the search interface (:class:`api.search.sql.SqlSearchBackend`), shared by both backends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from api.search import text as textmod

Executor = Connection | Session
"""Anything with ``execute(text(...), params)``: pass the caller's Connection or Session, so the
index changes commit or roll back with the write they belong to."""

DEFAULT_STATUSES: tuple[str, ...] = ("published",)

META_COLUMNS = (
    "doc_key", "type", "id", "name", "sort_name", "name_keys", "status", "topics", "serves", "size_classes", "demo",
)  # fmt: skip
"""Columns of ``search_meta``: the narrow values that filters, facets and ordering read."""


@dataclass(slots=True)
class SearchDocument:
    """One searchable record, as the indexer receives it from the catalogue.

    ``aliases`` are other names of the record itself: typing one exactly ranks it first.
    ``related`` are names it is found by without being its name (its provider, the generic word
    "Veiligheidshuis"): indexed with the aliases, never an exact-name match. ``topics``,
    ``serves`` and ``size_classes`` hold identifiers (topic ids, CBS codes, size
    classes); values with whitespace, quotes or backslashes are not stored (see :func:`is_plain_value`).
    """

    type: str
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    body: str = ""
    topics: list[str] = field(default_factory=list)
    serves: list[str] = field(default_factory=list)
    size_classes: list[str] = field(default_factory=list)
    status: str = "published"
    related: list[str] = field(default_factory=list)
    demo: bool = False
    """A fictional demo record: it ranks after every real one."""

    @property
    def key(self) -> str:
        """The index key, ``type:id``."""
        return doc_key(self.type, self.id)


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked result: ``snippet`` is HTML with matches in ``<mark>``; a higher ``score`` is better."""

    type: str
    id: str
    name: str
    snippet: str
    score: float


@dataclass(slots=True)
class SearchResult:
    """A page of hits, the size of the whole result, and facet counts over the whole result."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    did_you_mean: str | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions on the result; ``None`` means "any", values within one filter are OR'ed."""

    types: Sequence[str] | None = None
    topics: Sequence[str] | None = None
    serves: Sequence[str] | None = None
    size_classes: Sequence[str] | None = None
    statuses: Sequence[str] | None = DEFAULT_STATUSES


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of the ranked result to return; without ``snippets`` the hits' snippets are empty."""

    limit: int = 20
    offset: int = 0
    snippets: bool = True


def doc_key(type: str, id: str) -> str:
    """Return the index key of a document."""
    return f"{type}:{id}"


def name_keys(names: Iterable[str]) -> str:
    """Return the ``|``-delimited normalised forms of a name and its aliases, for exact-match ranking."""
    keys: dict[str, None] = {}
    for name in names:
        words = list(textmod.iter_words(name))
        keys[" ".join(w.joined for w in words)] = None
        keys[" ".join(p for w in words for p in w.parts)] = None
    keys.pop("", None)
    return "|" + "|".join(keys) + "|"


def meta_row(doc: SearchDocument) -> dict[str, Any]:
    """Return the ``search_meta`` row for ``doc``."""
    return {
        "doc_key": doc.key,
        "type": doc.type,
        "id": doc.id,
        "name": doc.name,
        "sort_name": textmod.normalise(doc.name),
        "name_keys": name_keys([doc.name, *doc.aliases]),
        "status": doc.status,
        "topics": _join_values(doc.topics),
        "serves": _join_values(doc.serves),
        "size_classes": _join_values(doc.size_classes),
        "demo": 1 if doc.demo else 0,
    }


def snippet_text(doc: SearchDocument) -> str:
    """Return the raw text snippets are cut from: the summary, then the body."""
    return "\n".join(part for part in (doc.summary, doc.body) if part)


def index_columns(doc: SearchDocument) -> dict[str, str]:
    """Return the four indexed columns of ``doc`` as space-joined index terms (the same on both backends)."""
    return {
        "name": textmod.index_text([doc.name]),
        "aliases": textmod.index_text([*doc.aliases, *doc.related]),
        "summary": textmod.index_text([doc.summary]),
        "body": textmod.index_text([doc.body]),
    }


def is_plain_value(value: str) -> bool:
    """Whether a filter value can be stored: printable, without whitespace, quotes or backslashes."""
    return bool(value) and value.isprintable() and not any(c.isspace() or c in '"\\' for c in value)


def _join_values(values: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(v for v in values if is_plain_value(v)))
