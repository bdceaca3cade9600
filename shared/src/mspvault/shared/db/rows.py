"""Between dataclass entities and table rows, where a field and its column share a name; and the upsert by key.

The adapters map by hand only what differs (an enum, a JSON document, a value object made of several columns); every
field that a column of the same name holds as it is goes through these functions, so a column added on both sides
cannot be forgotten in one direction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import fields
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Row, Table
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

E = TypeVar("E", bound="DataclassInstance")
T = TypeVar("T")


def entity_from_row(cls: type[E], row: Row[Any] | Mapping[Any, Any], /, **convert: Callable[[Any], Any]) -> E:
    """`cls` built from the row's columns named as its fields, each passed through `convert[name]` where given
    (`type=MemberType`). A field without a column in the row keeps its default (an entity's pending events)."""
    columns = row._mapping if isinstance(row, Row) else row
    values = {}
    for f in fields(cls):
        if f.init and f.name in columns:
            value = columns[f.name]
            values[f.name] = convert[f.name](value) if f.name in convert else value
    return cls(**values)


def optional(convert: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """`convert` for a nullable column: NULL stays None."""
    return lambda value: None if value is None else convert(value)


def column_values(
    entity: DataclassInstance, table: Table, /, *, exclude: Collection[str] = (), **converted: Any
) -> dict[str, Any]:
    """The entity's fields that are columns of `table` (an enum as its value), but those in `exclude`, with
    `converted` for the columns a field does not fill as it is."""
    values = {
        f.name: _stored(getattr(entity, f.name)) for f in fields(entity) if f.name in table.c and f.name not in exclude
    }
    return values | converted


def _stored(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def given(**values: Any) -> dict[str, Any]:
    """The values that are not None: the columns an event says something about (the others stay as stored)."""
    return {name: value for name, value in values.items() if value is not None}


async def upsert(session: AsyncSession, table: Table, key: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Insert the row of `key` and `values`, or set `values` on the row that has `key` (its primary key or another
    unique index): how a read model applies an event, so that applying it twice converges."""
    statement = insert(table).values({**key, **values})
    index = [table.c[name] for name in key]
    await session.execute(statement.on_conflict_do_update(index_elements=index, set_=dict(values)))


# Built once per table, the rows given as parameters (executemany for several): built per call, an INSERT's
# construction and cache key (and, with its rows as a multi-row VALUES, a compilation for each count of rows) cost
# more CPU than its round trip on the paths that run for every event or client created.
@cache
def insert_into(table: Table) -> Insert:
    """`INSERT INTO table`, to be given its rows."""
    return insert(table)


@cache
def insert_if_new(table: Table) -> Insert:
    """`INSERT INTO table … ON CONFLICT DO NOTHING`, to be given its rows."""
    return insert(table).on_conflict_do_nothing()
