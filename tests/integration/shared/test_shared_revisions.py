"""Revision bumps inside one transaction (`mspvault.shared.db.revisions`): a row is written again only for a later
date, and what is announced at commit (RevisionsBumped) is what the rows hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import event, select

from mspvault.shared.db.revisions import bump_revisions
from tests.integration.shared.messaging_fixture import MiniService, mini_service, tables, user_revisions

pytestmark = pytest.mark.integration

T1 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
T2 = T1 + timedelta(seconds=1)


@pytest_asyncio.fixture(loop_scope="session")
async def svc(new_database):
    service = await mini_service(await new_database("revisions"))
    yield service
    await service.engine.dispose()


async def test_a_transaction_writes_a_users_row_once_per_later_date_and_announces_what_it_holds(
    svc: MiniService,
) -> None:
    a, b = sorted([uuid.uuid4(), uuid.uuid4()])
    upserts: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("INSERT INTO user_revisions"):
            upserts.append(statement)

    event.listen(svc.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with svc.uow() as uow:
            await bump_revisions(uow.session, user_revisions, [a, b], T2)
            await bump_revisions(uow.session, user_revisions, [a, b], T2)  # a batch's next event: nothing new
            await bump_revisions(uow.session, user_revisions, [a], T1)  # earlier: the row keeps T2
            assert len(upserts) == 1
            uow.forget_bumps()  # as after a rolled-back savepoint: the next bump writes again
            await bump_revisions(uow.session, user_revisions, [b], T2)
            assert len(upserts) == 2
            await uow.commit()
    finally:
        event.remove(svc.engine.sync_engine, "before_cursor_execute", count)
    async with svc.sessions() as session:
        rows = dict((await session.execute(select(user_revisions.c.user_id, user_revisions.c.revised_at))).all())
        announced = [
            envelope["data"]
            for envelope in await session.scalars(
                select(tables.outbox.c.envelope).where(tables.outbox.c.event_type == "RevisionsBumped")
            )
        ]
    assert rows == {a: T2, b: T2}
    assert [(datetime.fromisoformat(e["revised_at"]), e["user_ids"]) for e in announced] == [(T2, [str(a), str(b)])]


async def test_the_moment_of_a_transaction_is_read_once(svc: MiniService) -> None:
    readings = iter([T1, T2])
    async with svc.uow() as uow:
        assert uow.moment(lambda: next(readings)) == T1
        assert uow.moment(lambda: next(readings)) == T1
    async with svc.uow() as uow:
        assert uow.moment(lambda: next(readings)) == T2
