"""Turn any user text into a :class:`~api.search.query.ParsedQuery`, and correct its typos.

Parsing never raises. Words are normalised exactly like indexed text (:mod:`api.search.text`),
so every token matches ``[a-z0-9]+``, which the renderers quote (FTS5) or keep operator-free
(tsquery): operators typed by a user can never become query syntax. Understood: ``"quoted words"``
(no prefix matching), ``word*`` (explicit prefix), ``-word`` and ``NOT word`` (exclusion),
``a OR b`` (either); ``AND``, ``NEAR``, parentheses and other punctuation are read as word separators.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from api.search import text as textmod
from api.search.query import (
    MAX_QUERY_LENGTH,
    MAX_SYNONYMS,
    MAX_TERMS,
    MIN_PREFIX_LENGTH,
    Alternative,
    ParsedQuery,
    Synonyms,
    SynonymTable,
    Term,
    Token,
    compile_synonyms,
)
from api.search.vocabulary import Vocabulary, as_vocabulary

_TOKEN = re.compile(r"[a-z0-9]+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


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


