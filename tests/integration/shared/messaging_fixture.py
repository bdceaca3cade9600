"""A minimal service used to test the shared plumbing: one table, the outbox/inbox, a unit of work, a relay."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from sqlalchemy import Column, DateTime, Integer, String, Table, Uuid
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from mspvault.shared.contracts.envelope import AGGREGATE_KEY, EventData
from mspvault.shared.db.base import new_metadata
from mspvault.shared.db.engine import make_engine, make_session_factory
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.tables import MessagingTables, messaging_tables

metadata = new_metadata()
tables: MessagingTables = messaging_tables(metadata)
things = Table(
    "things",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("applied", Integer, nullable=False, server_default="0"),
)


user_revisions = Table(
    "user_revisions",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("revised_at", DateTime(timezone=True), nullable=False),
)


class ThingHappenedV1(EventData):
    event_type = "TestThingHappened"
    version = 1

    thing_id: Annotated[str, AGGREGATE_KEY]
    seq: int = 0


@dataclass
class MiniService:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    topic: str
    service: str

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, tables, service=self.service, topic=self.topic)


async def mini_service(url: str) -> MiniService:
    engine = make_engine(url, pool_size=4)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    suffix = uuid.uuid4().hex[:8]
    return MiniService(engine, make_session_factory(engine), topic=f"test-{suffix}.events", service=f"svc{suffix}")
