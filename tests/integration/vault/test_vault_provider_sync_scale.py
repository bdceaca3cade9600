"""The sync part of a provider user whose provider has 10,000 clients, few of them holding items: it costs what the
user's items cost. Counted, not timed: the statements, the rows PostgreSQL read from each table (the transaction's
own statistics) and the longest array bound into a statement. The time is printed only."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from mspvault.vault.adapters import queries
from mspvault.vault.adapters.orm import organizations, provider_clients
from mspvault.vault.adapters.sql import driver_connection
from tests.integration.vault.test_vault_scale import bulk_insert, client_orgs, login_row
from tests.integration.vault.vault_harness import User, VaultService

pytestmark = pytest.mark.integration

CLIENTS = 10_000


async def set_client(vault: VaultService, organization_id: uuid.UUID, **values: Any) -> None:
    async with vault.runtime.session_factory() as session:
        if "enabled" in values:
            await session.execute(
                organizations.update()
                .where(organizations.c.id == organization_id)
                .values(enabled=values.pop("enabled"))
            )
        if values:
            await session.execute(
                provider_clients.update().where(provider_clients.c.organization_id == organization_id).values(**values)
            )
        await session.commit()


@contextmanager
def recording(connection: AsyncConnection, driver: Any) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Every statement run on this connection, through SQLAlchemy or straight on its driver connection, with its
    arguments: the connection's own, not the engine's (the service's consumers share the engine and may be applying
    other tests' events meanwhile)."""
    seen: list[tuple[str, tuple[Any, ...]]] = []
    target = connection.sync_connection

    def through_sqlalchemy(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        seen.append((statement, tuple(parameters or ())))

    def on_driver(query: Any) -> None:
        # Not asyncpg's own: its transaction control and its one-off look-ups of a type's codec.
        if not query.query.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "SELECT 1")) and (
            "typeinfo" not in query.query and "jit" not in query.query
        ):
            seen.append((query.query, tuple(query.args or ())))

    event.listen(target, "before_cursor_execute", through_sqlalchemy)
    driver.add_query_logger(on_driver)
    try:
        yield seen
    finally:
        driver.remove_query_logger(on_driver)
        event.remove(target, "before_cursor_execute", through_sqlalchemy)


def statement_count(seen: list[tuple[str, tuple[Any, ...]]]) -> int:
    # SQLAlchemy's statements reach the driver too (prepared, then run): count each text once.
    return len({statement.strip() for statement, _ in seen})


def longest_array(seen: list[tuple[str, tuple[Any, ...]]]) -> int:
    lengths = [len(arg) for _, args in seen for arg in args if isinstance(arg, list | tuple)]
    return max(lengths, default=0)


async def rows_read(session: AsyncSession) -> dict[str, int]:
    """Rows this transaction has read so far, by table: sequential reads plus rows fetched through an index."""
    rows = await session.execute(
        text("SELECT relname, seq_tup_read + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables")
    )
    return {name: int(count) for name, count in rows}


@dataclass(frozen=True)
class World:
    bob: User
    visible: set[str]  # the ids of the items Bob may see


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(vault: VaultService) -> World:
    """Bob, a user of Acme, which has 10,000 clients; items in four of them (one turned provider access off, one is
    disabled, one was detached), in a client of another provider, in an organization holding 20,000 (so the planner
    chooses as it would for a large vault) and two of his own. Fresh statistics."""
    acme, other_provider = uuid.uuid4(), uuid.uuid4()
    bob = await vault.user("bob")
    await vault.provider_user(acme, bob)
    clients = await client_orgs(vault, acme, CLIENTS)
    shown, closed, disabled, unlinked = clients[:4]
    await set_client(vault, closed, provider_access_to_items=False)
    await set_client(vault, disabled, enabled=False)
    await set_client(vault, unlinked, linked=False)
    foreign = await vault.client_org(other_provider)
    large = await vault.organization()
    rows = [login_row(organization_id=shown) for _ in range(3)] + [login_row(user_id=bob.id) for _ in range(2)]
    hidden = [login_row(organization_id=o) for o in (closed, disabled, unlinked, foreign)]
    await bulk_insert(vault, rows + hidden + [login_row(organization_id=large) for _ in range(20_000)])
    async with vault.runtime.session_factory() as session:
        for table in ("provider_clients", "organizations", "ciphers", "collection_ciphers"):
            await session.execute(text(f"ANALYZE {table}"))
        await session.commit()
    return World(bob, {str(row["id"]) for row in rows})


async def test_the_sync_part_costs_what_the_items_cost_not_what_the_clients_count(
    vault: VaultService, world: World
) -> None:
    assert await vault.visible_ids(world.bob) == world.visible  # the route's answer; warms the pool
    async with vault.runtime.session_factory() as session:
        driver = await driver_connection(session)
        await queries.sync_documents(session, world.bob.id)  # the statements are prepared on this connection
        before = await rows_read(session)
        with recording(await session.connection(), driver) as seen:
            _, documents = await queries.sync_documents(session, world.bob.id)
        read = {table: count - before.get(table, 0) for table, count in (await rows_read(session)).items()}
        times = []
        for _ in range(5):
            started = time.perf_counter()
            await queries.sync_documents(session, world.bob.id)
            times.append(time.perf_counter() - started)
    print(
        f"\nprovider user, {CLIENTS:,} clients, 5 items: sync_documents best {min(times) * 1000:.1f} ms, "
        f"median {sorted(times)[2] * 1000:.1f} ms; {statement_count(seen)} statements, "
        f"longest array {longest_array(seen)}, rows read { {t: n for t, n in read.items() if n} }"
    )
    assert {document.members.split('"', 4)[3] for document in documents} == world.visible
    # The caller's memberships, grants and providers; the clients they reach holding items; the items; folders;
    # the items' collections.
    assert statement_count(seen) == 7, seen
    assert longest_array(seen) <= 4, "no client ids travel to Python and back"
    # Organizations are read for the clients holding items only; PostgreSQL walks the links once, by itself.
    assert read.get("organizations", 0) <= 4, read
    # Acme's links, once each. The planner may scan the table (every link is Acme's but for the other tests' few in
    # a whole-suite run: 10,021 seen) and rows the world updated may be fetched again as dead versions until
    # pruning, so a margin: what must never happen is reading them twice or once per item (20,000+).
    assert read.get("provider_clients", 0) <= CLIENTS + CLIENTS // 10, read
    assert read.get("ciphers", 0) <= 9, read  # the candidates, never the 20,000 items of another organization


async def test_the_clients_holding_items_are_found_through_the_indexes(vault: VaultService, world: World) -> None:
    """EXPLAIN: the clients holding items are found by probing the items' organization index, and the sync's items
    through the indexes: the 20,000 items of an organization Bob does not reach are never scanned."""
    async with vault.runtime.session_factory() as session:
        driver = await driver_connection(session)
        with recording(await session.connection(), driver) as seen:
            await queries.sync_documents(session, world.bob.id)
        plans = {}
        for statement, arguments in seen:
            if "provider_clients" in statement or "passwordHistory" in statement:
                plans[statement] = "\n".join(row[0] for row in await driver.fetch(f"EXPLAIN {statement}", *arguments))
    assert len(plans) == 2, plans.keys()
    for plan in plans.values():
        assert "Seq Scan on ciphers" not in plan, plan
        assert "Seq Scan on organizations" not in plan, plan
    reach = next(plan for statement, plan in plans.items() if "provider_clients" in statement)
    assert "ix_ciphers_organization_id" in reach, reach
