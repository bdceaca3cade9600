"""Dead letters on the real broker: listed with their (scrubbed) error, replayed to the original topic with the
original key and headers, and remembered as replayed so "replay all" never sends one twice."""

from __future__ import annotations

import json
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.organization import OrganizationCreatedV1
from mspvault.shared.infra.topics import ensure_topics
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.ops.dlq import DeadLetterNotFound, DeadLetters
from mspvault.shared.ops.kafka_admin import KafkaAdmin

pytestmark = pytest.mark.integration

ENC = "2.aGVsbG8gd29ybGQgaXY=|Y2lwaGVydGV4dCBoZXJl|bWFjIG1hYyBtYWMgbWFj"


async def dead_letter(bootstrap: str, original: str, envelope: Envelope | None, offset: int) -> None:
    """What the inbox consumer writes when it gives up (mspvault.shared.messaging.inbox._dead_letter)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        value = envelope.model_dump_json().encode() if envelope else b"{not json"
        headers = {
            "event_id": str(envelope.id) if envelope else "",
            "event_type": envelope.type if envelope else "",
            "correlation_id": envelope.correlation_id or "" if envelope else "",
            "dlq_error": f"IntegrityError: value ({ENC}) violates something",
            "dlq_error_type": "IntegrityError",
            "dlq_consumer": "vault",
            "dlq_attempts": "5",
            "dlq_original_topic": original,
            "dlq_original_partition": "0",
            "dlq_original_offset": str(offset),
        }
        await producer.send_and_wait(
            f"{original}.dlq",
            value,
            key=envelope.key.encode() if envelope else None,
            headers=[(k, v.encode()) for k, v in headers.items()],
            partition=0,
        )
    finally:
        await producer.stop()


def organization_created() -> Envelope:
    event = OrganizationCreatedV1(organization_id=uuid.uuid4(), name="Contoso", plan_type=19)
    return Envelope.wrap(event, producer="organization", correlation_id=uuid.uuid4().hex)


async def test_list_replay_one_then_all(kafka, unique_id) -> None:
    original = f"ops{unique_id}.events"
    await ensure_topics(kafka.bootstrap, [original, f"{original}.dlq"], partitions=1)
    first, second = organization_created(), organization_created()
    await dead_letter(kafka.bootstrap, original, first, offset=3)
    await dead_letter(kafka.bootstrap, original, second, offset=4)
    await dead_letter(kafka.bootstrap, original, None, offset=5)  # garbage: not even an envelope

    async with KafkaAdmin.open(kafka.bootstrap) as admin:
        letters = DeadLetters(
            admin, lambda: make_producer(kafka.bootstrap, idempotent=kafka.idempotent_supported, client_id="t")
        )
        assert f"{original}.dlq" in await letters.topics()
        listed = [d.to_json() for d in await letters.letters(f"{original}.dlq")]
        assert len(listed) == 3
        by_event = {d["eventId"]: d for d in listed}
        one = by_event[str(first.id)]
        assert one["consumer"] == "vault"
        assert one["attempts"] == 5
        assert one["originalOffset"] == 3
        assert one["errorType"] == "IntegrityError"
        assert "violates something" in one["error"]
        assert ENC not in json.dumps(listed)  # the error text is scrubbed
        assert one["value"]["envelope"]["data"]["organization_id"] == str(first.data["organization_id"])
        assert one["value"]["envelope"]["data"]["name"] == "[masked]"
        assert by_event[None]["value"] == {"envelope": None, "bytes": 9, "unparseable": True}

        replayed = await letters.replay(one["dlqTopic"], one["partition"], one["offset"], by="operator-1")
        assert replayed.replay is not None
        assert replayed.replay.topic == original
        assert replayed.replay.by == "operator-1"
        (copy,) = await admin.read(original, 0, replayed.replay.offset, limit=1)
        assert copy.value == first.model_dump_json().encode()
        assert copy.key == first.key.encode()
        assert copy.headers["event_id"] == str(first.id)
        assert copy.headers["replayed_from"] == f"{original}.dlq/0/{one['offset']}"
        assert not any(name.startswith("dlq_") for name in copy.headers)

        rest = await letters.replay_all(f"{original}.dlq", by="operator-1")
        assert sorted(d.record.offset for d in rest) == sorted(
            d["offset"] for d in listed if d["eventId"] != str(first.id)
        )
        assert await letters.replay_all(f"{original}.dlq", by="operator-1") == []  # all remembered
        assert all(d.replay is not None for d in await letters.letters(f"{original}.dlq"))
        originals = await admin.read_all(original)
        assert len(originals) == 3  # one copy each, the garbage included (its consumer will dead-letter it again)

        with pytest.raises(DeadLetterNotFound):
            await letters.replay(f"{original}.dlq", 0, 999, by="operator-1")
        with pytest.raises(DeadLetterNotFound):
            await letters.replay(original, 0, 0, by="operator-1")  # not a DLQ topic
