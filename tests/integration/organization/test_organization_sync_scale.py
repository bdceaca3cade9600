"""The sync part of a provider user who reaches 1,000 client organizations: one read per table, quickly."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, event, insert

from mspvault.organization.adapters.orm import collections, metadata, organizations, provider_users
from tests.integration.organization.org_scenarios import organization_row, sym

pytestmark = pytest.mark.integration
log = logging.getLogger(__name__)


async def test_sync_of_a_provider_user_with_1000_client_orgs_reads_each_table_once(org_http) -> None:
    org = org_http
    provider_id = uuid.uuid4()
    bob = org.user("bob")
    org_ids = [uuid.uuid4() for _ in range(1000)]
    engine = org.app.state.runtime.engine
    async with engine.begin() as conn:
        await conn.execute(
            insert(organizations),
            [organization_row(provider_id, f"Client {i}", oid) for i, oid in enumerate(org_ids)],
        )
        await conn.execute(
            insert(collections), [{"id": uuid.uuid4(), "organization_id": oid, "name": sym()} for oid in org_ids]
        )
        await conn.execute(
            insert(provider_users).values(id=uuid.uuid4(), provider_id=provider_id, user_id=bob.id, type=1, status=2)
        )
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        response = await org.http.get("/internal/sync", headers=bob.auth)
        elapsed = time.perf_counter() - started
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert response.status_code == 200
    body = response.json()
    assert len(body["collections"]) == 1000
    assert all(c["manage"] for c in body["collections"])
    assert body["organizations"] == []  # provider users' client orgs come from the provider service
    assert len(statements) <= 6, statements
    log.warning(
        "sync for a provider user reaching 1000 client orgs: %.0f ms, %d statements", elapsed * 1000, len(statements)
    )


async def test_migrations_produce_exactly_the_orm_metadata(org_http) -> None:
    engine = org_http.app.state.runtime.engine

    def diff(sync_conn: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(sync_conn, opts={"compare_type": True}), metadata))

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    await asyncio.sleep(0)
