"""The bus at volume: the outbox relay's publish rate against a raw aiokafka producer, and a consumer's apply rate
with one and two replicas on six partitions.

- **Publish**: the same N events (UserRegistered envelopes, keys over 500 aggregates) sent once by a bare
  `AIOKafkaProducer` (acks=all, every send awaited at the end) and once by the `OutboxRelay` from committed outbox
  rows (batches of 500, in id order, marked sent after the broker's acknowledgement). Goal: relay >= 0.5 x raw.
- **Apply**: M events on a 6-partition topic, applied by the production consumer path (`InboxConsumer`: inbox row
  and a read-model upsert in one transaction, then the offset), first by one replica process, then by two in one
  group. The rate is taken over the middle 80 % of the inbox rows by the database's clock, so start-up, group
  joins and stragglers are left out. Goal: two replicas >= 1.6 x one, where the machine has the cores: the CPU use
  printed beside it (the machine's busy share of its cores, and each replica's own CPU seconds) says whether it did.

Embedded broker (Tansu) and PostgreSQL unless MSPVAULT_KAFKA_BOOTSTRAP / MSPVAULT_POSTGRES_URL name others.
BENCH_BUS_EVENTS (20000) and BENCH_BUS_APPLY (6000) set the counts.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import create_async_engine

from bench.bus_worker import metadata
from bench.common import console
from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.infra import asyncpg_url
from mspvault.shared.infra.kafka import start_kafka
from mspvault.shared.infra.postgres import start_postgres
from mspvault.shared.infra.topics import ensure_topics
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.messaging.relay import OutboxRelay
from mspvault.shared.testing.wait import wait_until

EVENTS = int(os.environ.get("BENCH_BUS_EVENTS", "20000"))
APPLY = int(os.environ.get("BENCH_BUS_APPLY", "6000"))
PARTITIONS = 6
AGGREGATES = 500
APPLIED_TIMES = "SELECT processed_at FROM inbox WHERE consumer = $1 ORDER BY processed_at"
CONSUMED_TOPIC = "identity.events"  # where UserRegistered travels; the workers' router subscribes to it


def envelopes(count: int) -> list[Envelope]:
    aggregates = [uuid.uuid4() for _ in range(AGGREGATES)]
    return [
        Envelope.wrap(
            idc.UserRegisteredV1(
                user_id=aggregates[n % AGGREGATES] if n < AGGREGATES else uuid.uuid4(),
                email=f"user{n}@bench.example",
                name=f"User {n}",
                public_key="MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + "A" * 300,
            ),
            producer="identity",
            correlation_id=uuid.uuid4().hex,
        )
        for n in range(count)
    ]


async def raw_publish(bootstrap: str, idempotent: bool, topic: str, events: list[Envelope]) -> float:
    producer: AIOKafkaProducer = make_producer(bootstrap, idempotent=idempotent, client_id="bench-raw")
    await producer.start()
    try:
        started = time.perf_counter()
        futures = [await producer.send(topic, value=e.model_dump_json().encode(), key=e.key.encode()) for e in events]
        await asyncio.gather(*futures)
        return len(events) / (time.perf_counter() - started)
    finally:
        await producer.stop()


async def relay_publish(dsn: str, bootstrap: str, idempotent: bool, topic: str, events: list[Envelope]) -> float:
    db = await asyncpg.connect(dsn)
    try:
        await db.copy_records_to_table(
            "outbox",
            records=[(e.id, topic, e.key, e.type, e.correlation_id, e.model_dump_json()) for e in events],
            columns=["event_id", "topic", "key", "event_type", "correlation_id", "envelope"],
        )
        relay = OutboxRelay(
            service="bench",
            dsn=dsn,
            producer_factory=lambda: make_producer(bootstrap, idempotent=idempotent, client_id="bench-relay"),
            poll_seconds=0.05,
        )
        stop = asyncio.Event()
        started = time.perf_counter()
        running = asyncio.create_task(relay.run(stop))

        async def all_sent() -> bool:
            return not await db.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")

        await wait_until(all_sent, timeout=600, interval=0.02, message="every outbox row sent")
        rate = len(events) / (time.perf_counter() - started)
        stop.set()
        await running
        return rate
    finally:
        await db.close()


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def process_cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


async def apply_rate(dsn: str, database_url: str, bootstrap: str, replicas: int) -> tuple[float, str]:
    group = f"bench{replicas}"
    python = sys.executable
    workers = [
        await asyncio.create_subprocess_exec(
            python,
            "-m",
            "bench.bus_worker",
            database_url,
            bootstrap,
            group,
            stdout=asyncio.subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.getcwd()},
        )
        for _ in range(replicas)
    ]
    db = await asyncpg.connect(dsn)
    busy0, total0 = cpu_jiffies()
    try:

        async def applied() -> bool:
            done: int = await db.fetchval("SELECT count(*) FROM inbox WHERE consumer = $1", group)
            return done >= APPLY

        await wait_until(applied, timeout=900, interval=0.2, message=f"{APPLY} events applied by {group}")
        busy1, total1 = cpu_jiffies()
        own = [process_cpu_seconds(w.pid) for w in workers]
        # The middle 80 % of the rows by the database's clock: the group's join (and its first rebalances) and the
        # last stragglers are left out, so the figure is the steady rate.
        times = [r["processed_at"] for r in await db.fetch(APPLIED_TIMES, group)]
    finally:
        await db.close()
        for worker in workers:
            worker.terminate()
        await asyncio.gather(*(w.wait() for w in workers))
    cores = os.cpu_count() or 1
    machine = 100 * (busy1 - busy0) / max(1, total1 - total0)
    cpu = (
        f"machine {machine:.0f}% busy of {cores} cores; replicas' own CPU {', '.join(f'{s:.1f}' for s in own)} s, "
        f"{APPLY / max(1e-9, sum(own)):,.0f} events per CPU-second"
    )
    low, high = times[len(times) // 10], times[(len(times) * 9) // 10 - 1]
    steady = (len(times) * 9) // 10 - len(times) // 10 - 1
    return steady / max(1e-9, (high - low).total_seconds()), cpu


async def main() -> None:
    events = envelopes(EVENTS)
    with tempfile.TemporaryDirectory(prefix="mspvault-bus-") as tmp:
        console.print("[dim]starting PostgreSQL and the broker…[/]")
        postgres = await start_postgres()
        kafka = await start_kafka(log_path=Path(tmp) / "kafka.log")
        name = f"bench_bus_{uuid.uuid4().hex[:8]}"
        try:
            await ensure_topics(
                kafka.bootstrap,
                ["bench.raw", "bench.relay", CONSUMED_TOPIC, CONSUMED_TOPIC + ".dlq"],
                partitions=PARTITIONS,
            )
            database_url = await postgres.create_database(name)
            engine = create_async_engine(database_url)
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            await engine.dispose()
            dsn = asyncpg_url(database_url)
            idempotent = kafka.idempotent_supported

            raw = await raw_publish(kafka.bootstrap, idempotent, "bench.raw", events)
            relay = await relay_publish(dsn, kafka.bootstrap, idempotent, "bench.relay", events)

            await raw_publish(kafka.bootstrap, idempotent, CONSUMED_TOPIC, envelopes(APPLY))
            one, one_cpu = await apply_rate(dsn, database_url, kafka.bootstrap, 1)
            two, two_cpu = await apply_rate(dsn, database_url, kafka.bootstrap, 2)
        finally:
            await postgres.drop_database(name)
            await asyncio.to_thread(kafka.stop)
            await asyncio.to_thread(postgres.stop)

    console.rule(f"[bold]The bus at volume ({kafka.kind} broker, {PARTITIONS} partitions, acks=all)")
    console.print(f"publish, {EVENTS:,} events   raw aiokafka producer   {raw:9,.0f} events/s")
    verdict = "meets" if relay >= 0.5 * raw else "misses"
    console.print(
        f"                          outbox relay           {relay:9,.0f} events/s"
        f"   = {relay / raw:.2f} x raw (goal >= 0.5: {verdict})"
    )
    console.print(f"apply, {APPLY:,} events      1 replica              {one:9,.0f} events/s   ({one_cpu})")
    verdict = "meets" if two >= 1.6 * one else "misses"
    console.print(
        f"                          2 replicas             {two:9,.0f} events/s"
        f"   = {two / one:.2f} x one (goal >= 1.6: {verdict}; {two_cpu})"
    )
