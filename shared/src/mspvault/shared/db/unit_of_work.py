"""The unit of work is the transaction: state changes and the events they record commit together, or not at all.

Nothing commits by itself: a handler calls `commit()` explicitly, and leaving the block without it rolls back.
Pending events are written as outbox rows in the same transaction, and a NOTIFY wakes the relay at commit.
Revision dates bumped in the transaction (`mspvault.shared.db.revisions`) go out the same way, as one
`RevisionsBumpedV1` per date (per 2,000 users): the gateway keeps every user's revision date from them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.contracts.revisions import MAX_USERS_PER_EVENT, RevisionsBumpedV1
from mspvault.shared.contracts.topics import producer_of
from mspvault.shared.messaging.tables import MessagingTables
from mspvault.shared.observability.correlation import causation_id, correlation_id


def outbox_channel(service: str) -> str:
    return f"outbox_{service}"


class UnitOfWork:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        *,
        service: str,
        topic: str,
    ) -> None:
        self._session_factory = session_factory
        self._tables = tables
        self.service = service
        self.topic = topic
        self._pending: list[Envelope] = []
        self._revised: dict[uuid.UUID, datetime] = {}
        self._bumped: dict[str, dict[uuid.UUID, datetime]] = {}
        self._moment: datetime | None = None
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self._session.info[SESSION_KEY] = self  # how `bump_revisions`, given only the session, finds its transaction
        self._pending = []
        self._revised = {}
        self._bumped = {}
        self._moment = None
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()
            self._session = None

    def publish(self, event: EventData, *, actor: Actor | None = None) -> Envelope:
        """Record an event to go out with this transaction; returns its envelope (for ids in responses/tests)."""
        envelope = Envelope.wrap(
            event,
            # The topic's owner, which every consumer checks; a test's service may carry a name of its own (its
            # consumer group) while it publishes on the real topic.
            producer=producer_of(self.topic) or self.service,
            correlation_id=correlation_id.get(),
            causation_id=causation_id.get(),
            actor=actor,
        )
        self._pending.append(envelope)
        return envelope

    def revised(self, user_ids: Iterable[uuid.UUID], at: datetime) -> None:
        """These users' revision date moved to `at` in this transaction: announced at commit (the latest per user).
        `bump_revisions` calls it; a handler whose change moves a date without a row (provider's client links) too."""
        for user_id in user_ids:
            earlier = self._revised.get(user_id)
            if earlier is None or earlier < at:
                self._revised[user_id] = at

    def moment(self, clock: Callable[[], datetime]) -> datetime:
        """The transaction's one moment: `clock()` the first time it is asked. Everything a transaction changes
        becomes visible at once at commit, so its dates may as well be one; a consumer's batch of events then stamps
        and bumps with a single date, and the same users' revision rows are written once (`bumped_before`)."""
        if self._moment is None:
            self._moment = clock()
        return self._moment

    def bumped_before(self, table: str, user_ids: Iterable[uuid.UUID], at: datetime) -> list[uuid.UUID]:
        """Of these users, those whose `table` row this transaction has not yet set to `at` or later; they are
        recorded as set to `at`. (For the others a bump is a no-op: the row keeps the later date.)"""
        rows = self._bumped.setdefault(table, {})
        fresh = [user_id for user_id in user_ids if (earlier := rows.get(user_id)) is None or earlier < at]
        for user_id in fresh:
            rows[user_id] = at
        return fresh

    def forget_bumps(self) -> None:
        """A savepoint rolled back: rows it bumped are as they were, so the next bump of them writes again."""
        self._bumped = {}

    async def commit(self) -> None:
        self._publish_revisions()
        if self._pending:
            await self.session.execute(
                insert(self._tables.outbox),
                [
                    {
                        "event_id": envelope.id,
                        "topic": self.topic,
                        "key": envelope.key,
                        "event_type": envelope.type,
                        "correlation_id": envelope.correlation_id,
                        "envelope": envelope.model_dump(mode="json"),
                    }
                    for envelope in self._pending
                ],
            )
            # Delivered only if the transaction commits, so the relay never wakes for a rolled-back event.
            await self.session.execute(text(f"NOTIFY {outbox_channel(self.service)}"))
            self._pending = []
        await self.session.commit()

    def _publish_revisions(self) -> None:
        by_date: dict[datetime, list[uuid.UUID]] = {}
        for user_id, at in self._revised.items():
            by_date.setdefault(at, []).append(user_id)
        self._revised = {}
        for at, user_ids in by_date.items():
            ordered = sorted(user_ids)
            for start in range(0, len(ordered), MAX_USERS_PER_EVENT):
                chunk = ordered[start : start + MAX_USERS_PER_EVENT]
                service = producer_of(self.topic) or self.service
                self.publish(RevisionsBumpedV1(service=service, revised_at=at, user_ids=chunk))


SESSION_KEY = "mspvault.unit_of_work"


def unit_of_work_of(session: AsyncSession) -> UnitOfWork | None:
    """The unit of work whose transaction `session` is (None for a session opened without one)."""
    found = session.info.get(SESSION_KEY)
    return found if isinstance(found, UnitOfWork) else None
