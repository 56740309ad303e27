"""Paging, sorting and OR/AND filtering shared by every collection query."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from api.exceptions import InvalidInput, InvalidParam, NotFound
from api.queries.text import ranked_ids

T = TypeVar("T")
Filter = Callable[[Select[Any], Any], Select[Any]]


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


def apply_filters(stmt: Select[Any], params: Mapping[str, Any], filters: Mapping[str, Filter]) -> Select[Any]:
    """AND every given filter; each filter ORs its own values."""
    for name, build in filters.items():
        value = params.get(name)
        if value is not None:
            stmt = build(stmt, value)
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


def paginate(session: Session, stmt: Select[Any], page: int, page_size: int) -> Page[Any]:
    """Run `stmt` for one page; a page past the last one is invalid input."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    result = Page(items=[], total=total, page=page, page_size=page_size)
    if page > result.last_page:
        raise InvalidInput(
            [InvalidParam("page", "out-of-range", f"There are {result.last_page} pages of {page_size} items.")]
        )
    items = list(session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)).unique())
    return Page(items=items, total=total, page=page, page_size=page_size)


def list_page(
    session: Session,
    stmt: Select[Any],
    model: Any,
    params: Mapping[str, Any],
    filters: Mapping[str, Filter],
    sort_columns: Mapping[str, ColumnElement[Any]],
    default_sort: str,
) -> Page[Any]:
    """The common list use case: filters, the `q` text match, sorting and one page.

    `params["ids"]` (not a query parameter: for callers that batch-load known records) keeps those ids only.
    """
    stmt = apply_filters(stmt, params, filters)
    if params.get("ids") is not None:
        stmt = stmt.where(model.id.in_(params["ids"]))
    ranked = None
    if params.get("q"):
        ranked = ranked_ids(session, model, params["q"])
        stmt = stmt.where(model.id.in_(ranked))
    stmt = order_by(stmt, params.get("sort"), sort_columns, default_sort, model.id, ranked)
    return paginate(session, stmt, params["page"], params["page_size"])


def get_one(session: Session, stmt: Select[Any], model: Any, item_id: str, what: str) -> Any:
    """The row of `model` with `item_id`, or NotFound naming `what`."""
    found = session.scalars(stmt.where(model.id == item_id)).first()
    if found is None:
        raise NotFound(f"There is no {what} with id '{item_id}'.")
    return found
