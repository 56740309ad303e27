"""Paging, sorting and OR/AND filtering shared by every collection query."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, case, exists, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from api.exceptions import InvalidInput, InvalidParam, NotFound
from api.queries.text import ranked_ids

T = TypeVar("T")

WALK_FACTOR = 10
"""A page is read by walking the sort index when the result holds at least this many times `offset + page size`
records (see `paginate`)."""
IDS_FIRST_MIN = 200
"""A page that is not walked is read as ids first when the result holds more records than this (see `paginate`)."""


@dataclass(frozen=True)
class Linked:
    """A filter on a link table: keep the records whose id is the `key` of a link row that `matches` the values.

    It is written as `id IN (SELECT key ...)` when it may drive the query (a `selective` filter: one value
    matches few records, like a topic or an area), and as a correlated `EXISTS` probe of the link table's primary
    key otherwise (a size class or a language matches a large share of the records, so listing them would cost
    as much as the table). `walk=True` writes every link filter as a probe, for a page read in index order.
    """

    record_id: Any
    key: Any
    matches: Callable[[Any], ColumnElement[bool]]
    selective: bool = True

    def clause(self, values: Any, walk: bool = False) -> ColumnElement[bool]:
        """The WHERE clause keeping the records linked to `values`."""
        if self.selective and not walk:
            return self.record_id.in_(select(self.key).where(self.matches(values)))
        return exists().where(self.key == self.record_id, self.matches(values))


Filter = Callable[[Select[Any], Any], Select[Any]] | Linked


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a collection and the size of the whole result."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def last_page(self) -> int:
        """The number of the last page (1 for an empty result)."""
        return max(1, math.ceil(self.total / self.page_size))


def apply_filters(
    stmt: Select[Any], params: Mapping[str, Any], filters: Mapping[str, Filter], walk: bool = False
) -> Select[Any]:
    """AND every given filter; each filter ORs its own values (`walk`: see `Linked`)."""
    for name, build in filters.items():
        value = params.get(name)
        if value is None:
            continue
        stmt = stmt.where(build.clause(value, walk)) if isinstance(build, Linked) else build(stmt, value)
    return stmt


def order_by(
    stmt: Select[Any],
    sort: Sequence[str] | None,
    columns: Mapping[str, ColumnElement[Any]],
    default: str,
    id_column: ColumnElement[Any],
    ranked_ids: Sequence[str] | None = None,
) -> Select[Any]:
    """Sort by the requested keys (`-` = descending); by relevance when a text query ranked the ids."""
    if not sort and ranked_ids is not None:
        if ranked_ids:
            rank = case({rid: i for i, rid in enumerate(ranked_ids)}, value=id_column, else_=len(ranked_ids))
            return stmt.order_by(rank, id_column)
        return stmt.order_by(id_column)
    clauses = []
    for key in sort or [default]:
        column = columns[key.lstrip("-")]
        clauses.append(column.desc() if key.startswith("-") else column.asc())
    return stmt.order_by(*clauses, id_column)


def paginate(
    session: Session,
    stmt: Select[Any],
    page: int,
    page_size: int,
    walk: Select[Any] | None = None,
    records: Select[Any] | None = None,
    ids_only: bool = False,
) -> Page[Any]:
    """Run `stmt` for one page; a page past the last one is invalid input.

    The total is counted with `stmt`, which the database drives from its most selective filter. The page is read:

    - with `walk`, when given and the matches are many next to the page's end: the same query written to be read
      in the order of an index (its link filters as probes, see `Linked`), which stops after the page instead of
      sorting every match (it reads about `(offset + page size) * all / total` index entries);
    - else, when `records` (the records' unfiltered query with its loader options) is given and the matches are
      many, as the ids of the page first, so the database sorts narrow rows, then those records by id;
    - else with `stmt` itself.

    `ids_only`: the page holds the records' ids, read the same way, for callers that keep the records themselves.
    """
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    result = Page(items=[], total=total, page=page, page_size=page_size)
    if page > result.last_page:
        raise InvalidInput(
            [InvalidParam("page", "out-of-range", f"There are {result.last_page} pages of {page_size} items.")]
        )
    if total == 0:
        return result
    offset = (page - 1) * page_size
    walked = walk is not None and (offset + page_size) * WALK_FACTOR <= total
    if ids_only:
        read = walk if walk is not None and walked else stmt
        items = list(session.scalars(read.with_only_columns(_primary_key(stmt)).limit(page_size).offset(offset)))
    elif walk is not None and walked:
        items = list(session.scalars(walk.limit(page_size).offset(offset)).unique())
    elif records is not None and total > IDS_FIRST_MIN:
        items = _by_ids(session, stmt, records, page_size, offset)
    else:
        items = list(session.scalars(stmt.limit(page_size).offset(offset)).unique())
    return Page(items=items, total=total, page=page, page_size=page_size)


def _by_ids(session: Session, stmt: Select[Any], records: Select[Any], limit: int, offset: int) -> list[Any]:
    """The records of one page of `stmt`: their ids in order, then the records (of `records`) with those ids."""
    ids = list(session.scalars(stmt.with_only_columns(_primary_key(records)).limit(limit).offset(offset)))
    return load_in_order(session, records, ids)


def load_in_order(session: Session, records: Select[Any], ids: Sequence[Any]) -> list[Any]:
    """The records of `records` (a query of one entity, with its loader options) whose ids are `ids`, in that order."""
    key = _primary_key(records)
    found = {sa_inspect(record).identity[0]: record for record in session.scalars(records.where(key.in_(ids))).unique()}
    return [found[record_id] for record_id in ids]


def _primary_key(records: Select[Any]) -> Any:
    return sa_inspect(records.column_descriptions[0]["entity"]).primary_key[0]


def list_page(
    session: Session,
    stmt: Select[Any],
    model: Any,
    params: Mapping[str, Any],
    filters: Mapping[str, Filter],
    sort_columns: Mapping[str, ColumnElement[Any]],
    default_sort: str,
    walk_sorts: Collection[str] = (),
    search_type: str | None = None,
) -> Page[Any]:
    """The common list use case: filters, the `q` text match, sorting and one page (see `paginate`).

    `q` ranks by the search index when the records have a `search_type`, else it matches names containing it.

    `params["ids"]` (not a query parameter: for callers that batch-load known records) keeps those ids only;
    `params["ids_only"]` (neither) reads the page's ids instead of its records.
    `walk_sorts` are the sort keys an index on (status, key, id) serves in order (either way): sorted by one of
    them, with one status and no `q`, a page may be read by walking that index.
    """
    ranked = ranked_ids(session, search_type, params["q"]) if params.get("q") and search_type else None
    if params.get("q") and search_type is None:
        stmt = stmt.where(model.name.contains(params["q"], autoescape=True))
    sort = params.get("sort") or [default_sort]
    walkable = (
        ranked is None and len(sort) == 1 and sort[0].lstrip("-") in walk_sorts and len(params.get("status") or ()) <= 1
    )

    def narrowed(walk: bool) -> Select[Any]:
        found = apply_filters(stmt, params, filters, walk)
        if params.get("ids") is not None:
            found = found.where(model.id.in_(params["ids"]))
        if ranked is not None:
            found = found.where(model.id.in_(ranked))
        return order_by(found, params.get("sort"), sort_columns, default_sort, model.id, ranked)

    page, page_size = params["page"], params["page_size"]
    return paginate(session, narrowed(False), page, page_size, narrowed(True) if walkable else None, stmt,
                    ids_only=bool(params.get("ids_only")))


def get_one(session: Session, stmt: Select[Any], model: Any, item_id: str, what: str) -> Any:
    """The row of `model` with `item_id`, or NotFound naming `what`."""
    found = session.scalars(stmt.where(model.id == item_id)).first()
    if found is None:
        raise NotFound(f"There is no {what} with id '{item_id}'.")
    return found
