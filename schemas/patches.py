"""The documented shape of a JSON merge patch (RFC 7396) of an input schema.

A patch is merged into the record's current input document and the result is validated with the input schema
itself; this schema only tells readers of the API docs that every field is optional and null removes it.
"""

import copy
from functools import cache

from marshmallow import Schema, missing


@cache
def merge_patch_schema(schema: type[Schema]) -> type[Schema]:
    """`schema` with every field optional and nullable, named `<Entity>Patch`."""
    declared = {}
    for name, field in schema._declared_fields.items():
        if field.dump_only:
            continue
        optional = copy.copy(field)
        optional.required = False
        optional.allow_none = True
        optional.load_default = missing  # a member left out keeps its current value; there is no default
        declared[name] = optional
    return Schema.from_dict(declared, name=schema.__name__.removesuffix("Schema").removesuffix("Input") + "Patch")
