"""Event hop latency: commit in identity → applied in another service, against a raw aiokafka hop, in one run.

The MSPVault hop is read from the databases' own clocks (one PostgreSQL server): the outbox row's `created_at` in
identity and the inbox row's `processed_at` in vault, matched by correlation id. So it includes the relay's wake-up,
the produce with acks=all, the consume, the handler and its transaction — the whole path an event takes.
The floor is a bare aiokafka produce (acks=all) → consume on the same broker, timed in-process.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.common import Figures, account_keys, console, https_client, print_table, register_body, running_system
from mspvault.shared.infra import asyncpg_url
from mspvault.shared.testing.wait import wait_until

EVENTS = 100
APPLIED = "SELECT count(*) FROM inbox WHERE event_type = 'UserRegistered' AND correlation_id = $1"
TARGET = "organization"  # any consumer of identity.events; vault, provider and organization all are


async def mspvault_hops(system) -> Figures:
    correlation_ids: list[str] = []
    identity = await asyncpg.connect(asyncpg_url(system.database_urls["identity"]))
    target = await asyncpg.connect(asyncpg_url(system.database_urls[TARGET]))
    try:
        async with https_client(system) as client:
            for n in range(EVENTS):
                email = f"hop-{n}-{uuid.uuid4().hex[:6]}@bench.test"
                body = register_body(email, account_keys(email))
                response = await client.post("/identity/accounts/register", json=body)
                response.raise_for_status()
                correlation_id = response.headers["x-correlation-id"]
                correlation_ids.append(correlation_id)

                async def applied_here(cid: str = correlation_id) -> bool:
                    return bool(await target.fetchval(APPLIED, cid))

                # One event in flight at a time: the next registration's argon2 hash would otherwise compete for
                # the CPU with the consumer being measured, and the figure would be the hash time, not the hop.
                await wait_until(applied_here, timeout=30, interval=0.002, message=f"event {n} applied")
        committed = dict(
            await identity.fetch(
                "SELECT correlation_id, created_at FROM outbox WHERE event_type = 'UserRegistered' "
                "AND correlation_id = ANY($1::text[])",
                correlation_ids,
            )
        )
        applied = dict(
            await target.fetch(
                "SELECT correlation_id, processed_at FROM inbox WHERE event_type = 'UserRegistered' "
                "AND correlation_id = ANY($1::text[])",
                correlation_ids,
            )
        )
    finally:
        await identity.close()
        await target.close()
    hops = [(applied[c] - committed[c]).total_seconds() * 1000 for c in correlation_ids]
    span = sum(hops) / 1000
    return Figures(f"identity commit → applied in {TARGET}", len(hops), span, hops)


async def raw_hops(bootstrap: str) -> Figures:
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await producer.start()
    await producer.send_and_wait(topic, b"warm-up")
    await consumer.start()
    await consumer.getone()
    hops: list[float] = []
    started_all = time.perf_counter()
    try:
        for n in range(EVENTS):
            started = time.perf_counter()
            await producer.send_and_wait(topic, str(n).encode(), key=b"k")
            await consumer.getone()
            hops.append((time.perf_counter() - started) * 1000)
    finally:
        await consumer.stop()
        await producer.stop()
    return Figures("raw aiokafka produce(acks=all) → consume", len(hops), time.perf_counter() - started_all, hops)


async def main() -> None:
    async with running_system() as system:
        ours = await mspvault_hops(system)
        floor = await raw_hops(system.kafka.bootstrap)
    print_table(f"Event hop latency, {EVENTS} events each", [ours, floor], unit="events/s")
    console.print(
        f"p50 ratio MSPVault hop / raw hop: [bold]{ours.p50 / floor.p50:.1f}×[/] "
        f"(p95 {ours.pct(0.95) / floor.pct(0.95):.1f}×)"
    )


if __name__ == "__main__":
    asyncio.run(main())
