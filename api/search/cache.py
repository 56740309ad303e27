"""A per-process cache of values computed from the search index, valid while the index is unchanged.

Every change to the index raises its generation in the same transaction (see :mod:`api.search.sql`),
and the backend's :meth:`~api.search.base.SearchBackend.stamp` combines it with the identity of the
database. A value computed under one stamp stays right until a reader sees another: no TTL and no
invalidation messages between workers or instances. A reader that sees another stamp than the
entries of its database were made under drops them all and starts over.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

V = TypeVar("V")


class GenerationCache(Generic[V]):
    """A bounded least-recently-used map per database, emptied whenever that database's stamp changes."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max(0, max_entries)
        self._shelves: dict[str, tuple[Hashable, OrderedDict[Hashable, V]]] = {}
        self._lock = Lock()

    def get_or_compute(
        self, database: str, stamp: Hashable, key: Hashable, compute: Callable[[], V]
    ) -> tuple[V, bool]:
        """Return ``(value, hit)``: the cached value for ``key`` under ``stamp``, or ``compute()`` on a miss.

        ``compute`` runs outside the lock, so a slow computation never blocks readers of other keys;
        two threads missing the same key at once both compute it.
        """
        if self.max_entries == 0:
            return compute(), False
        found, value = self.lookup(database, stamp, key)
        if found:
            return value, True  # type: ignore[return-value]
        value = compute()
        self.store(database, stamp, key, value)
        return value, False

    def lookup(self, database: str, stamp: Hashable, key: Hashable) -> tuple[bool, V | None]:
        """``(True, value)`` when ``key`` is kept under ``stamp``, else ``(False, None)``."""
        with self._lock:
            shelf = self._shelves.get(database)
            if shelf is None or shelf[0] != stamp or key not in shelf[1]:
                return False, None
            shelf[1].move_to_end(key)
            return True, shelf[1][key]

    def store(self, database: str, stamp: Hashable, key: Hashable, value: V) -> None:
        """Keep ``value`` for ``key`` under ``stamp`` (dropping the entries of an older stamp), least recently
        used out beyond ``max_entries``."""
        with self._lock:
            shelf = self._shelves.get(database)
            if shelf is None or shelf[0] != stamp:
                shelf = self._shelves[database] = (stamp, OrderedDict())
            entries = shelf[1]
            entries[key] = value
            entries.move_to_end(key)
            while len(entries) > self.max_entries:
                entries.popitem(last=False)

    def __len__(self) -> int:
        """How many entries are kept, over every database."""
        with self._lock:
            return sum(len(entries) for _stamp, entries in self._shelves.values())

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._shelves.clear()
