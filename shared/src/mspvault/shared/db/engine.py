"""Engine and session factory, built once per process by the composition root."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(url: str, *, pool_size: int = 20, max_overflow: int = 10) -> AsyncEngine:
    # hide_parameters: a database error must never carry the bound values (EncStrings, keys) into a log or DLQ.
    # The pool keeps `pool_size` connections open; one past it is closed when returned, so a steady load above
    # the pool opens a connection (a PostgreSQL backend) per transaction: 16 concurrent client creations did so
    # with a pool of 10 (issue 12 #4). The total, 30, is what it was (10 + 20).
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True, hide_parameters=True
    )
    if engine.dialect.driver == "asyncpg":
        engine.dialect.do_ping = ping_in_one_round_trip  # type: ignore[method-assign]
    return engine


def ping_in_one_round_trip(dbapi_connection: Any) -> bool:
    """The pool's check of a connection it hands out: one empty statement. SQLAlchemy's asyncpg ping wraps it in
    BEGIN and ROLLBACK for PgBouncer's transaction mode, which we do not run: three round trips at the start of
    every transaction (2 of a client creation's 10). As SQLAlchemy's, it answers False for a closed connection
    (the pool then replaces every connection as old as it) and raises anything else."""
    try:
        dbapi_connection.run_async(lambda driver: driver.fetchrow(";"))
    except Exception:
        if dbapi_connection.driver_connection.is_closed():
            return False
        raise
    return True


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
