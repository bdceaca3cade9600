"""SQL helpers every vault adapter uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession


def any_of(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column = ANY(:array)`: one typed array parameter, however many values (IN would bind one per value)."""
    return column == any_(literal(list(values), ARRAY(column.type)))


async def driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session's own transaction (for the sync's hot path, see queries.py)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection
