"""The audit tables' migrations: head matches the ORM exactly (audit table and indexes included), and 0002 goes
down and up cleanly in each service."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from mspvault.organization.bootstrap import build_parts as organization_parts
from mspvault.provider.bootstrap import build_parts as provider_parts
from mspvault.shared.db.engine import make_engine
from mspvault.shared.runtime import ServiceParts, run_migrations
from mspvault.shared.settings import OrganizationSettings, ProviderSettings, VaultSettings
from mspvault.vault.bootstrap import build_parts as vault_parts

pytestmark = pytest.mark.integration


def _alembic(parts: ServiceParts) -> Config:
    config = Config()
    config.set_main_option("script_location", str(parts.migrations))
    config.set_main_option("sqlalchemy.url", parts.settings.database_url.replace("%", "%%"))
    config.attributes["target_metadata"] = parts.metadata
    return config


@pytest.mark.parametrize(
    ("settings", "build", "previous"),
    [
        (OrganizationSettings, organization_parts, "0001_initial"),
        (ProviderSettings, provider_parts, "0001"),
        (VaultSettings, vault_parts, "0001"),
    ],
    ids=["organization", "provider", "vault"],
)
async def test_the_audit_migration_matches_the_orm_and_reverts(new_database, settings, build, previous) -> None:
    url = await new_database(f"audit_mig_{uuid.uuid4().hex[:6]}")
    parts = build(settings(database_url=url, kafka_bootstrap="127.0.0.1:1"))
    await asyncio.to_thread(run_migrations, parts)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), parts.metadata
                )
            )
            assert diff == []
            assert "audit_events" in await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        await asyncio.to_thread(command.downgrade, _alembic(parts), previous)
        async with engine.connect() as conn:
            assert "audit_events" not in await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        await asyncio.to_thread(command.upgrade, _alembic(parts), "head")
        async with engine.connect() as conn:
            assert "audit_events" in await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
