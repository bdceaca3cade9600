"""Sessions that end everywhere: the security stamps a service has seen rotate, and the check every token meets.

An access token carries the account's security stamp (`sstamp`). Changing the master password or the KDF, "log out
everywhere", an admin's account recovery and deletion rotate the stamp in identity, which publishes
`SecurityStampRotatedV1`; each service records the new stamp in its own `security_stamps` table (identity writes
its row in the rotating transaction). Every process keeps the rows rotated within `window` in memory, re-read
every `poll_seconds` (one small query, whatever the traffic), and refuses a token whose stamp differs from the one
it holds for that user: 401, as for an expired token. Recording a stamp also NOTIFYs `security_stamps` at commit, and
every process of the service LISTENs, so it re-reads at once; the poll is the fallback when a notification is lost
(a dropped listening connection). So a token minted before a rotation stops working within the event hop and one
read, on every replica, with no call to identity per request.

Only rotations younger than the longest access-token lifetime matter (an older token has expired anyway), hence
the window. A deleted account's stamp is `DELETED`, which no token carries.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import datetime, timedelta

import asyncpg
from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.shared.auth.principal import Principal
from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

DELETED = "deleted"
CHANNEL = "security_stamps"  # NOTIFY at each recorded stamp (delivered at commit): the watchers re-read at once
# Re-read rows recorded this long before the newest one seen: a transaction that stamped its row earlier may
# commit after a later one was read.
OVERLAP = timedelta(seconds=30)


def security_stamps_table(metadata: MetaData) -> Table:
    return Table(
        "security_stamps",
        metadata,
        Column("user_id", Uuid, primary_key=True),
        Column("stamp", String(64), nullable=False),
        Column("rotated_at", DateTime(timezone=True), nullable=False),
        # When this database learnt it (the watch reads by it: an event may arrive long after its rotation).
        Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now(), index=True),
    )


async def record_stamp(
    session: AsyncSession, table: Table, user_id: uuid.UUID, stamp: str, rotated_at: datetime
) -> None:
    """Keep the newest rotation of a user; an older one (a replay, a late redelivery) changes nothing."""
    statement = insert(table).values(user_id=user_id, stamp=stamp, rotated_at=rotated_at)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.user_id],
        set_={
            "stamp": statement.excluded.stamp,
            "rotated_at": statement.excluded.rotated_at,
            "recorded_at": func.now(),
        },
        where=table.c.rotated_at <= statement.excluded.rotated_at,
    )
    await session.execute(statement)
    await session.execute(text(f"NOTIFY {CHANNEL}"))


class StampMemory:
    """The newest rotated stamp per user that this process has learnt, kept `window` (the gateway feeds it from
    `SecurityStampRotatedV1` directly; a service, from its table through `SecurityStamps`)."""

    def __init__(self, *, window: timedelta, clock: Clock = utc_now) -> None:
        self.window = window
        self.clock = clock
        self._stamps: dict[uuid.UUID, tuple[str, datetime]] = {}

    def refuses(self, principal: Principal) -> bool:
        return self.refuses_stamp(principal.user_id, principal.security_stamp)

    def refuses_stamp(self, user_id: uuid.UUID, stamp: str | None) -> bool:
        kept = self._stamps.get(user_id)
        return kept is not None and stamp != kept[0]

    def keep(self, user_id: uuid.UUID, stamp: str, rotated_at: datetime) -> None:
        kept = self._stamps.get(user_id)
        if kept is None or kept[1] <= rotated_at:
            self._stamps[user_id] = (stamp, rotated_at)

    def forget_expired(self) -> None:
        """Drop rotations older than the window: every token minted before them has expired."""
        self._forget_before(self.clock() - self.window)

    def _forget_before(self, limit: datetime) -> None:
        old = [user for user, (_, at) in self._stamps.items() if at <= limit]
        for user in old:
            del self._stamps[user]


class SecurityStamps(StampMemory):
    """The stamps rotated within `window`, by user, as this process last read them from its service's table."""

    def __init__(self, table: Table, *, window: timedelta, clock: Clock = utc_now) -> None:
        super().__init__(window=window, clock=clock)
        self.table = table
        self._read_up_to: datetime | None = None

    async def read(self, session: AsyncSession) -> int:
        """Read what was recorded since the last read (all of the window the first time); returns the rows read."""
        now = self.clock()
        table = self.table
        query = select(table.c.user_id, table.c.stamp, table.c.rotated_at, table.c.recorded_at).where(
            table.c.rotated_at > now - self.window
        )
        if self._read_up_to is not None:
            query = query.where(table.c.recorded_at > self._read_up_to - OVERLAP)
        rows = (await session.execute(query)).all()
        for row in rows:
            self.keep(row.user_id, row.stamp, row.rotated_at)
            if self._read_up_to is None or row.recorded_at > self._read_up_to:
                self._read_up_to = row.recorded_at
        if self._read_up_to is None:
            self._read_up_to = now
        self._forget_before(now - self.window)
        return len(rows)


async def watch_stamps(
    stamps: SecurityStamps,
    sessions: async_sessionmaker[AsyncSession],
    stop: asyncio.Event,
    *,
    poll_seconds: float,
    dsn: str | None = None,
) -> None:
    """Re-read the stamps at each NOTIFY (when `dsn` lets us LISTEN) and every `poll_seconds`, until `stop`; a
    failed read is logged and tried again, a listener that cannot connect leaves the poll alone."""
    wake = asyncio.Event()
    listener = await _listen(dsn, wake) if dsn else None
    try:
        while not stop.is_set():
            wake.clear()  # before reading: a notification during the read makes the next one immediate
            try:
                async with sessions() as session:
                    await stamps.read(session)
            except Exception as error:  # the database restarting must not end the watch
                log.warning("security_stamps.read_failed", error=type(error).__name__)
            await _first_of(stop, wake, timeout=poll_seconds)
    finally:
        if listener is not None:
            with contextlib.suppress(Exception):
                await listener.close()


async def _listen(dsn: str, wake: asyncio.Event) -> asyncpg.Connection | None:
    try:
        connection: asyncpg.Connection = await asyncpg.connect(dsn)
        await connection.add_listener(CHANNEL, lambda *_: wake.set())
    except Exception as error:
        log.warning("security_stamps.listen_failed", error=type(error).__name__)
        return None
    return connection


async def _first_of(*events: asyncio.Event, timeout: float) -> None:  # noqa: ASYNC109  # a poll interval
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
