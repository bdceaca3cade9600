"""A provider's client list at 10,000 clients (issue 12 #4) without creating them through the API: the links and
their members are written straight into the provider's tables (as `tests/integration/provider/test_provider_scale.py`
does), so a run takes a minute instead of `provider_scale`'s ten and the reads can be measured over and over.

For the unpaged list, a page of 50 mid-list and a search: p50/p95 through the gateway (in `br`, as the clients
ask) and straight to the provider service, CPU ms per request by process, and PostgreSQL's own time for the
statement (`EXPLAIN (ANALYZE, TIMING OFF)`: its execution, not the sending of its answer). `BENCH_PROFILE=<dir>`
also records py-spy stacks of the provider and the gateway while the requests through the gateway run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.common import CpuUse, Figures, ProcessCpu, console, goal_table, https_client, print_table, running_demo
from mspvault.client.onboarding import log_in
from mspvault.deploy.system import System
from mspvault.provider.adapters.queries import ClientCursor, ClientQuery, list_clients
from mspvault.shared.infra import asyncpg_url

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10000"))
MEMBERS_PER_CLIENT = 3  # two confirmed, one accepted: every count is non-zero
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "40"))
PROFILE_DIR = os.environ.get("BENCH_PROFILE", "")
GOALS_MS = {"list": 200.0, "page": 30.0, "search": 30.0}

# The members are written first, as the service learns of them, so each link counts its members when it is inserted;
# client i's organization id is md5(provider id || i) in both statements.
MEMBERS = """
INSERT INTO org_members (member_id, organization_id, user_id, type, status, source_at)
SELECT gen_random_uuid(), md5($1 || i)::uuid, gen_random_uuid(), 2, CASE WHEN n = 0 THEN 1 ELSE 2 END, now()
FROM generate_series(0, $2 - 1) AS i, generate_series(0, $3 - 1) AS n
"""
LINKS = """
INSERT INTO provider_organizations (id, provider_id, organization_id, key, settings, seats, plan_type,
                                    organization_name, creation_date, revision_date)
SELECT gen_random_uuid(), $1::uuid, md5($1::text || i)::uuid, $3, '{"providerAccessToItems": true}', 10, 19,
       'Client ' || lpad(i::text, 5, '0'), now(), now()
