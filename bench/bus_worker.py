"""One consumer replica for bench/bus.py: `python -m bench.bus_worker DATABASE_URL BOOTSTRAP GROUP`.

The service's consumer as it runs in production (FastStream subscriber in GROUP, the InboxConsumer's
transaction: inbox row + handler's write, then the offset), with a handler that does what a read-model projection
does: one upsert of a user row. Runs until SIGTERM, then leaves the group.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from faststream.kafka import KafkaBroker
from sqlalchemy import Column, MetaData, String, Table, Uuid
from sqlalchemy.dialects.postgresql import insert

from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import load_all_contracts
from mspvault.shared.db.engine import make_engine, make_session_factory
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.inbox import InboxConsumer
from mspvault.shared.messaging.router import EventRouter
from mspvault.shared.messaging.tables import messaging_tables

metadata = MetaData()
tables = messaging_tables(metadata)
users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("public_key", String),
)


async def user_registered(uow: UnitOfWork, event: idc.UserRegisteredV1) -> None:
    row = {"id": event.user_id, "email": event.email, "public_key": event.public_key}
    await uow.session.execute(insert(users).values(row).on_conflict_do_update(index_elements=["id"], set_=row))


async def run(database_url: str, bootstrap: str, group: str) -> None:
    load_all_contracts()
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    router: EventRouter[UnitOfWork] = EventRouter()
    router.on(idc.UserRegisteredV1, user_registered)
    broker = KafkaBroker(bootstrap, logger=None)
    consumer = InboxConsumer(
        consumer=group,
        router=router,
        uow_factory=lambda: UnitOfWork(sessions, tables, service="bench", topic="bench.events"),
        tables=tables,
    )
    consumer.attach(broker)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await broker.start()
    print("ready", flush=True)
    await stop.wait()
    await broker.stop()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], sys.argv[2], sys.argv[3]))
