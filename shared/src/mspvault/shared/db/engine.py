"""Engine and session factory, built once per process by the composition root."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # hide_parameters: a database error must never carry the bound values (EncStrings, keys) into a log or DLQ.
    return create_async_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
