"""`user_revisions(user_id, revised_at)`: when what a user sees last changed, the date a client's sync compares.

Each service owns its own table, made by `user_revisions_table` with what differs between them (identity's
references its users, organization's has a server default). The bump runs in the caller's unit of work and never
commits; the unit of work announces the new dates at commit (`RevisionsBumpedV1`), which is how the gateway answers
revision-date polls from memory. A bump outside a unit of work would never be announced, so it is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from sqlalchemy import Column, DateTime, ForeignKey, MetaData, Table, Uuid, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.db.unit_of_work import unit_of_work_of


def user_revisions_table(metadata: MetaData, *, users_table: str | None = None, default_now: bool = False) -> Table:
    """The service's `user_revisions`; `users_table`: the table of the service's own users its rows go with (deleted
    together); `default_now`: a row inserted without a date is stamped by the database."""
    user_id = [ForeignKey(f"{users_table}.id", ondelete="CASCADE")] if users_table else []
    return Table(
        "user_revisions",
        metadata,
        Column("user_id", Uuid, *user_id, primary_key=True),
        Column(
            "revised_at", DateTime(timezone=True), nullable=False, server_default=func.now() if default_now else None
        ),
    )


async def bump_revisions(session: AsyncSession, table: Table, user_ids: Iterable[uuid.UUID], at: datetime) -> None:
    """Record that what these users see changed at `at`.

    A date never moves backwards: the clocks of several replicas differ slightly.
    """
    # Sorted, so two transactions bumping overlapping sets lock the rows in one order and cannot deadlock.
    ordered = sorted(set(user_ids))
    if not ordered:
        return
    uow = unit_of_work_of(session)
    if uow is None:
        raise RuntimeError("bump_revisions outside a unit of work: the new dates would never be announced")
    # Rows this transaction already moved to `at` or later are left out: the upsert would keep their date (a
    # consumer's batch bumps the same provider users for every client it creates).
    ordered = uow.bumped_before(table.name, ordered, at)
    if not ordered:
        return
    await session.execute(_bump_once(table), {"user_ids": ordered, "at": at})
    uow.revised(ordered, at)


@cache
def _bump_once(table: Table) -> Insert:
    # Built once per table, the users one bound array: a statement built per bump with its rows as VALUES cost its
    # construction, and a compilation for each new count of rows, on nearly every event consumed. The array keeps
    # the sorted order the rows are locked in.
    rows = select(func.unnest(bindparam("user_ids", type_=ARRAY(Uuid))), bindparam("at", type_=DateTime(timezone=True)))
    statement = insert(table).from_select(["user_id", "revised_at"], rows)
    return statement.on_conflict_do_update(
        index_elements=[table.c.user_id],
        set_={"revised_at": func.greatest(table.c.revised_at, statement.excluded.revised_at)},
    )