FROM generate_series(0, $2 - 1) AS i
"""


async def write_clients(system: System, provider_id: str) -> None:
    connection = await asyncpg.connect(asyncpg_url(system.database_urls["provider"]))
    try:
        key = await connection.fetchval("SELECT key FROM provider_organizations WHERE provider_id = $1", provider_id)
        await connection.execute(MEMBERS, provider_id, CLIENTS, MEMBERS_PER_CLIENT)
        await connection.execute(LINKS, provider_id, CLIENTS, key)
        await connection.execute("VACUUM ANALYZE provider_organizations")
        await connection.execute("VACUUM ANALYZE org_members")
    finally:
        await connection.close()


async def statement_ms(system: System, provider_id: str, email: str, asked: ClientQuery, label: str) -> Figures:
    """PostgreSQL's own time for the listing's statement as the provider sends it (`list_clients`, captured with
    its parameters), from `EXPLAIN (ANALYZE, TIMING OFF)` (per-node timing would inflate a plan of many small
    nodes), ten runs."""
    engine = create_async_engine(system.database_urls["provider"])
    captured: list[tuple[str, Any]] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: captured.append((args[2], args[3])))
    try:
        async with AsyncSession(engine) as session:
            user_id = await session.scalar(
                text("SELECT user_id FROM provider_users WHERE provider_id = :p AND email = :e"),
                {"p": provider_id, "e": email},
            )
            captured.clear()
            await list_clients(session, uuid.UUID(provider_id), user_id, asked)
            statement, parameters = captured[0]
            connection = await session.connection()
            times = []
            for _ in range(10):
                explained = await connection.exec_driver_sql(
                    f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {statement}", parameters
                )
                plan = explained.scalar_one()
                times.append(float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Execution Time"]))
    finally:
        await engine.dispose()
    return Figures(label, len(times), sum(times) / 1000, times)


async def sample(client: httpx.AsyncClient, path: str, label: str, token: str, cpu: ProcessCpu) -> Figures:
    cpu.restart()
    latencies = []
    for _ in range(SAMPLES):
        started = asyncio.get_running_loop().time()
        response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        latencies.append((asyncio.get_running_loop().time() - started) * 1000)
    console.print(cpu.per_unit(SAMPLES, f"request, {label}"))
    return Figures(label, SAMPLES, sum(latencies) / 1000, latencies)


@contextlib.asynccontextmanager
async def profiled(system: System, label: str) -> AsyncIterator[None]:
    """py-spy on the provider and the gateway meanwhile, when `BENCH_PROFILE` names a folder (raw stacks, for
    flamegraph.pl or a count by frame)."""
    if not PROFILE_DIR:
        yield
        return
    spies = [
        await asyncio.create_subprocess_exec(
            *(
                "py-spy",
                "record",
                "--nonblocking",
                "--rate",
                "500",
                "--format",
                "raw",
                "-p",
                str(system.children[name].process.pid),
            ),
            *("-o", f"{PROFILE_DIR}/{label}-{name}.txt"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for name in ("provider", "gateway")
    ]
    await asyncio.sleep(1.0)  # py-spy attaches
    try:
        yield
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)
        for spy in spies:
            await spy.wait()


async def main() -> None:
    if PROFILE_DIR:
        os.makedirs(PROFILE_DIR, exist_ok=True)
    async with running_demo("list") as (system, connection, world):
        bob = await log_in(connection, world.bob)
        token = bob.session.access_token
        await write_clients(system, world.acme_id)
        base = f"/api/providers/{world.acme_id}/organizations"
        cpu = ProcessCpu.of(system)
        async with (
            https_client(system) as gateway,
            httpx.AsyncClient(base_url=system.service_urls["provider"], trust_env=False, timeout=60.0) as direct,
        ):
            middle = await gateway.get(
                base, params={"pageSize": 500, "search": "Client 04"}, headers={"Authorization": f"Bearer {token}"}
            )
            after = middle.raise_for_status().json()["continuationToken"]
            paths = {
                "list": base,
                "page": f"{base}?pageSize=50&continuationToken={after}",
                "search": f"{base}?pageSize=50&search=client%20049",
            }
            await cpu.measure_idle()
            machine = CpuUse.start()
            rows: list[Figures] = []
            for key, path in paths.items():
                async with profiled(system, key):
                    rows.append(await sample(gateway, path, f"{key}, through the gateway (br)", token, cpu))
                rows.append(await sample(direct, path, f"{key}, straight to the provider", token, cpu))
            reading = machine.stop()
        statements = [
            await statement_ms(
                system, world.acme_id, world.bob.email, asked, f"{key}, PostgreSQL executing its statement"
            )
            for key, asked in (
                ("list", ClientQuery()),
                ("page", ClientQuery(after=ClientCursor.parse(after), size=50)),
                ("search", ClientQuery(search="client 049", size=50)),
            )
        ]
        await bob.aclose()
    print_table(
        f"A provider's client list, {CLIENTS:,} clients written into its tables, {SAMPLES} requests each",
        rows + statements,
    )
    goal_table(
        f"A provider's client list at {CLIENTS:,} clients (issue 12 #4)",
        [
            (
                figures.label,
                f"p95 {figures.pct(0.95):,.0f} ms",
                f"≤ {GOALS_MS[key]:,.0f} ms",
                figures.pct(0.95) <= GOALS_MS[key],
            )
            for key, figures in zip(paths, rows[::2], strict=True)
        ],
        note=f"reading: {reading}",
    )
