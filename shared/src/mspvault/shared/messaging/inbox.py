"""Idempotent consumers: the handler's writes and the inbox row `(consumer, event_id)` commit together.

A redelivered event finds its inbox row and is a no-op. The offset is committed only after that transaction
(FastStream's NACK_ON_ERROR policy, never its default ack-first), so a crash redelivers instead of losing.
A handler that keeps failing is retried a few times with backoff; then the message goes to `<topic>.dlq` with
the error attached and the offset moves on, so one poison event cannot stall its partition.

Records are fetched in batches and a batch is applied in one transaction (one inbox insert, one commit): a
transaction per event could not keep up with a burst (a client organization's creation fans out into several
events for every consumer). If anything in the batch fails, the transaction rolls back and each event is applied
on its own as above, so a poison event still costs only itself.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import ConsumerRebalanceListener, TopicPartition
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from prometheus_client import Counter, Histogram
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert
from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.topics import dlq_topic, producer_of
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter, Handler
from mspvault.shared.messaging.tables import MessagingTables
from mspvault.shared.observability.correlation import causation_id, correlation_id
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.ops.masking import scrub

log = get_logger(__name__)

__all__ = ["EventRouter", "Handler", "InboxConsumer"]  # the router lives in messaging.router

CONSUMED = Counter("mspvault_events_consumed_total", "Events consumed", ["consumer", "topic", "event_type", "outcome"])
HANDLER_SECONDS = Histogram(
    "mspvault_event_handler_seconds", "Time to apply one event, including retries", ["consumer", "event_type"]
)


class ProducerMismatch(Exception):
    """An event on a topic its producer does not own."""


@dataclass(frozen=True)
class HandledEvent:
    """A fetched event that a handler here applies."""

    topic: str
    envelope: Envelope
    handler: Handler


class InboxConsumer:
    def __init__(
        self,
        *,
        consumer: str,
        router: EventRouter,
        uow_factory: Callable[[], UnitOfWork],
        tables: MessagingTables,
        max_attempts: int = 5,
        retry_base_seconds: float = 0.05,
        fetch_max_wait_ms: int = 50,
        consumer_timeout_ms: int = 500,  # an idle wait for records; records end it at once
        # A batch's transaction holds its row locks (users' revision rows) until it commits: on a starved machine
        # 200 client creations took 24 s, so a batch stays small enough to keep writers waiting little.
        max_batch: int = 50,
    ) -> None:
        self.consumer = consumer
        self.router = router
        self._uow_factory = uow_factory
        self._inbox = tables.inbox
        # Built once, the rows given as parameters (executemany for a batch): a multi-row VALUES built per batch was
        # compiled again each time, ~6 % of the vault's CPU while clients were being created.
        self._claim = insert(self._inbox).on_conflict_do_nothing().returning(self._inbox.c.event_id)
        self._max_attempts = max_attempts
        self._retry_base = retry_base_seconds
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._consumer_timeout_ms = consumer_timeout_ms
        self._max_batch = max_batch
        self._broker: KafkaBroker | None = None
        self._subscriber: Any = None
        self.paused = False  # an operator paused consumption (mspvault.shared.ops); survives rebalances

    def attach(self, broker: KafkaBroker) -> None:
        """One consumer for all of the service's topics, in the group named after the service; ack after commit.

        A single group member per process: one subscriber per topic would make several members join the same
        group one after another, and every join rebalances the others.
        """
        self._broker = broker
        if not self.router.topics:
            return
        subscriber = broker.subscriber(
            *self.router.topics,
            batch=True,
            max_records=self._max_batch,
            batch_timeout_ms=self._consumer_timeout_ms,
            group_id=self.consumer,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self._fetch_max_wait_ms,
            title=f"{self.consumer}-inbox",
            listener=_KeepPaused(self),
        )
        _wait_without_idle_sleep(subscriber)
        self._subscriber = subscriber

        @subscriber
        async def consume(msg: KafkaMessage) -> None:
            records = msg.raw_message  # the ConsumerRecords of one fetch, in order within each partition
            await self.deliver_batch(records)

    def assignment(self) -> list[TopicPartition]:
        consumer = getattr(self._subscriber, "consumer", None)  # the aiokafka consumer, once started
        return sorted(consumer.assignment(), key=lambda tp: (tp.topic, tp.partition)) if consumer else []

    def pause(self) -> None:
        """Stop fetching (records stay in Kafka, lag grows) until `resume`; for operators and fault tests."""
        self.paused = True
        self._apply_pause(self.assignment())

    def resume(self) -> None:
        self.paused = False
        consumer = getattr(self._subscriber, "consumer", None)
        if consumer is not None:
            consumer.resume(*consumer.assignment())

    def _apply_pause(self, partitions: Iterable[TopicPartition]) -> None:
        consumer = getattr(self._subscriber, "consumer", None)
        if consumer is not None and self.paused:
            consumer.pause(*partitions)

    async def deliver_batch(self, records: Sequence[Any]) -> None:
        """Apply a fetch's records in one transaction when each of them parses, comes from its topic's producer
        and the handlers all succeed; otherwise (or for a lone record) one by one through `deliver`."""
        handled = self._handled(records) if len(records) > 1 else None
        if handled is not None:
            started = time.perf_counter()
            try:
                outcomes = await self.apply_all(handled)
            except Exception as error:  # the events are applied one by one below, with retries and the DLQ
                log.info("event.batch_failed", events=len(records), error=scrub(repr(error)))
            else:
                spent = (time.perf_counter() - started) / max(len(handled), 1)
                for item, outcome in zip(handled, outcomes, strict=True):
                    HANDLER_SECONDS.labels(self.consumer, item.envelope.type).observe(spent)
                    CONSUMED.labels(self.consumer, item.topic, item.envelope.type, outcome).inc()
                return
        for record in records:
            headers = {key: value for key, value in record.headers or ()}
            await self.deliver(record.topic, record.value, headers, record)

    def _handled(self, records: Sequence[Any]) -> list[HandledEvent] | None:
        """The records' events that have a handler here (the others are skipped, as `deliver` does), or None if
        one of them is for `deliver` to set aside (unparsable, from another producer than its topic's)."""
        handled = []
        for record in records:
            try:
                envelope = Envelope.model_validate_json(record.value)
            except ValidationError:
                return None
            expected = producer_of(record.topic)
            if expected is not None and envelope.producer != expected:
                return None
            handler = self.router.handlers.get(record.topic, {}).get(envelope.type)
            if handler is not None:
                handled.append(HandledEvent(record.topic, envelope, handler))
        return handled

    async def apply_all(self, items: Sequence[HandledEvent]) -> list[str]:
        """Apply events in one transaction, each exactly once and in order: "applied" or "duplicate" for each.
        Any handler's failure rolls back all of them (and raises)."""
        if not items:
            return []
        async with self._uow_factory() as uow:
            claimed = set(
                await uow.session.scalars(self._claim, [self._inbox_row(item.topic, item.envelope) for item in items])
            )
            outcomes = []
            for item in items:
                if item.envelope.id not in claimed:
                    outcomes.append("duplicate")
                    continue
                claimed.discard(item.envelope.id)  # the same event twice in one fetch is applied once
                cid_token = correlation_id.set(item.envelope.correlation_id)
                cause_token = causation_id.set(item.envelope.id)
                try:
                    await item.handler(uow, item.envelope)
                finally:
                    causation_id.reset(cause_token)
                    correlation_id.reset(cid_token)
                outcomes.append("applied")
            await uow.commit()
            return outcomes

    def _inbox_row(self, topic: str, envelope: Envelope) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "event_id": envelope.id,
            "event_type": envelope.type,
            "topic": topic,
            "correlation_id": envelope.correlation_id,
            "occurred_at": envelope.occurred_at,
        }

    async def deliver(self, topic: str, body: bytes, headers: dict[str, Any], raw: Any = None) -> None:
        try:
            envelope = Envelope.model_validate_json(body)
        except ValidationError as error:
            await self._dead_letter(topic, body, headers, raw, error, attempts=0)
            CONSUMED.labels(self.consumer, topic, "unparseable", "dlq").inc()
            return
        expected = producer_of(topic)
        if expected is not None and envelope.producer != expected:
            # Only a topic's own service publishes on it (the broker's ACLs hold that in production): an envelope
            # claiming another producer is set aside unapplied, with the reason, whatever its type.
            mismatch = ProducerMismatch(
                f"{envelope.producer!r} published on {topic}, which only {expected!r} publishes on"
            )
            log.error("event.wrong_producer", event_type=envelope.type, event_id=str(envelope.id), topic=topic)
            await self._dead_letter(topic, body, headers, raw, mismatch, attempts=0)
            CONSUMED.labels(self.consumer, topic, envelope.type, "dlq").inc()
            return
        handler = self.router.handlers.get(topic, {}).get(envelope.type)
        if handler is None:
            return
        started = time.perf_counter()
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._max_attempts),
                wait=wait_exponential(multiplier=self._retry_base, max=2.0),
                reraise=True,
            ):
                with attempt:
                    outcome = await self.apply(topic, envelope, handler)
        except Exception as error:
            log.error("event.failed", event_type=envelope.type, event_id=str(envelope.id), error=scrub(repr(error)))
            await self._dead_letter(topic, body, headers, raw, error, attempts=self._max_attempts)
            outcome = "dlq"
        HANDLER_SECONDS.labels(self.consumer, envelope.type).observe(time.perf_counter() - started)
        CONSUMED.labels(self.consumer, topic, envelope.type, outcome).inc()

    async def apply(self, topic: str, envelope: Envelope, handler: Handler) -> str:
        """Apply one event exactly once: returns "applied" or "duplicate"."""
        cid_token = correlation_id.set(envelope.correlation_id)
        cause_token = causation_id.set(envelope.id)
        try:
            async with self._uow_factory() as uow:
                claimed = await uow.session.execute(self._claim, self._inbox_row(topic, envelope))
                if claimed.first() is None:
                    return "duplicate"
                await handler(uow, envelope)
                await uow.commit()
                log.debug("event.applied", event_type=envelope.type, event_id=str(envelope.id))
                return "applied"
        finally:
            causation_id.reset(cause_token)
            correlation_id.reset(cid_token)

    async def _dead_letter(
        self, topic: str, body: bytes, headers: dict[str, Any], raw: Any, error: BaseException, attempts: int
    ) -> None:
        if self._broker is None:
            raise RuntimeError("consumer not attached to a broker") from error
        # Validation errors quote input values: scrub anything shaped like key material before it leaves.
        detail = scrub("".join(traceback.format_exception_only(type(error), error)).strip())[:2000]
        dead_headers = {
            **{k: v.decode() if isinstance(v, bytes) else str(v) for k, v in headers.items()},
            "dlq_error": detail,
            "dlq_error_type": type(error).__name__,
            "dlq_consumer": self.consumer,
            "dlq_attempts": str(attempts),
            "dlq_original_topic": topic,
            "dlq_original_partition": str(getattr(raw, "partition", "")),
            "dlq_original_offset": str(getattr(raw, "offset", "")),
        }
        key = getattr(raw, "key", None)
        # If this publish fails, the exception nacks the message and it is redelivered: still nothing lost.
        await self._broker.publish(body, topic=dlq_topic(topic), key=key, headers=dead_headers)


class _KeepPaused(ConsumerRebalanceListener):  # type: ignore[misc]
    """Partitions assigned while the consumer is paused start paused too."""

    def __init__(self, inbox: InboxConsumer) -> None:
        self._inbox = inbox

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._inbox._apply_pause(assigned)


def _wait_without_idle_sleep(subscriber: Any) -> None:
    """Let the batch subscriber wait for records without FastStream's sleep after an empty wait.

    FastStream's batch loop waits `batch_timeout_ms` for records and, when none came, sleeps as long again: an
    event that arrives during the sleep waits for it, so a short timeout was the only way to keep hops fast, and
    idle consumers woke ~100 times a second (most of a quiet service's CPU). aiokafka's `getmany` returns as
    soon as a fetch brings records, so waiting long there costs no latency, and without the sleep nothing does.
    """
    wait_ms, max_records = subscriber.batch_timeout_ms, subscriber.max_records

    async def get_msg(consumer: Any) -> tuple[Any, ...]:
        batches = await consumer.getmany(timeout_ms=wait_ms, max_records=max_records)
        return tuple(record for records in batches.values() for record in records)

    subscriber.get_msg = get_msg
