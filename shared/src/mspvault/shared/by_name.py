"""Building one object from another whose field names line up: a command from its request body, a response from the
domain object or query view it shows. Each place then spells out only what differs (a renamed, derived or extra
field), instead of copying every `name=source.name` by hand."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    D = TypeVar("D", bound=DataclassInstance)

M = TypeVar("M", bound=BaseModel)


def dataclass_by_name(kind: type[D], source: object, **given: Any) -> D:
    """`kind` (a dataclass, typically a command) with the fields in `given` as given and every other one read from
    `source`'s attribute of the same name. Strict: a field that is neither given nor on `source` is an error (an
    AttributeError), never silently left at its default."""
    named = {
        field.name: getattr(source, field.name) for field in fields(kind) if field.init and field.name not in given
    }
    return kind(**named, **given)


def model_by_name(kind: type[M], source: object, **given: Any) -> M:
    """`kind` (a pydantic model, typically a response) validated from `source`'s attributes named like its fields
    (those `source` has: the others take their defaults) and `given`, which wins over them."""
    named = {name: getattr(source, name) for name in kind.model_fields if name not in given and hasattr(source, name)}
    return kind.model_validate({**named, **given})
