"""Session endings travel apart from bulk work: each service reads identity's topic a second time, for them alone.

The service's inbox applies all of its topics in one stream. Behind a backlog (a provider creating a thousand
client organizations leaves thousands of organization events to apply) a `SecurityStampRotated` waited minutes,
and so did "log out everywhere" and the end of a deleted account's sessions. This consumer, in a group of its own,
reads only identity's topic, skips every other event type, and records each rotation at once (`record_stamp`,
which NOTIFYs the stamp watchers of every replica). The upsert keeps the newest rotation, so a redelivery or a
replay changes nothing and no inbox row is needed; a record that fails is not acknowledged and comes again.
"""

from __future__ import annotations

from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.shared.auth.stamps import record_stamp
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.identity import SecurityStampRotatedV1
from mspvault.shared.contracts.topics import events_topic, producer_of

IDENTITY_TOPIC = events_topic("identity")


def session_endings_group(consumer: str) -> str:
    """The consumer group of a service's session endings (the broker's ACLs name it too)."""
    return f"{consumer}.sessions"


class SessionEndings:
    def __init__(
        self,
        *,
        consumer: str,
        table: Table,
        sessions: async_sessionmaker[AsyncSession],
        fetch_max_wait_ms: int = 50,
        # aiokafka's own default: its fetch routine wakes when a fetch returns; this only bounds how soon it
        # notices a rebalance (5 ms woke it 200 times a second in every idle service).
        consumer_timeout_ms: int = 200,
    ) -> None:
        self.group = session_endings_group(consumer)
        self._table = table
        self._sessions = sessions
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._consumer_timeout_ms = consumer_timeout_ms
        self._subscriber: Any = None

    def attach(self, broker: KafkaBroker) -> None:
        subscriber = broker.subscriber(
            IDENTITY_TOPIC,
            group_id=self.group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self._fetch_max_wait_ms,
            consumer_timeout_ms=self._consumer_timeout_ms,
            title=self.group,
        )
        self._subscriber = subscriber

        @subscriber
        async def consume(msg: KafkaMessage) -> None:
            await self.deliver(msg.body)

    async def deliver(self, body: bytes) -> bool:
        """Record the rotation `body` carries; False for anything else (the inbox sets malformed events aside)."""
        rotation = _rotation(body)
        if rotation is None:
            return False
        async with self._sessions() as session, session.begin():
            await record_stamp(session, self._table, rotation.user_id, rotation.security_stamp, rotation.rotated_at)
        return True


def _rotation(body: bytes) -> SecurityStampRotatedV1 | None:
    try:
        envelope = Envelope.model_validate_json(body)
        wanted = (envelope.type, envelope.version) == (
            SecurityStampRotatedV1.event_type,
            SecurityStampRotatedV1.version,
        )
        if not wanted or envelope.producer != producer_of(IDENTITY_TOPIC):
            return None
        return envelope.payload_as(SecurityStampRotatedV1)
    except ValidationError:
        return None
