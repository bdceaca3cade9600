"""`user_revisions`: bumped, in the same transaction, for every user whose sync would now read differently."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import members, provider_users, user_revisions
from mspvault.organization.domain.roles import MemberStatus
from mspvault.shared.db.revisions import bump_revisions


async def bump(session: AsyncSession, user_ids: Iterable[uuid.UUID | None]) -> None:
    # now(): the database's clock, one moment per transaction, whichever replica runs it.
    await bump_revisions(session, user_revisions, {uid for uid in user_ids if uid is not None}, func.now())


async def provider_audience(session: AsyncSession, provider_id: uuid.UUID | None) -> set[uuid.UUID]:
    """Confirmed, unrevoked users of a provider: they see every client organization's collections."""
    if provider_id is None:
        return set()
    rows = await session.scalars(
        select(provider_users.c.user_id).where(
            provider_users.c.provider_id == provider_id,
            provider_users.c.status == int(MemberStatus.CONFIRMED),
            provider_users.c.revoked.is_(False),
            provider_users.c.user_id.is_not(None),
        )
    )
    return {uid for uid in rows if uid is not None}


async def org_audience(session: AsyncSession, org_id: uuid.UUID, provider_id: uuid.UUID | None) -> set[uuid.UUID]:
    """Everyone whose sync may show something of this organization: its members with an account, its providers."""
    rows = await session.scalars(
        select(members.c.user_id).where(members.c.organization_id == org_id, members.c.user_id.is_not(None))
    )
    return {uid for uid in rows if uid is not None} | await provider_audience(session, provider_id)


async def bump_org(session: AsyncSession, org_id: uuid.UUID, provider_id: uuid.UUID | None) -> None:
    await bump(session, await org_audience(session, org_id, provider_id))
