"""Turn any user text into a :class:`ParsedQuery` and render it for FTS5 or PostgreSQL tsquery.

Parsing never raises. Words are normalised exactly like indexed text (:mod:`api.search.text`),
so every rendered token matches ``[a-z0-9]+`` and is quoted (FTS5) or operator-free (tsquery):
operators typed by a user can never become query syntax. Understood: ``"quoted words"`` (no prefix
matching), ``word*`` (explicit prefix), ``-word`` and ``NOT word`` (exclusion), ``a OR b``
(either); ``AND``, ``NEAR``, parentheses and other punctuation are read as word separators.

A query normally needs every term (AND); :meth:`ParsedQuery.relaxed` turns that into "at least one
term" for the ranked fallback. Besides the whole query, a backend can render each term on its own
(to count how many terms a document matches) and the query restricted to the leading index columns
(to rank matches in names above matches in aliases, summaries and descriptions).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from api.search import text as textmod
from api.search.vocabulary import Vocabulary, as_vocabulary

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

_WEIGHT_OF = dict(zip(COLUMNS, "ABCD", strict=True))

_TOKEN = re.compile(r"[a-z0-9]+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})

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


def parse(text: str | None, synonyms: Synonyms | None = None) -> ParsedQuery:
    """Parse any user text into a :class:`ParsedQuery`; never raises.

    ``synonyms`` maps a normalised phrase to the normalised phrases it also means, e.g.
    ``{"extreemrechts": ["rechts extremisme"], "den bosch": ["s hertogenbosch"]}``; phrases of
    several words are recognised in the query. Pass a :class:`SynonymTable` to skip compiling.
    """
    table = synonyms if isinstance(synonyms, SynonymTable) else compile_synonyms(synonyms or {})
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    items = _scan(text[:MAX_QUERY_LENGTH])
    words = tuple(item.word for item in items if isinstance(item, _Item) and not item.negated)
    terms: list[Term | str] = []
    excluded: list[Term] = []
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, str):
            terms.append(item)
            index += 1
            continue
        phrase, length = _match_phrase(items, index, table)
        if phrase is not None:
            terms.append(phrase)
            index += length
            continue
        term = _word_term(item.word, item.parts, table, quoted=item.quoted, star=item.star)
        (excluded if item.negated else terms).append(term)
        index += 1
    positive = _merge_or(_drop_stopwords(terms))[:MAX_TERMS]
    excluded = excluded[: max(0, MAX_TERMS - len(positive))] if positive else []
    return ParsedQuery(tuple(positive), tuple(excluded), words, table)


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


@dataclass(frozen=True, slots=True)
class _Item:
    word: str
    parts: tuple[str, ...]
    quoted: bool
    star: bool
    negated: bool


def _scan(text: str) -> list[_Item | str]:
    """Split text into words and ``"OR"`` markers, noting quotes, stars and exclusions."""
    items: list[_Item | str] = []
    negate_next = False
    skip_number = False
    segments = text.split('"')
    for number, segment in enumerate(segments):
        quoted = number % 2 == 1
        after = segments[number + 1][:1] if number + 1 < len(segments) else ""
        for word in textmod.iter_words(segment):
            raw = segment[word.start : word.end]
            if skip_number and raw.isdigit() and segment[word.start - 1 : word.start] == "/":
                skip_number = False
                continue
            skip_number = False
            if not quoted and raw in _OPERATORS:
                negate_next = raw == "NOT"
                skip_number = raw == "NEAR"
                if raw == "OR":
                    items.append("OR")
                continue
            prev = segment[word.start - 1] if word.start >= 1 else ""
            prev2 = segment[word.start - 2] if word.start >= 2 else ""
            dash = prev != "" and prev in textmod.HYPHENS and not prev2.isalnum()
            negated = negate_next or (dash and not quoted)
            star = (segment[word.end : word.end + 1] or after) == "*"
            items.append(_Item(word.joined, word.parts, quoted, star, negated))
            negate_next = False
    return items


def _match_phrase(
    items: list[_Item | str], index: int, table: Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]
) -> tuple[Term | None, int]:
    """Return the longest synonym phrase of two or more words starting at ``index``, if any."""
    longest = table.longest if isinstance(table, SynonymTable) else max(map(len, table), default=0)
    for length in range(min(longest, len(items) - index), 1, -1):
        window = items[index : index + length]
        if not all(isinstance(i, _Item) and not i.negated for i in window):
            continue
        words = tuple(i.word for i in window if isinstance(i, _Item))
        if words in table:
            literal = _dedupe(_phrase_alternatives(words))
            synonyms = [alt for phrase in table[words][:MAX_SYNONYMS] for alt in _phrase_alternatives(phrase)]
            alternatives = _dedupe(literal + tuple(synonyms))
            return Term(words, alternatives, display=" ".join(words), literal=len(literal)), length
    return None, 1


def _word_term(
    word: str,
    parts: tuple[str, ...],
    table: Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]],
    *,
    quoted: bool = False,
    star: bool = False,
) -> Term:
    """Build the term for one typed word: the word (maybe as prefix), its stem, parts, synonyms."""
    prefix = (star and len(word) >= 2) or (not quoted and len(word) >= MIN_PREFIX_LENGTH)
    literal: list[Alternative] = [(Token(word, prefix),)]
    stemmed = textmod.stem(word)
    if stemmed != word:
        literal.append((Token(stemmed),))
    if len(parts) > 1:
        literal.append(tuple(Token(p, prefix and len(p) >= MIN_PREFIX_LENGTH) for p in parts))
    phrases = table.get((word,), ()) + (table.get(parts, ()) if len(parts) > 1 else ())
    synonyms = [alt for phrase in phrases[:MAX_SYNONYMS] for alt in _phrase_alternatives(phrase)]
    kept = _dedupe(literal)
    display = f'"{word}"' if quoted else word
    return Term(
        (word,), _dedupe(kept + tuple(synonyms)), quoted, star, display + ("*" if star else ""), literal=len(kept)
    )


def _plain_token(word: str) -> Token:
    return Token(word, len(word) >= MIN_PREFIX_LENGTH)


def _phrase_alternatives(words: tuple[str, ...]) -> list[Alternative]:
    """A phrase matches with all its words, or written as one word ("rechts extremisme")."""
    together: list[Alternative] = [tuple(_plain_token(w) for w in words)]
    if len(words) > 1:
        together.append((_plain_token("".join(words)),))
    return together


def _dedupe(alternatives: Iterable[Alternative]) -> tuple[Alternative, ...]:
    kept: list[Alternative] = []
    for alt in alternatives:
        alt = tuple(tok for tok in alt if _TOKEN.fullmatch(tok.text))
        if alt and alt not in kept and not any(_covers(k, alt) for k in kept):
            kept.append(alt)
    return tuple(kept)


def _covers(a: Alternative, b: Alternative) -> bool:
    """Whether every document matching ``b`` also matches ``a`` (so ``b`` adds nothing)."""
    return all(any(y.text.startswith(x.text) if x.prefix else (y == x) for y in b) for x in a)


def _drop_stopwords(terms: list[Term | str]) -> list[Term | str]:
    """Drop unquoted single stop words, unless the query consists of nothing else."""

    def is_stop(t: Term | str) -> bool:
        return isinstance(t, Term) and not t.quoted and not t.star and t.words in _STOP_TUPLES

    real = [t for t in terms if isinstance(t, Term)]
    if all(is_stop(t) for t in real):
        return terms
    return [t for t in terms if not is_stop(t)]


_STOP_TUPLES = frozenset((w,) for w in textmod.STOPWORDS)


def _merge_or(items: list[Term | str]) -> list[Term]:
    """Fold ``a OR b`` into one term matching either; stray ORs are ignored."""
    terms: list[Term] = []
    pending_or = False
    for item in items:
        if isinstance(item, str):
            pending_or = bool(terms)
            continue
        if pending_or:
            last = terms.pop()
            literal = _dedupe(last.literally().alternatives + item.literally().alternatives)
            item = Term(
                last.words + item.words,
                _dedupe(literal + last.alternatives + item.alternatives),
                display=f"{last.display} OR {item.display}",
                literal=len(literal),
            )
        terms.append(item)
        pending_or = False
    return terms


def correct(parsed: ParsedQuery, vocabulary: Collection[str]) -> tuple[ParsedQuery, str | None]:
    """Replace words that match nothing in ``vocabulary`` by the nearest indexed token.

    A word of >= 5 letters none of whose alternatives can match (no token equal to it or, for a
    prefix, starting with it) becomes the vocabulary token within 1 edit (2 edits from 9 letters
    on), e.g. "eindhovn" -> "eindhoven". Returns the corrected query and its text for "did you
    mean", or the query unchanged and None.
    """
    vocab = as_vocabulary(vocabulary)
    replacements: dict[str, str] = {}
    terms: list[Term] = []
    for term in parsed.terms:
        if term.correctable and not any(_can_match(alt, vocab) for alt in term.alternatives):
            word = term.words[0]
            nearest = vocab.closest(word, 1 if len(word) < 9 else 2)
            if nearest is not None and nearest != word:
                replacements[word] = nearest
                term = _word_term(nearest, (nearest,), parsed.synonyms, quoted=term.quoted, star=term.star)
        terms.append(term)
    if not replacements:
        return parsed, None
    words = tuple(replacements.get(w, w) for w in parsed.words)
    corrected = replace(parsed, terms=tuple(terms), words=words)
    return corrected, corrected.text


def _can_match(alternative: Alternative, vocab: Vocabulary) -> bool:
    return all(tok.text in vocab or (tok.prefix and vocab.has_prefix(tok.text)) for tok in alternative)


def to_fts5(parsed: ParsedQuery) -> str | None:
    """Render an FTS5 MATCH expression, every token double-quoted; None means "no text filter"."""
    if parsed.is_empty:
        return None
    expression = _fts5_positive(parsed)
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(fts5_term(t) for t in parsed.excluded)})"
    return expression


def to_fts5_within(parsed: ParsedQuery, columns: Sequence[str]) -> str | None:
    """Render the terms (without exclusions) for FTS5, matching only inside ``columns`` of :data:`COLUMNS`."""
    if parsed.is_empty:
        return None
    return _fts5_column_filter(columns) + "(" + _fts5_positive(parsed) + ")"


def _fts5_column_filter(columns: Sequence[str]) -> str:
    names = [c for c in COLUMNS if c in columns]
    return "" if len(names) == len(COLUMNS) else "{" + " ".join(names) + "} : "


def _fts5_positive(parsed: ParsedQuery) -> str:
    return (" OR " if parsed.match_any else " AND ").join(fts5_term(t) for t in parsed.terms)


def fts5_term(term: Term, columns: Sequence[str] = COLUMNS) -> str:
    """Render one term for FTS5: its alternatives OR'ed, the tokens of an alternative AND'ed.

    With ``columns`` other than all of :data:`COLUMNS`, the term only matches inside those.
    """
    alternatives = []
    for alt in term.alternatives:
        tokens = [f'"{tok.text}"' + ("*" if tok.prefix else "") for tok in alt]
        alternatives.append(tokens[0] if len(tokens) == 1 else "(" + " AND ".join(tokens) + ")")
    return _fts5_column_filter(columns) + "(" + " OR ".join(alternatives) + ")"


def to_tsquery(parsed: ParsedQuery) -> str | None:
    """Render input for ``to_tsquery('simple', …)``: ``tok:*`` prefixes, ``|`` and ``&``; None if empty."""
    if parsed.is_empty:
        return None
    expression = _tsquery_positive(parsed, "")
    if parsed.excluded:
        expression = f"({expression}) & !(" + " | ".join(tsquery_term(t) for t in parsed.excluded) + ")"
    return expression


def to_tsquery_within(parsed: ParsedQuery, columns: Sequence[str]) -> str | None:
    """Render the terms (without exclusions) as a tsquery whose tokens only match the weights of ``columns``."""
    if parsed.is_empty:
        return None
    return _tsquery_positive(parsed, weights(columns))


def weights(columns: Sequence[str]) -> str:
    """The tsvector weight labels of ``columns`` ("AB" for name and aliases); "" for all columns (no restriction)."""
    labels = "".join(_WEIGHT_OF[c] for c in COLUMNS if c in columns)
    return "" if len(labels) == len(COLUMNS) else labels


def _tsquery_positive(parsed: ParsedQuery, weights: str) -> str:
    return (" | " if parsed.match_any else " & ").join(tsquery_term(t, weights) for t in parsed.terms)


def tsquery_term(term: Term, weights: str = "") -> str:
    """Render one term as a tsquery; ``weights`` (e.g. "AB") restricts its tokens to those weights."""
    alternatives = []
    for alt in term.alternatives:
        tokens = [tok.text + _tsquery_label(tok.prefix, weights) for tok in alt]
        alternatives.append(tokens[0] if len(tokens) == 1 else "(" + " & ".join(tokens) + ")")
    return "(" + " | ".join(alternatives) + ")"


def _tsquery_label(prefix: bool, weights: str) -> str:
    if not prefix and not weights:
        return ""
    return ":" + ("*" if prefix else "") + weights
