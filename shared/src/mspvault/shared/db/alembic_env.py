"""The body of every service's Alembic `env.py`: async engine, the service's metadata, one transaction."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config


def run(metadata: MetaData | None = None) -> None:
    config = context.config
    target = metadata or config.attributes.get("target_metadata")

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = async_engine_from_config(
            config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
        )
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target)
        with context.begin_transaction():
            context.run_migrations()
        return
    existing = config.attributes.get("connection")
    if existing is not None:
        do_run(existing)
        return
    asyncio.run(run_async())
