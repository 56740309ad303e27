"""What a parsed query is made of (:class:`ParsedQuery`, :class:`Term`, :class:`Token`) and the synonym tables.

:mod:`api.search.parser` turns user text into a :class:`ParsedQuery` and corrects its typos; each
backend renders it in its own dialect (FTS5 in :mod:`api.search.sqlite`, tsquery in
:mod:`api.search.postgresql`). A query normally needs every term (AND); :meth:`ParsedQuery.relaxed`
turns that into "at least one term" for the ranked fallback. Besides the whole query, a backend can
render each term on its own (to count how many terms a document matches) and the query restricted
to the leading index columns (to rank matches in names above matches in aliases, summaries and
descriptions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from api.search import text as textmod

MAX_QUERY_LENGTH = 500
"""Longest accepted query in characters; the API rejects longer input, the parser cuts it here."""

MAX_TERMS = 16
"""Terms after this many are ignored."""

MIN_PREFIX_LENGTH = 3
"""Words of at least this many characters also match as a prefix ("radicali" -> "radicalisering")."""

MAX_SYNONYMS = 8
"""At most this many synonym phrases are added to one term."""

COLUMNS = ("name", "aliases", "summary", "body")
"""The indexed columns, most important first (FTS5 column names; tsvector weights A, B, C, D)."""

Synonyms = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Token:
    """One index token to match, exactly or (``prefix``) as the start of an indexed token."""

    text: str
    prefix: bool = False


Alternative = tuple[Token, ...]
"""Tokens that must all be present in a document (AND)."""


@dataclass(frozen=True, slots=True)
class Term:
    """One thing the user asked for; a document matches it when any alternative matches.

    The first ``literal`` alternatives come from the words as typed (the word, its stem, its
    parts); the rest from synonyms. ``None`` means all are literal.
    """

    words: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    quoted: bool = False
    star: bool = False
    display: str = ""
    literal: int | None = None

    def literally(self) -> Term:
        """This term without its synonyms."""
        if self.literal is None or self.literal >= len(self.alternatives):
            return self
        return replace(self, alternatives=self.alternatives[: self.literal], literal=None)

    @property
    def correctable(self) -> bool:
        """Whether typo correction may replace this term: a single plain word of >= 5 letters."""
        return len(self.words) == 1 and self.words[0].isalpha() and len(self.words[0]) >= 5


class SynonymTable(dict[tuple[str, ...], tuple[tuple[str, ...], ...]]):
    """Compiled synonyms: normalised phrase (word tuple) -> the phrases it also means.

    Build it once with :func:`compile_synonyms` and pass it to :func:`parse` for every query:
    compiling normalises every phrase, which costs milliseconds for a few hundred synonyms.
    """

    longest: int = 0
    """Words in the longest phrase (phrases are looked up from 2 words up to this length)."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The terms of a query: all ``terms`` must match (AND) and no ``excluded`` term may match.

    With ``match_any`` (see :meth:`relaxed`) a document needs only one of the terms. ``words`` are
    all words the user typed (stop words included), used to recognise a query that is exactly the
    name or an alias of a document.
    """

    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    words: tuple[str, ...] = ()
    synonyms: Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    match_any: bool = False

    @property
    def is_empty(self) -> bool:
        """True when the query has no text filter (empty, only punctuation or only exclusions)."""
        return not self.terms

    @property
    def key(self) -> str:
        """The typed words joined by single spaces, compared with normalised names and aliases."""
        return " ".join(self.words)

    @property
    def text(self) -> str:
        """The query as understood, in query syntax (used for "did you mean")."""
        return " ".join([t.display for t in self.terms] + [f"-{t.display}" for t in self.excluded])

    def relaxed(self) -> ParsedQuery:
        """The same query, matching documents that have at least one of the terms (OR)."""
        return replace(self, match_any=True)

    def literally(self) -> ParsedQuery:
        """The same query without synonyms: only the words as typed (with stems and parts)."""
        return replace(self, terms=tuple(term.literally() for term in self.terms))

    def highlight_terms(self) -> list[str]:
        """The tokens to mark in snippets (see :func:`api.search.text.snippet`)."""
        seen = dict.fromkeys(tok.text for term in self.terms for alt in term.alternatives for tok in alt)
        return list(seen)


def compile_synonyms(synonyms: Synonyms) -> SynonymTable:
    """Normalise a synonym map into word tuples: ``{("den", "bosch"): (("s", "hertogenbosch"),)}``."""
    table = SynonymTable()
    for key, values in synonyms.items():
        key_words = _phrase_words(key)
        phrases = [_phrase_words(v) for v in ([values] if isinstance(values, str) else values)]
        if key_words:
            merged = dict.fromkeys(table.get(key_words, ()) + tuple(p for p in phrases if p))
            merged.pop(key_words, None)
            table[key_words] = tuple(merged)
    table.longest = max(map(len, table), default=0)
    return table


def synonym_map(groups: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Build a synonym map from ``{canonical phrase: [variants]}``, e.g. topic labels and their synonyms.

    Each variant is mapped to its canonical phrase (one direction), so typing a variant also finds
    documents that only use the canonical term, without widening a search for the canonical term.
    """
    table: dict[str, list[str]] = {}
    for canonical, variants in groups.items():
        for variant in variants:
            if variant and variant != canonical:
                table.setdefault(variant, []).append(canonical)
    return table


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(part for word in textmod.iter_words(phrase) for part in word.parts)


