"""The outbox relay: publishes committed outbox rows in id order, keyed by aggregate id, and marks them sent.

One relay is active per service: it holds a PostgreSQL advisory lock on its own connection; standbys (the relays
of the service's other replicas) try for it every `standby_poll_seconds`. The lock is the session's, so it goes
when the holder's connection does: at a graceful stop (the relay closes it), or when the holder dies (PostgreSQL
sees the socket close), and a standby takes over within one poll.
It wakes on NOTIFY (sent by the unit of work at commit) or after a short poll. A broker outage delays events and
never loses them: rows stay unsent until the broker acknowledges them (acks=all), then they are marked sent.
Publishing is at-least-once; consumers dedupe by event id.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections import Counter as Tally
from collections.abc import Callable
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from prometheus_client import Counter, Gauge

from mspvault.shared.db.unit_of_work import outbox_channel
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

PUBLISHED = Counter("mspvault_outbox_published_total", "Events published by the outbox relay", ["service", "topic"])
BACKLOG = Gauge("mspvault_outbox_backlog", "Unsent outbox rows", ["service"])
OLDEST_AGE = Gauge("mspvault_outbox_oldest_age_seconds", "Age of the oldest unsent outbox row", ["service"])


def _lock_key(service: str) -> int:
    return zlib.crc32(f"mspvault-relay-{service}".encode())


class OutboxRelay:
    def __init__(
        self,
        *,
        service: str,
        dsn: str,
        producer_factory: Callable[[], AIOKafkaProducer],
        poll_seconds: float = 0.5,
        batch_size: int = 500,
        standby_poll_seconds: float = 0.5,
        backlog_every_seconds: float = 1.0,
    ) -> None:
        self.service = service
        self._dsn = dsn
        self._producer_factory = producer_factory
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._standby_poll_seconds = standby_poll_seconds
        # The backlog gauges cost a scan of the unsent rows: at most once a second, not once per batch (at volume
        # that scan took as long as the batch; `make bench BENCH=bus`).
        self._backlog_every_seconds = backlog_every_seconds
        self._backlog_recorded_at = float("-inf")
        self._wake = asyncio.Event()
        self.active = asyncio.Event()  # set while this instance holds the lock (tests and health read it)

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.1
        while not stop.is_set():
            try:
                await self._run_once(stop)
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the relay must outlive broker and database outages
                self.active.clear()
                log.warning("relay.error", error=repr(error), retry_in=backoff)
                await _wait_or_stop(stop, backoff)
                backoff = min(backoff * 2, 5.0)

    async def _run_once(self, stop: asyncio.Event) -> None:
        conn: asyncpg.Connection = await asyncpg.connect(self._dsn)
        try:
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _lock_key(self.service)):
                if await _wait_or_stop(stop, self._standby_poll_seconds):
                    return
            await conn.add_listener(outbox_channel(self.service), self._on_notify)
            producer = self._producer_factory()
            await producer.start()
            self.active.set()
            log.info("relay.active")
            try:
                while not stop.is_set():
                    published = await self._publish_batch(conn, producer)
                    if published < self._batch_size:
                        self._wake.clear()
                        await _wait_any(stop, self._wake, self._poll_seconds)
            finally:
                self.active.clear()
                await producer.stop()
        finally:
            await conn.close()

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def _publish_batch(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> int:
        rows = await conn.fetch(
            "SELECT id, topic, key, event_id, event_type, correlation_id, envelope::text AS envelope, created_at "
            "FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1",
            self._batch_size,
        )
        if time.monotonic() - self._backlog_recorded_at >= self._backlog_every_seconds:
            await self._record_backlog(conn)
        if not rows:
            return 0
        futures = []
        for row in rows:
            headers = [("event_id", str(row["event_id"]).encode()), ("event_type", row["event_type"].encode())]
            if row["correlation_id"]:
                headers.append(("correlation_id", row["correlation_id"].encode()))
            futures.append(
                await producer.send(
                    row["topic"], value=row["envelope"].encode(), key=row["key"].encode(), headers=headers
                )
            )
        # Mark sent only what the broker acknowledged, in order: a failure leaves it and everything after unsent.
        sent_ids: list[int] = []
        try:
            for row, future in zip(rows, futures, strict=True):
                await future
                sent_ids.append(row["id"])
        finally:
            if sent_ids:
                await conn.execute("UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", sent_ids)
                for topic, count in Tally(row["topic"] for row in rows[: len(sent_ids)]).items():
                    PUBLISHED.labels(self.service, topic).inc(count)
        return len(sent_ids)

    async def _record_backlog(self, conn: asyncpg.Connection) -> None:
        stats = await conn.fetchrow(
            "SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age "
            "FROM outbox WHERE sent_at IS NULL"
        )
        self._backlog_recorded_at = time.monotonic()
        if stats is not None:
            BACKLOG.labels(self.service).set(stats["n"])
            OLDEST_AGE.labels(self.service).set(float(stats["age"]))


async def _wait_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return False
    return True


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """asyncpg speaks plain postgresql:// URLs (including ?host=/socket/dir)."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)
