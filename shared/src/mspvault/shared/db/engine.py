"""Engine and session factory, built once per process by the composition root."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# A connection returned to the pool this recently is handed out again without a check (HikariCP's
# aliveBypassWindowMs, 500 ms by default): on a busy service most checkouts follow a return within milliseconds,
# and the check was one round trip of the 1–3 a read makes (a page of clients is one statement).
ALIVE_BYPASS_SECONDS = 0.5


def make_engine(
    url: str, *, pool_size: int = 20, max_overflow: int = 10, alive_bypass_seconds: float = ALIVE_BYPASS_SECONDS
) -> AsyncEngine:
    # hide_parameters: a database error must never carry the bound values (EncStrings, keys) into a log or DLQ.
    # The pool keeps `pool_size` connections open; one past it is closed when returned, so a steady load above
    # the pool opens a connection (a PostgreSQL backend) per transaction: 16 concurrent client creations did so
    # with a pool of 10 (issue 12 #4). The total, 30, is what it was (10 + 20).
    asyncpg = make_url(url).get_driver_name() == "asyncpg"
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=not asyncpg,  # another driver keeps SQLAlchemy's own check of every checkout
        hide_parameters=True,
    )
    if asyncpg:
        _check_connections_on_checkout(engine, alive_bypass_seconds)
    return engine


def _check_connections_on_checkout(engine: AsyncEngine, bypass_seconds: float) -> None:
    """The pool's check of a connection it hands out, unless it was returned within `bypass_seconds`: one empty
    statement. SQLAlchemy's asyncpg pre-ping wraps it in BEGIN and ROLLBACK for PgBouncer's transaction mode, which
    we do not run (three round trips at the start of every transaction). A connection that fails it, or that the
    server is known to have closed, is replaced: the pool discards it and takes another (SQLAlchemy's
    DisconnectionError protocol), so the caller never sees it."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def returned(dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def check(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned_at = record.info.pop("returned_at", None)
        if dbapi_connection.driver_connection.is_closed():
            raise DisconnectionError("the server closed the connection")
        if returned_at is None or time.monotonic() - returned_at < bypass_seconds:
            return  # just opened, or just used
        if not ping_in_one_round_trip(dbapi_connection):
            raise DisconnectionError("the connection failed its check")


def ping_in_one_round_trip(dbapi_connection: Any) -> bool:
    """One empty statement; False when the connection is closed or fails it."""
    try:
        dbapi_connection.run_async(lambda driver: driver.fetchrow(";"))
    except Exception:
        return False
    return True


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
