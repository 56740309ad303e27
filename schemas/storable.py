"""Input that no database can store, refused by every schema alike (the same 400 on SQLite and PostgreSQL).

PostgreSQL refuses NUL characters in text and integers past 2^31 in INTEGER columns; neither database can
encode an unpaired UTF-16 surrogate (which JSON's `\\ud800` escape can produce). `StrictSchema` (the base of
every input and query schema, see `schemas.common`) walks the raw input and reports each such value under its
field name in `invalidParams`, next to the schema's other errors. Text that is only searched and never stored
(`FreeText`) is cleaned instead, so that any text stays a valid query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

MAX_ID_LENGTH = 64
"""Longest id of any record (the `String(64)` id columns)."""
MIN_INTEGER, MAX_INTEGER = -(2**31), 2**31 - 1
"""The range of the databases' INTEGER columns, and so of every integer this API takes."""
SURROGATE = re.compile("[\ud800-\udfff]")
INTEGER_TEXT = re.compile(r"\s*[+-]?[0-9]+\s*")
NUL = "Contains a NUL character (\\u0000), which cannot be stored."
LONE_SURROGATE = "Contains an unpaired surrogate (\\ud800-\\udfff), which is not valid Unicode."
OUT_OF_RANGE = f"Must be between {MIN_INTEGER} and {MAX_INTEGER}."


def unstorable(value: Any) -> str | None:
    """Why `value` (one scalar of the input) cannot be stored, or None when it can."""
    if isinstance(value, str):
        if "\x00" in value:
            return NUL
        if SURROGATE.search(value):
            return LONE_SURROGATE
    elif isinstance(value, int) and not isinstance(value, bool) and not MIN_INTEGER <= value <= MAX_INTEGER:
        return OUT_OF_RANGE
    return None


def _problems(value: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, reason) of every unstorable scalar in a JSON value; iterative, so any depth is safe."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, current = stack.pop()
        if isinstance(current, Mapping):
            for key, item in current.items():
                reason = unstorable(key)
                if reason:
                    yield (*path, key), reason
                stack.append(((*path, key), item))
        elif isinstance(current, list | tuple):
            stack.extend(((*path, index), item) for index, item in enumerate(current))
        else:
            reason = unstorable(current)
            if reason:
                yield path, reason


def _nest(messages: dict[Any, Any], path: tuple[Any, ...], reason: str) -> None:
    for key in path[:-1]:
        messages = messages.setdefault(key, {})
    messages.setdefault(path[-1], []).append(reason)


def _own_schema(field: fields.Field | None) -> bool:
    """True when the field's value is loaded by a nested schema, which checks it itself."""
    inner = field.inner if isinstance(field, fields.List) else field
    return isinstance(inner, fields.Nested)


class FreeText(fields.String):
    """Text that is searched and never stored: NUL becomes a space and an unpaired surrogate U+FFFD."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return SURROGATE.sub("\ufffd", text.replace("\x00", " "))


class StrictSchema(Schema):
    """Base of every schema that loads input: unknown fields are errors, and so is anything unstorable."""

    class Meta:
        unknown = RAISE

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _storable(self, _data: Any, original_data: Any, **_kwargs: Any) -> None:
        if not isinstance(original_data, Mapping):
            return
        by_key = {field.data_key or name: field for name, field in self.load_fields.items()}
        messages: dict[Any, Any] = {}
        for key, value in original_data.items():
            field = by_key.get(key)
            if _own_schema(field) or isinstance(field, FreeText):
                continue
            if isinstance(field, fields.Integer) and isinstance(value, str) and INTEGER_TEXT.fullmatch(value):
                value = int(value) if len(value) < 40 else MAX_INTEGER + 1  # int() of a huge text costs
            for path, reason in _problems(value):
                _nest(messages, (key, *path), reason)
        if messages:
            raise ValidationError(messages)
