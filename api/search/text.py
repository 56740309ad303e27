"""Text normalisation shared by indexing and querying, so both search backends see the same tokens.

Every token this module produces matches ``[a-z0-9]+``: lowercase, without diacritics, with
apostrophes and hyphens resolved into joined words and their parts, and Dutch stems alongside
the surface forms.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import Stemmer

_LETTER_MAP = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",
        "ß": "ss",
        "ĳ": "ij",
    }
)
_APOSTROPHES = "'`\u2019\u2018\u00b4\u02bc"
HYPHENS = "-\u2010\u2011\u2012\u2013"
"""Characters read as a hyphen inside a word (hyphen-minus, hyphen, non-breaking, figure, en dash)."""
_JOINERS = _APOSTROPHES + HYPHENS
_DROP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_WORD = re.compile(r"[a-z0-9]+(?:[" + re.escape(_JOINERS) + r"]+[a-z0-9]+)*")
_PART = re.compile(r"[a-z0-9]+")

_STOPWORD_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een
    eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in
    is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat
    onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat
    wel werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
    we wij onze jullie
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())
"""Snowball's Dutch stop words, plus "wel" and the pronouns a user writes in a question ("wij hebben geen
beleid"): never used as a stem, dropped from queries."""

MAX_TOKEN_LENGTH = 100
"""Longer tokens are cut to this length (PostgreSQL silently drops lexemes over 2047 bytes)."""

_local = threading.local()


class Word(NamedTuple):
    """One written word: ``joined`` without apostrophes and hyphens, ``parts`` split at its hyphens."""

    joined: str
    parts: tuple[str, ...]
    start: int
    end: int


def normalise(text: str) -> str:
    """Return ``text`` lowercased, without diacritics or apostrophes, other punctuation as single spaces.

    Hyphens inside words are kept (they mark compounds that :func:`index_terms` joins and splits):
    "'s-Hertogenbosch" becomes "s-hertogenbosch", "Café  Noël!" becomes "cafe noel".
    """
    return " ".join("-".join(word.parts) for word in iter_words(text))


