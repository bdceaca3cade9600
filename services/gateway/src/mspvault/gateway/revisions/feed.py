"""The reader that keeps the gateway's memory current: every service's events topic, from its end.

No consumer group: every gateway replica needs every announcement, and nothing is committed (a restarted gateway
starts again from the end and seeds each user again, `polling.py`). Only two event types matter here, found by the
`event_type` header without parsing the rest: `RevisionsBumpedV1` moves revision dates, `SecurityStampRotatedV1`
ends sessions (its stamp is compared with every accepted token's, as the services compare theirs).

The short path answers from memory only while the feed is *fresh*: positioned, and every partition answered a
fetch within `stale_after` seconds. A broker outage makes it stale within that time and every poll takes the long
path (the services answer as before), so memory that may have missed an announcement is never served. When the
reader starts again, it forgets all it knew.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from pydantic import ValidationError

from mspvault.gateway.revisions.dates import RevisionDates
from mspvault.gateway.revisions.tokens import AcceptedTokens
from mspvault.shared.auth.stamps import StampMemory
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.identity import SecurityStampRotatedV1
from mspvault.shared.contracts.revisions import RevisionsBumpedV1
from mspvault.shared.contracts.topics import SERVICES, events_topic, producer_of
from mspvault.shared.dates import epoch_ms
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

STALE_AFTER_SECONDS = 5.0
FORGET_STAMPS_EVERY_SECONDS = 600.0
WANTED = {RevisionsBumpedV1.event_type.encode(), SecurityStampRotatedV1.event_type.encode()}


def feed_topics() -> list[str]:
    return [events_topic(service) for service in SERVICES]


class RevisionFeed:
    def __init__(
        self,
        consumer_factory: Callable[[], AIOKafkaConsumer],
        *,
        dates: RevisionDates,
        tokens: AcceptedTokens,
        stamps: StampMemory,
        stale_after: float = STALE_AFTER_SECONDS,
    ) -> None:
        self._consumer_factory = consumer_factory
        self.dates = dates
        self.tokens = tokens
        self.stamps = stamps
        self.stale_after = stale_after
        self.fresh_until = 0.0  # epoch seconds; read on every poll, so a plain attribute
        self.positioned = asyncio.Event()  # set from the moment announcements are read (tests wait on it)
        self.generation = 0  # counts positionings: a seed read across one is not trusted (`polling.py`)

    def fresh(self) -> bool:
        return time.time() < self.fresh_until

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                await self._read(stop)
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker restarting must not end the feed
                log.warning("revision_feed.error", error=repr(error), retry_in=backoff)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, 5.0)

    async def _read(self, stop: asyncio.Event) -> None:
        consumer = self._consumer_factory()
        await consumer.start()  # subscribed without a group: every partition of every topic is assigned
        try:
            partitions = sorted(consumer.assignment(), key=lambda tp: (tp.topic, tp.partition))
            await consumer.seek_to_end(*partitions)
            for partition in partitions:
                await consumer.position(partition)  # resolved now: what comes after this is read
            # Anything known before may have missed announcements while no reader ran.
            self.dates.forget()
            self.tokens.forget()
            self.generation += 1
            self.positioned.set()
            log.info("revision_feed.positioned", partitions=len(partitions))
            forgot_stamps_at = time.monotonic()
            while not stop.is_set():
                batches = await consumer.getmany(timeout_ms=500, max_records=2_000)
                for records in batches.values():
                    self.apply(records)
                self.fresh_until = _oldest_answer(consumer) + self.stale_after
                if time.monotonic() - forgot_stamps_at > FORGET_STAMPS_EVERY_SECONDS:
                    self.stamps.forget_expired()
                    forgot_stamps_at = time.monotonic()
        finally:
            self.fresh_until = 0.0
            self.positioned.clear()
            await consumer.stop()

    def apply(self, records: Iterable[ConsumerRecord[Any, Any]]) -> None:
        for record in records:
            if _header(record.headers, "event_type") not in WANTED:
                continue
            try:
                envelope = Envelope.model_validate_json(record.value)
                if envelope.producer != producer_of(record.topic):
                    log.error("revision_feed.wrong_producer", topic=record.topic, producer=envelope.producer)
                    continue
                event = envelope.payload()
            except (ValidationError, LookupError) as error:
                log.error("revision_feed.unreadable", topic=record.topic, error=type(error).__name__)
                continue
            if isinstance(event, RevisionsBumpedV1):
                self.dates.bumped(event.user_ids, epoch_ms(event.revised_at))
            elif isinstance(event, SecurityStampRotatedV1):
                self.stamps.keep(event.user_id, event.security_stamp, event.rotated_at)


def _header(headers: Any, name: str) -> bytes | None:
    for key, value in headers or ():
        if key == name:
            return bytes(value)
    return None


def _oldest_answer(consumer: AIOKafkaConsumer) -> float:
    """When the partition the broker answered for longest ago last answered (epoch seconds; 0 if one never did)."""
    oldest = None
    for partition in consumer.assignment():
        polled = consumer.last_poll_timestamp(partition)
        if polled is None:
            return 0.0
        oldest = polled if oldest is None else min(oldest, polled)
    return 0.0 if oldest is None else oldest / 1000
