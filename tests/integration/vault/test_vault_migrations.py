"""The vault's Alembic migrations build exactly the schema its ORM metadata describes."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mspvault.shared.runtime import run_migrations
from mspvault.shared.settings import VaultSettings
from mspvault.vault.adapters.orm import metadata
from mspvault.vault.bootstrap import build_parts

pytestmark = pytest.mark.integration


async def test_migrations_match_the_metadata(new_database) -> None:
    url = await new_database("vault_migrations")
    parts = build_parts(VaultSettings(database_url=url, kafka_bootstrap="127.0.0.1:9"))
    await asyncio.to_thread(run_migrations, parts)

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
