"""The set of indexed tokens, with the look-ups typo correction needs (membership, prefix, nearest)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Set

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


class Vocabulary(Set[str]):
    """An immutable set of index tokens, optionally with the number of documents holding each.

    Built once (``O(n log n)``) and then cheap to query: prefix checks use a sorted list, nearest
    matches only look at tokens whose length is within the allowed distance.
    """

    def __init__(self, tokens: Iterable[str] | Mapping[str, int] = ()) -> None:
        counts = dict(tokens) if isinstance(tokens, Mapping) else dict.fromkeys(tokens, 1)
        self._counts: dict[str, int] = counts
        self._sorted: list[str] = sorted(counts)
        self._by_length: dict[int, list[str]] = {}
        for token in self._sorted:
            self._by_length.setdefault(len(token), []).append(token)

    def __contains__(self, token: object) -> bool:
        return token in self._counts

    def __iter__(self) -> Iterator[str]:
        return iter(self._sorted)

    def __len__(self) -> int:
        return len(self._counts)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens)"

    def frequency(self, token: str) -> int:
        """Return how many documents hold ``token`` (0 when unknown, 1 when counts were not given)."""
        return self._counts.get(token, 0)

    def has_prefix(self, prefix: str) -> bool:
        """Return whether some token starts with ``prefix`` (or equals it)."""
        index = bisect.bisect_left(self._sorted, prefix)
        return index < len(self._sorted) and self._sorted[index].startswith(prefix)

    def closest(self, word: str, max_distance: int) -> str | None:
        """Return the token nearest to ``word`` within ``max_distance`` Levenshtein edits, or None.

        Ties go to the token held by more documents, then to the alphabetically first.
        """
        candidates = [
            token
            for length in range(len(word) - max_distance, len(word) + max_distance + 1)
            for token in self._by_length.get(length, ())
        ]
        if not candidates:
            return None
        matches = process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=None)
        if not matches:
            return None
        best = min(matches, key=lambda m: (m[1], -self.frequency(m[0]), m[0]))
        return str(best[0])


def as_vocabulary(tokens: Iterable[str]) -> Vocabulary:
    """Return ``tokens`` as a :class:`Vocabulary`, building one only when needed."""
    return tokens if isinstance(tokens, Vocabulary) else Vocabulary(tokens)
