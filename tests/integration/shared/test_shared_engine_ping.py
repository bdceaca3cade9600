"""The pool checks a connection before handing it out with one empty statement (SQLAlchemy's asyncpg ping takes
BEGIN, `;` and ROLLBACK) unless it was returned within the bypass window, and a connection the server closed is
replaced, not handed to the caller, whether or not it was just returned."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from mspvault.shared.db.engine import make_engine
from mspvault.shared.testing.wait import wait_until

pytestmark = pytest.mark.integration

EngineFactory = Callable[[float], Awaitable[AsyncEngine]]


@pytest.fixture
async def engine_with_bypass(new_database) -> AsyncIterator[EngineFactory]:
    engines: list[AsyncEngine] = []

    async def make(bypass_seconds: float) -> AsyncEngine:
        url = await new_database("ping")
        engines.append(make_engine(url, pool_size=1, max_overflow=0, alive_bypass_seconds=bypass_seconds))
        return engines[-1]

    yield make
    for engine in engines:
        await engine.dispose()


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _sent_on_reuse(engine: AsyncEngine) -> list[str]:
    sent: list[str] = []
    async with engine.connect() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        driver.add_query_logger(lambda record: sent.append(record.query))
    async with engine.connect() as conn:  # the same connection, from the pool
        await conn.execute(text("SELECT 1"))
    return sent


async def test_a_pooled_connection_is_pinged_in_one_statement(engine_with_bypass: EngineFactory) -> None:
    sent = await _sent_on_reuse(await engine_with_bypass(0.0))
    # The ping, then the caller's transaction (its SELECT goes as a prepared statement, which is not logged) and
    # its end: no BEGIN and ROLLBACK of the ping's own.
    assert sent[0] == ";", sent
    assert sent[1].startswith("BEGIN"), sent
    assert [query.rstrip(";") for query in sent[2:]] == ["ROLLBACK"], sent


async def test_a_connection_returned_within_the_window_is_handed_out_unchecked(
    engine_with_bypass: EngineFactory,
) -> None:
    sent = await _sent_on_reuse(await engine_with_bypass(60.0))
    assert sent[0].startswith("BEGIN"), sent
    assert ";" not in sent, sent


@pytest.mark.parametrize("bypass_seconds", [0.0, 60.0])
async def test_a_connection_the_server_closed_is_replaced(
    engine_with_bypass: EngineFactory, bypass_seconds: float
) -> None:
    engine = await engine_with_bypass(bypass_seconds)
    first = await _backend_pid(engine)
    killer = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
    try:
        async with killer.connect() as conn:
            ended: Any = (await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})).scalar()
        assert ended is True

        async def gone() -> bool:  # the backend has exited, so its socket is closed (as after a server restart)
            async with killer.connect() as conn:
                query = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
                return int((await conn.execute(query, {"pid": first})).scalar_one()) == 0

        await wait_until(gone, timeout=10, interval=0.05, message="the terminated backend to exit")
    finally:
        await killer.dispose()
    second = await _backend_pid(engine)  # no error: the check found the pooled connection closed
    assert second != first
