"""The pool checks a connection before handing it out with one empty statement (SQLAlchemy's asyncpg ping takes
BEGIN, `;` and ROLLBACK), and a connection the server closed is still replaced, not handed to the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from mspvault.shared.db.engine import make_engine

pytestmark = pytest.mark.integration


@pytest.fixture
async def engine(new_database) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(await new_database("ping"), pool_size=1, max_overflow=0)
    yield engine
    await engine.dispose()


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_pooled_connection_is_pinged_in_one_statement(engine: AsyncEngine) -> None:
    sent: list[str] = []
    async with engine.connect() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        driver.add_query_logger(lambda record: sent.append(record.query))
    async with engine.connect() as conn:  # the same connection, from the pool: pinged first
        await conn.execute(text("SELECT 1"))
    # The ping, then the caller's transaction (its SELECT goes as a prepared statement, which is not logged) and
    # its end: no BEGIN and ROLLBACK of the ping's own.
    assert sent[0] == ";", sent
    assert sent[1].startswith("BEGIN"), sent
    assert [query.rstrip(";") for query in sent[2:]] == ["ROLLBACK"], sent


async def test_a_connection_the_server_closed_is_replaced(engine: AsyncEngine) -> None:
    first = await _backend_pid(engine)
    killer = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
    try:
        async with killer.connect() as conn:
            ended: Any = (await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})).scalar()
        assert ended is True
    finally:
        await killer.dispose()
    second = await _backend_pid(engine)  # no error: the ping found the pooled connection closed
    assert second != first
