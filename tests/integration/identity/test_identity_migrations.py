from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from mspvault.identity.adapters import orm
from mspvault.identity.bootstrap import build_parts
from mspvault.shared.db.engine import make_engine
from mspvault.shared.runtime import run_migrations
from mspvault.shared.settings import IdentitySettings
from mspvault.shared.testing import DatabaseFactory

pytestmark = pytest.mark.integration


async def test_migrations_produce_exactly_the_orm_metadata(new_database: DatabaseFactory) -> None:
    url = await new_database("identity_migrations")
    settings = IdentitySettings(database_url=url, kafka_bootstrap="127.0.0.1:9")  # migrations need no broker
    await asyncio.to_thread(run_migrations, build_parts(settings))

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, orm.metadata))

    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(differences)
    finally:
        await engine.dispose()
    assert diff == []
