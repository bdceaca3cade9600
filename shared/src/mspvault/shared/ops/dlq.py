"""Dead letters: list what consumers gave up on (with the error), and replay them after a fix.

A replay republishes the dead letter's original value, key and headers to its original topic. Every consumer group
of that topic sees it again; each consumer's inbox dedupes by event id, so the one that failed applies it once and
the others absorb a duplicate.

Which dead letters were replayed is kept in a compacted topic, `ops.dlq-replays`, keyed by `<dlq topic>/<partition>/
<offset>`: the gateway owns no database, individual replays happen in any order (a group's committed offset could
only say "everything before N"), and the broker keeps the marks as long as it keeps the dead letters themselves.
A mark is written after the republish is acknowledged; if marking fails, replaying again is a harmless duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from mspvault.shared.contracts.topics import dlq_topic
from mspvault.shared.ops.kafka_admin import KafkaAdmin, Record
from mspvault.shared.ops.masking import mask_value, scrub

REPLAYS_TOPIC = "ops.dlq-replays"
DLQ_SUFFIX = dlq_topic("")  # ".dlq"
# Headers the consumer adds when it dead-letters (mspvault.shared.messaging.inbox); dropped again on replay.
DLQ_HEADER_PREFIX = "dlq_"
REPLAYED_FROM_HEADER = "replayed_from"


class DeadLetterNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Replay:
    at: str
    by: str
    topic: str
    partition: int
    offset: int

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "by": self.by, "topic": self.topic, "partition": self.partition, "offset": self.offset}


@dataclass(frozen=True)
class DeadLetter:
    record: Record
    replay: Replay | None

    @property
    def mark(self) -> str:
        return replay_key(self.record.topic, self.record.partition, self.record.offset)

    @property
    def original_topic(self) -> str:
        return self.record.headers.get("dlq_original_topic") or self.record.topic.removesuffix(DLQ_SUFFIX)

    def to_json(self) -> dict[str, Any]:
        """What an operator sees: where it came from, who failed on it and why (scrubbed), the masked event."""
        h = self.record.headers
        return {
            "dlqTopic": self.record.topic,
            "partition": self.record.partition,
            "offset": self.record.offset,
            "deadLetteredAt": datetime.fromtimestamp(self.record.timestamp_ms / 1000, UTC).isoformat(),
            "originalTopic": self.original_topic,
            "originalPartition": _int_or_none(h.get("dlq_original_partition")),
            "originalOffset": _int_or_none(h.get("dlq_original_offset")),
            "consumer": h.get("dlq_consumer"),
            "attempts": _int_or_none(h.get("dlq_attempts")),
            "errorType": scrub(h.get("dlq_error_type", "")),
            "error": scrub(h.get("dlq_error", "")),
            "eventId": scrub(h.get("event_id", "")) or None,
            "eventType": scrub(h.get("event_type", "")) or None,
            "correlationId": scrub(h.get("correlation_id", "")) or None,
            "value": mask_value(self.record.value),
            "replayed": self.replay.to_json() if self.replay else None,
        }


def replay_key(topic: str, partition: int, offset: int) -> str:
    return f"{topic}/{partition}/{offset}"


def is_dlq(topic: str) -> bool:
    return topic.endswith(DLQ_SUFFIX)


class DeadLetters:
    def __init__(self, admin: KafkaAdmin, producer_factory: Callable[[], AIOKafkaProducer]) -> None:
        self._admin = admin
        self._producer_factory = producer_factory

    async def topics(self) -> list[str]:
        return sorted(t for t in await self._admin.topics() if is_dlq(t))

    async def letters(self, topic: str | None = None, *, limit_per_partition: int = 200) -> list[DeadLetter]:
        topics = [topic] if topic else await self.topics()
        marks = await self.replays()
        letters: list[DeadLetter] = []
        for name in topics:
            for record in await self._admin.read_all(name, limit_per_partition=limit_per_partition):
                letters.append(DeadLetter(record, marks.get(replay_key(name, record.partition, record.offset))))
        return sorted(letters, key=lambda d: (d.record.timestamp_ms, d.record.topic, d.record.offset), reverse=True)

    async def replays(self) -> dict[str, Replay]:
        if REPLAYS_TOPIC not in await self._admin.topics():
            return {}
        marks: dict[str, Replay] = {}
        for record in await self._admin.read_all(REPLAYS_TOPIC, limit_per_partition=100_000):
            if record.key is None or record.value is None:
                continue
            try:
                marks[record.key.decode()] = Replay(**json.loads(record.value))
            except (ValueError, TypeError):
                continue  # a mark we cannot read is treated as absent: replaying twice is harmless
        return marks

    async def replay(self, topic: str, partition: int, offset: int, *, by: str) -> DeadLetter:
        if not is_dlq(topic):
            raise DeadLetterNotFound(topic)
        found = await self._admin.read(topic, partition, offset, limit=1)
        if not found or found[0].offset != offset:
            raise DeadLetterNotFound(replay_key(topic, partition, offset))
        replayed = await self._republish([DeadLetter(found[0], None)], by=by)
        return replayed[0]

    async def replay_all(self, topic: str | None = None, *, by: str) -> list[DeadLetter]:
        """Every dead letter not replayed yet (in one DLQ topic, or in all of them), oldest first."""
        pending = [d for d in await self.letters(topic, limit_per_partition=100_000) if d.replay is None]
        pending.sort(key=lambda d: (d.record.topic, d.record.partition, d.record.offset))
        return await self._republish(pending, by=by) if pending else []

    async def _republish(self, letters: list[DeadLetter], *, by: str) -> list[DeadLetter]:
        await self._admin.ensure_topic(REPLAYS_TOPIC, config={"cleanup.policy": "compact"})
        producer = self._producer_factory()
        await producer.start()
        done: list[DeadLetter] = []
        try:
            for letter in letters:
                record = letter.record
                headers = [
                    (name, value.encode())
                    for name, value in record.headers.items()
                    if not name.startswith(DLQ_HEADER_PREFIX) and name != REPLAYED_FROM_HEADER
                ]
                headers.append((REPLAYED_FROM_HEADER, letter.mark.encode()))
                sent = await producer.send_and_wait(
                    letter.original_topic, value=record.value, key=record.key, headers=headers
                )
                mark = Replay(
                    at=datetime.now(UTC).isoformat(),
                    by=by,
                    topic=sent.topic,
                    partition=sent.partition,
                    offset=sent.offset,
                )
                await producer.send_and_wait(
                    REPLAYS_TOPIC, key=letter.mark.encode(), value=json.dumps(mark.to_json()).encode()
                )
                done.append(DeadLetter(record, mark))
        finally:
            await producer.stop()
        return done


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