def iter_words(text: str) -> Iterator[Word]:
    """Yield the words of ``text`` with their character offsets in ``text``."""
    folded, origin = _fold(text)
    for match in _WORD.finditer(folded):
        raw = match.group()
        parts = (raw,) if raw.isalnum() else tuple(_PART.findall(raw.translate(_DROP_APOSTROPHES)))
        joined = parts[0] if len(parts) == 1 else "".join(parts)
        if len(raw) > MAX_TOKEN_LENGTH:
            parts = tuple(part[:MAX_TOKEN_LENGTH] for part in parts)
            joined = joined[:MAX_TOKEN_LENGTH]
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        yield Word(joined, parts, start, end)


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Return the folded text and, when lengths differ, the offset in ``text`` of each folded char."""
    if text.isascii():
        return text.lower(), None
    pieces = [char.lower() if char.isascii() else _fold_char(char) for char in text]
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), origin


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in _JOINERS:
        return char
    decomposed = unicodedata.normalize("NFKD", char.lower().translate(_LETTER_MAP))
    kept = "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()
    if kept:
        return kept
    if decomposed and all(unicodedata.combining(c) for c in decomposed):
        return ""
    return " "


def tokenize(text: str) -> list[str]:
    """Return the normalised words of ``text``, with apostrophes and hyphens removed (joined form)."""
    return [word.joined for word in iter_words(text)]


def word_forms(word: Word) -> list[str]:
    """Return the surface forms a word is indexed under: the joined word, then its parts."""
    forms = [word.joined]
    if len(word.parts) > 1:
        forms.extend(part for part in word.parts if part not in forms)
    return forms


@functools.lru_cache(maxsize=100_000)
def stem(token: str) -> str:
    """Return the Dutch stem of a normalised token.

    Snowball's Dutch (Kraaij-Pohlmann) stemmer, except where it removes a ``ge`` prefix or infix
    (it turns "geweld" into "wel", "gemeente" into "meen" and "begeleiding" into "beleid") or
    yields a stop word ("eenheid" into "een"): there the classic Dutch Porter stem is used, and
    the token itself if that is a stop word too. Conjugations of verbs in ``-eren``, which
    Snowball leaves alone, are first read as the infinitive: "radicaliseert", "geradicaliseerd"
    and "polariseerde" stem like "radicaliseren" and "polariseren".
    """
    if not token.isalpha():
        return token
    token = _eren_infinitive(token)
    kraaij_pohlmann, porter = _stemmers()
    result: str = kraaij_pohlmann.stemWord(token)
    if result in STOPWORDS or token.startswith("ge", _common_prefix_length(result, token)):
        result = porter.stemWord(token)
    if not result or (result in STOPWORDS and token not in STOPWORDS):
        return token
    return result


_EREN_FORMS = re.compile(r"(ge)?([a-z]{4,}?)ee(?:rt|rd|rde|rden)")
"""Finite forms and participles of a verb in -eren: (ge)stem + eert / eerd / eerde / eerden."""


def _eren_infinitive(token: str) -> str:
    """Return the infinitive of an -eren verb form ("geradicaliseerd" -> "radicaliseren"), else ``token``."""
    if len(token) < 8 or not token.endswith(("eert", "eerd", "eerde", "eerden")):
        return token
    match = _EREN_FORMS.fullmatch(token)
    if match is None:
        return token
    prefix, root = match.groups()
    if prefix and not token.endswith(("eerd", "eerde", "eerden")):
        root = prefix + root
    return root + "eren"


def _stemmers() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = (Stemmer.Stemmer("dutch"), Stemmer.Stemmer("dutch_porter"))
        _local.stemmers = stemmers
    return stemmers


def _common_prefix_length(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def index_terms(text: str) -> list[str]:
    """Return the tokens to index for ``text``: each surface form followed by its stem when different.

    "'s-Hertogenbosch" gives "shertogenbosch", "s", "hertogenbosch" (plus stems); "rechts-extremisme"
    gives "rechtsextremisme", "rechts", "extremisme" and their stems.
    """
    terms: list[str] = []
    for word in iter_words(text):
        if len(word.parts) == 1:
            terms.extend(_with_stem(word.joined))
        else:
            for form in word_forms(word):
                terms.extend(_with_stem(form))
    return terms


@functools.lru_cache(maxsize=100_000)
def _with_stem(form: str) -> tuple[str, ...]:
    stemmed = stem(form)
    return (form,) if stemmed == form else (form, stemmed)


def index_text(parts: Iterable[str]) -> str:
    """Return the space-joined index terms of several texts (one indexed column)."""
    return " ".join(term for part in parts for term in index_terms(part))


def matches_term(form: str, query_terms: Iterable[str]) -> bool:
    """Return whether a surface form (or its stem) equals or starts with one of ``query_terms``."""
    stemmed = stem(form)
    for term in query_terms:
        if form == term or stemmed == term:
            return True
        if len(term) >= 3 and (form.startswith(term) or stemmed.startswith(term)):
            return True
    return False


def snippet(text: str, query_terms: Iterable[str], max_len: int = 160) -> str:
    """Return an HTML-escaped excerpt of ``text`` of at most ``max_len`` characters.

    Words that match a query term (see :func:`matches_term`) are wrapped in ``<mark>``; the window
    starts a little before the first match, and cut ends are marked with an ellipsis.
    """
    return Snippets(query_terms, max_len)(text)


class Snippets:
    """Cuts the :func:`snippet` of many texts for one query, deciding each distinct word only once.

    The hits of one page share most of their words, and stemming plus prefix tests per word cost
    more than the rest of cutting a snippet, so the verdict per surface form is remembered.
    """

    def __init__(self, query_terms: Iterable[str], max_len: int = 160) -> None:
        self.terms = [t for t in query_terms if t]
        self.max_len = max_len
        self._verdicts: dict[str, bool] = {}

    def _matches(self, form: str) -> bool:
        verdict = self._verdicts.get(form)
        if verdict is None:
            verdict = self._verdicts[form] = matches_term(form, self.terms)
        return verdict

    def _is_match(self, word: Word) -> bool:
        return any(self._matches(form) for form in word_forms(word))

    def __call__(self, text: str) -> str:
        """Return the snippet of ``text``."""
        text = " ".join(text.split())
        first = next((w for w in iter_words(text) if self._is_match(w)), None) if self.terms else None
        start, end = _window(text, first.start if first else 0, self.max_len)
        out: list[str] = ["…"] if start > 0 else []
        position = 0
        window = text[start:end]
        for word in iter_words(window) if first else ():
            if self._is_match(word):
                out.append(html.escape(window[position : word.start]))
                out.append(f"<mark>{html.escape(window[word.start : word.end])}</mark>")
                position = word.end
        out.append(html.escape(window[position:]))
        if end < len(text):
            out.append("…")
        return "".join(out)


def _window(text: str, anchor: int, max_len: int) -> tuple[int, int]:
    if len(text) <= max_len:
        return 0, len(text)
    budget = max(max_len - 2, 1)
    start = max(0, min(anchor - budget // 4, len(text) - budget))
    if start > 0:
        space = text.find(" ", start, anchor) if anchor > start else -1
        start = space + 1 if space != -1 else start
    end = min(len(text), start + budget)
    if end < len(text):
        space = text.rfind(" ", start + 1, end)
        end = space if space > anchor else end
    return start, end
