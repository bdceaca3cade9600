"""`user_revisions(user_id, revised_at)`: when what a user sees last changed, the date a client's sync compares.

Each service owns its own table (definitions differ: identity's references its users, organization's has a server
default), so only the bump lives here. It runs in the caller's transaction and never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


async def bump_revisions(
    session: AsyncSession, table: Table, user_ids: Iterable[uuid.UUID], at: datetime | ColumnElement[datetime]
) -> None:
    """Record that what these users see changed at `at` (a moment, or SQL such as `func.now()`).

    A date never moves backwards: the clocks of several replicas differ slightly.
    """
    # Sorted, so two transactions bumping overlapping sets lock the rows in one order and cannot deadlock.
    ordered = sorted(set(user_ids))
    if not ordered:
        return
    statement = insert(table).values([{"user_id": user_id, "revised_at": at} for user_id in ordered])
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.user_id],
            set_={"revised_at": func.greatest(table.c.revised_at, statement.excluded.revised_at)},
        )
    )
