"""The outbox, the relay and the inbox against the real PostgreSQL and the real Kafka-protocol broker."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable
from types import SimpleNamespace

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from faststream.kafka import KafkaBroker
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.topics import dlq_topic
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.inbox import EventRouter, InboxConsumer
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.messaging.relay import OutboxRelay, asyncpg_dsn
from mspvault.shared.testing.statements import executed
from mspvault.shared.testing.wait import wait_until
from tests.integration.shared.messaging_fixture import MiniService, ThingHappenedV1, mini_service, tables, things

pytestmark = pytest.mark.integration


@pytest.fixture
async def svc(new_database) -> AsyncIterator[MiniService]:
    service = await mini_service(await new_database())
    yield service
    await service.engine.dispose()


@contextlib.asynccontextmanager
async def running_relay(svc: MiniService, kafka) -> AsyncIterator[OutboxRelay]:
    relay = OutboxRelay(
        service=svc.service,
        dsn=asyncpg_dsn(str(svc.engine.url.render_as_string(hide_password=False))),
        producer_factory=lambda: make_producer(kafka.bootstrap, idempotent=kafka.idempotent_supported, client_id="t"),
        poll_seconds=0.2,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        yield relay
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


async def read_topic(kafka, topic: str, count: int, within: float = 20.0) -> list[ConsumerRecord[bytes, bytes]]:
    # No consumer group: a group join costs seconds on the embedded broker and a reader needs no offsets.
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka.bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:

        async def enough() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
            return len(records) >= count

        await wait_until(enough, timeout=within, message=f"{count} records on {topic}, got {len(records)}")
    finally:
        await consumer.stop()
    return records


async def record_things(svc: MiniService, thing_id: str, n: int, start: int = 0) -> None:
    for seq in range(start, start + n):
        async with svc.uow() as uow:
            await uow.session.execute(things.insert().values(id=f"{thing_id}-{seq}"))
            uow.publish(ThingHappenedV1(thing_id=thing_id, seq=seq))
            await uow.commit()


async def unsent(svc: MiniService) -> int:
    async with svc.sessions() as session:
        return int(await session.scalar(select(func.count()).where(tables.outbox.c.sent_at.is_(None))) or 0)


async def test_relay_publishes_committed_events_in_order_keyed_by_aggregate(svc, kafka) -> None:
    thing = uuid.uuid4().hex
    async with running_relay(svc, kafka):
        await record_things(svc, thing, 30)
        records = await read_topic(kafka, svc.topic, 30)
        await wait_until(lambda: _zero(unsent(svc)), timeout=10, message="outbox rows marked sent")
    assert {r.key for r in records} == {thing.encode()}
    assert [json.loads(r.value)["data"]["seq"] for r in records] == list(range(30))
    assert len({r.partition for r in records}) == 1


async def _zero(count_coro: Awaitable[int]) -> bool:
    return await count_coro == 0


async def test_rolled_back_work_leaves_neither_state_nor_event(svc) -> None:
    async with svc.uow() as uow:
        await uow.session.execute(things.insert().values(id="ghost"))
        uow.publish(ThingHappenedV1(thing_id="ghost"))
        # leaving without commit() rolls back
    async with svc.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(things)) == 0
        assert await session.scalar(select(func.count()).select_from(tables.outbox)) == 0


async def test_only_one_relay_is_active_per_service(svc, kafka) -> None:
    async with running_relay(svc, kafka) as first, running_relay(svc, kafka) as second:
        await wait_until(lambda: first.active.is_set() or second.active.is_set(), timeout=10, message="a relay")
        assert not (first.active.is_set() and second.active.is_set())


async def test_relay_resumes_after_broker_outage_without_losing_events(svc, kafka) -> None:
    if not kafka.supports_faults:
        pytest.skip("the broker is not ours to stop (external URL)")
    thing = uuid.uuid4().hex
    async with running_relay(svc, kafka) as relay:
        await record_things(svc, thing, 3)
        await wait_until(lambda: _zero(unsent(svc)), timeout=15, message="first events sent")
        kafka.pause()
        try:
            await record_things(svc, thing, 10, start=3)
            assert await unsent(svc) > 0  # nothing can be acknowledged while the broker is stopped
        finally:
            kafka.resume()
        await wait_until(lambda: _zero(unsent(svc)), timeout=60, message="backlog drained after the outage")
        assert relay.active.is_set()
    records = await read_topic(kafka, svc.topic, 13, within=30)
    seqs = [json.loads(r.value)["data"]["seq"] for r in records]
    # At-least-once: every event arrives; duplicates are allowed (consumers dedupe), loss is not.
    assert set(seqs) == set(range(13))
    assert len(seqs) >= 13


def _consumer(svc: MiniService, router: EventRouter) -> InboxConsumer:
    return InboxConsumer(
        consumer=f"c-{svc.service}",
        router=router,
        uow_factory=svc.uow,
        tables=tables,
        max_attempts=3,
        retry_base_seconds=0.01,
    )


async def test_a_redelivered_event_changes_nothing(svc) -> None:
    router = EventRouter()

    @router.on(svc.topic, ThingHappenedV1)
    async def count_it(uow: UnitOfWork, envelope: Envelope) -> None:
        thing = envelope.payload_as(ThingHappenedV1)
        await uow.session.execute(
            update(things).where(things.c.id == thing.thing_id).values(applied=things.c.applied + 1)
        )

    async with svc.sessions() as session:
        await session.execute(things.insert().values(id="t1"))
        await session.commit()
    consumer = _consumer(svc, router)
    envelope = Envelope.wrap(ThingHappenedV1(thing_id="t1"), producer="test", correlation_id=None)
    assert await consumer.apply(svc.topic, envelope, count_it) == "applied"
    assert await consumer.apply(svc.topic, envelope, count_it) == "duplicate"
    async with svc.sessions() as session:
        assert await session.scalar(select(things.c.applied).where(things.c.id == "t1")) == 1


def _records(svc: MiniService, *things_: str) -> list[SimpleNamespace]:
    """Fetched records as aiokafka gives them, one envelope per thing id (an id twice is one event twice)."""
    owner = svc.topic.removesuffix(".events")
    envelopes = {
        thing_id: Envelope.wrap(ThingHappenedV1(thing_id=thing_id), producer=owner, correlation_id=None)
        for thing_id in things_
    }
    return [
        SimpleNamespace(topic=svc.topic, value=envelopes[thing_id].model_dump_json().encode(), headers=[])
        for thing_id in things_
    ]


async def _applied_counts(svc: MiniService) -> dict[str, int]:
    async with svc.sessions() as session:
        return {row.id: row.applied for row in (await session.execute(select(things))).all()}


async def test_a_fetched_batch_is_applied_in_one_transaction_each_event_once(svc) -> None:
    """Issue 12 #4: a burst is applied a fetch at a time (one commit), not one transaction per event; an event
    fetched twice, or already in the inbox, is applied once."""
    router = EventRouter()
    transactions: list[int] = []

    @router.on(svc.topic, ThingHappenedV1)
    async def count_it(uow: UnitOfWork, envelope: Envelope) -> None:
        thing = envelope.payload_as(ThingHappenedV1)
        statement = pg_insert(things).values(id=thing.thing_id, applied=1)
        await uow.session.execute(
            statement.on_conflict_do_update(index_elements=[things.c.id], set_={"applied": things.c.applied + 1})
        )
        transactions.append(int(await uow.session.scalar(select(func.txid_current())) or 0))

    consumer = _consumer(svc, router)
    first = _records(svc, "a", "b", "a")
    with executed(svc.engine) as statements:
        await consumer.deliver_batch(first)
    assert await _applied_counts(svc) == {"a": 1, "b": 1}
    assert len(set(transactions)) == 1
    with executed(svc.engine) as later:
        await consumer.deliver_batch([*first, *_records(svc, "c", "d")])  # a redelivery with new events behind it
    assert await _applied_counts(svc) == {"a": 1, "b": 1, "c": 1, "d": 1}
    # The inbox rows of a batch of another size are claimed by the same statement (built once, not per batch).
    claims = [s for s in [*statements, *later] if str(s).startswith("INSERT INTO inbox")]
    assert len(claims) == 2
    assert claims[0] is claims[1]


async def test_a_failure_in_a_batch_applies_its_events_one_by_one(svc) -> None:
    """The batch's transaction rolls back as a whole; each event is then applied on its own (with its retries),
    so the others are not held back by one that fails and none is applied twice."""
    router = EventRouter()
    failed: list[str] = []

    @router.on(svc.topic, ThingHappenedV1)
    async def fails_once(uow: UnitOfWork, envelope: Envelope) -> None:
        thing = envelope.payload_as(ThingHappenedV1)
        await uow.session.execute(things.insert().values(id=thing.thing_id, applied=1))
        if thing.thing_id == "flaky" and not failed:
            failed.append(thing.thing_id)
            raise RuntimeError("a transient failure")

    consumer = _consumer(svc, router)
    await consumer.deliver_batch(_records(svc, "before", "flaky", "after"))
    assert failed == ["flaky"]
    assert await _applied_counts(svc) == {"before": 1, "flaky": 1, "after": 1}


async def test_a_failing_handler_sends_the_event_to_the_dlq_and_the_partition_moves_on(svc, kafka) -> None:
    router = EventRouter()
    applied: list[str] = []

    @router.on(svc.topic, ThingHappenedV1)
    async def fragile(uow: UnitOfWork, envelope: Envelope) -> None:
        thing = envelope.payload_as(ThingHappenedV1)
        if thing.thing_id == "poison":
            raise ValueError("cannot apply poison")
        await uow.session.execute(things.insert().values(id=thing.thing_id))
        applied.append(thing.thing_id)

    broker = KafkaBroker(kafka.bootstrap, logger=None)
    _consumer(svc, router).attach(broker)
    producer = make_producer(kafka.bootstrap, idempotent=False, client_id="t")
    await producer.start()
    await broker.start()
    try:
        for thing_id in ("poison", "healthy"):
            envelope = Envelope.wrap(
                ThingHappenedV1(thing_id=thing_id), producer=svc.topic.removesuffix(".events"), correlation_id=None
            )
            await producer.send_and_wait(svc.topic, envelope.model_dump_json().encode(), key=b"same-key")
        await wait_until(lambda: applied == ["healthy"], timeout=30, message="the healthy event after the poison")
    finally:
        await broker.stop()
        await producer.stop()
    [dead] = await read_topic(kafka, dlq_topic(svc.topic), 1)
    headers = {k: v.decode() for k, v in dead.headers}
    assert "cannot apply poison" in headers["dlq_error"]
    assert headers["dlq_attempts"] == "3"
    assert json.loads(dead.value)["data"]["thing_id"] == "poison"
    async with svc.sessions() as session:
        processed = (await session.execute(select(tables.inbox.c.event_type))).scalars().all()
    assert processed == ["TestThingHappened"]  # the poison left no inbox row: a replay will apply it once


async def test_an_event_claiming_another_producer_is_dead_lettered_unapplied_with_the_reason(svc, kafka) -> None:
    """Issue 11 (the bus): only a topic's own service publishes on it. An envelope on `<svc>.events` that names
    another producer (a forged or misrouted event) is not applied; it goes to the DLQ at once, saying why."""
    router = EventRouter()
    applied: list[str] = []

    @router.on(svc.topic, ThingHappenedV1)
    async def record(uow: UnitOfWork, envelope: Envelope) -> None:
        applied.append(envelope.payload_as(ThingHappenedV1).thing_id)

    broker = KafkaBroker(kafka.bootstrap, logger=None)
    _consumer(svc, router).attach(broker)
    producer = make_producer(kafka.bootstrap, idempotent=False, client_id="t")
    await producer.start()
    await broker.start()
    try:
        owner = svc.topic.removesuffix(".events")
        for thing_id, claimed in (("forged", "identity"), ("genuine", owner)):
            envelope = Envelope.wrap(ThingHappenedV1(thing_id=thing_id), producer=claimed, correlation_id=None)
            await producer.send_and_wait(svc.topic, envelope.model_dump_json().encode(), key=b"same-key")
        await wait_until(lambda: applied == ["genuine"], timeout=30, message="the genuine event after the forged one")
    finally:
        await broker.stop()
        await producer.stop()
    [dead] = await read_topic(kafka, dlq_topic(svc.topic), 1)
    headers = {k: v.decode() for k, v in dead.headers}
    assert headers["dlq_error_type"] == "ProducerMismatch"
    assert "'identity' published on" in headers["dlq_error"]
    assert headers["dlq_attempts"] == "0"
    assert json.loads(dead.value)["data"]["thing_id"] == "forged"


async def test_relay_resumes_after_the_broker_is_stopped_and_started_again(svc, isolated_kafka) -> None:
    """A real stop: the process is gone and the relay's connections break. Events written meanwhile wait in the
    outbox and go out once a broker answers again. (The embedded broker keeps data in memory, so what it had
    received before the stop is gone with it; that is the broker's loss, not ours.)"""
    thing = uuid.uuid4().hex
    async with running_relay(svc, isolated_kafka) as relay:
        await record_things(svc, thing, 2)
        await wait_until(lambda: _zero(unsent(svc)), timeout=15, message="first events sent")
        isolated_kafka.kill()
        await record_things(svc, thing, 5, start=2)
        await wait_until(lambda: not relay.active.is_set(), timeout=30, message="the relay notices the broker is gone")
        assert await unsent(svc) == 5
        await isolated_kafka.start_again()
        await wait_until(lambda: _zero(unsent(svc)), timeout=60, message="backlog drained after the restart")
    records = await read_topic(isolated_kafka, svc.topic, 5, within=30)
    assert {json.loads(r.value)["data"]["seq"] for r in records} == {2, 3, 4, 5, 6}
