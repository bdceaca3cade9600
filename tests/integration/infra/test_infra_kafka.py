"""The resolved broker: topics with N partitions, a keyed round trip, and (Tansu) pause / resume / restart."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from mspvault.shared.contracts.topics import all_topics
from mspvault.shared.infra.kafka import FaultInjectionUnsupported, KafkaBroker, TansuBroker, kafka_answers
from mspvault.shared.infra.topics import ensure_topics, topic_partitions
from mspvault.shared.testing.wait import wait_until

pytestmark = pytest.mark.integration


def _producer(broker: KafkaBroker) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap, acks="all", enable_idempotence=broker.idempotent_supported
    )


async def _consume(broker: KafkaBroker, topic: str, count: int, time_limit: float = 20.0) -> list[ConsumerRecord]:
    # Assigned partitions, no group: a group's first join costs seconds and is not what these tests are about.
    consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest")
    partitions = (await topic_partitions(broker.bootstrap, [topic]))[topic]
    records: list[ConsumerRecord] = []
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(partitions)])

        async def enough() -> bool:
            batches = await consumer.getmany(timeout_ms=200)
            records.extend(r for batch in batches.values() for r in batch)
            return len(records) >= count

        await wait_until(enough, timeout=time_limit, message=f"{count} records on {topic}, got {len(records)}")
    finally:
        await consumer.stop()
    return records


async def test_the_broker_answers_and_says_whether_it_is_idempotent(kafka: KafkaBroker) -> None:
    assert await kafka_answers(kafka.bootstrap)
    assert kafka.idempotent_supported is (kafka.kind != "tansu")


async def test_topics_get_the_requested_partitions_and_creation_is_idempotent(kafka: KafkaBroker, unique_id) -> None:
    names = [f"t{unique_id}.events", f"t{unique_id}.events.dlq"]
    assert sorted(await ensure_topics(kafka.bootstrap, names, partitions=3)) == sorted(names)
    assert await ensure_topics(kafka.bootstrap, names, partitions=5) == []  # exists: left as it is
    assert await topic_partitions(kafka.bootstrap, names) == dict.fromkeys(names, 3)


async def test_default_topics_are_every_services_events_and_dlq(isolated_kafka: TansuBroker) -> None:
    await ensure_topics(isolated_kafka.bootstrap, partitions=2)
    partitions = await topic_partitions(isolated_kafka.bootstrap, all_topics())
    assert partitions == dict.fromkeys(all_topics(), 2)
    assert "vault.events.dlq" in partitions


async def test_a_keyed_message_is_consumed_in_order_from_one_partition(kafka: KafkaBroker, unique_id) -> None:
    topic = f"k{unique_id}.events"
    await ensure_topics(kafka.bootstrap, [topic], partitions=3)
    producer = _producer(kafka)
    await producer.start()
    try:
        for seq in range(5):
            await producer.send_and_wait(topic, f"m{seq}".encode(), key=b"org-42")
    finally:
        await producer.stop()

    records = await _consume(kafka, topic, 5)
    assert [r.value for r in records] == [f"m{seq}".encode() for seq in range(5)]
    assert {r.key for r in records} == {b"org-42"}
    assert len({r.partition for r in records}) == 1  # same key, same partition: per-aggregate order


async def test_pause_stalls_the_broker_and_resume_delivers_what_waited(isolated_kafka: TansuBroker) -> None:
    topic = "paused.events"
    await ensure_topics(isolated_kafka.bootstrap, [topic], partitions=1)
    producer = _producer(isolated_kafka)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"before", key=b"k")
        isolated_kafka.pause()
        try:
            pending = asyncio.ensure_future(producer.send_and_wait(topic, b"during", key=b"k"))
            done, _ = await asyncio.wait({pending}, timeout=0.5)
            assert not done, "a paused broker must not acknowledge anything"
        finally:
            isolated_kafka.resume()
        await asyncio.wait_for(pending, 20)
    finally:
        await producer.stop()
    assert [r.value for r in await _consume(isolated_kafka, topic, 2)] == [b"before", b"during"]


async def test_restart_comes_back_on_the_same_port_with_empty_memory(isolated_kafka: TansuBroker) -> None:
    await ensure_topics(isolated_kafka.bootstrap, ["gone.events"], partitions=1)
    pid, bootstrap = isolated_kafka.pid, isolated_kafka.bootstrap
    await isolated_kafka.restart()
    assert isolated_kafka.pid != pid
    assert isolated_kafka.bootstrap == bootstrap
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        assert "gone.events" not in await admin.list_topics()
    finally:
        await admin.close()


async def test_only_an_owned_broker_accepts_fault_injection() -> None:
    external = KafkaBroker(bootstrap="127.0.0.1:1", kind="external", idempotent_supported=True)
    assert not external.supports_faults
    with pytest.raises(FaultInjectionUnsupported):
        external.pause()
    with pytest.raises(FaultInjectionUnsupported):
        await external.restart()
    assert TansuBroker.supports_faults
