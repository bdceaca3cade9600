"""Projections of other services' events into this service's read models (users, organizations, owners).

Every write is an upsert keyed by the other service's id, so applying an event twice, or two events in a
surprising order, converges to the same rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.provider.adapters.orm import org_members, organizations, provider_organizations, provider_users, users
from mspvault.provider.adapters.repository import bump_revisions


async def upsert_user(session: AsyncSession, user_id: uuid.UUID, **values: Any) -> None:
    statement = insert(users).values(id=user_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[users.c.id], set_=values))


async def delete_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(users).where(users.c.id == user_id))


async def upsert_organization(session: AsyncSession, organization_id: uuid.UUID, **values: Any) -> None:
    statement = insert(organizations).values(id=organization_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[organizations.c.id], set_=values))


async def update_organization(session: AsyncSession, organization_id: uuid.UUID, **values: Any) -> None:
    await session.execute(update(organizations).where(organizations.c.id == organization_id).values(**values))


async def rename_client(session: AsyncSession, organization_id: uuid.UUID, name: str, now: datetime) -> None:
    """Keep the client link's copy of the org name (shown in listings and sync) in step with the organization."""
    provider_id = await session.scalar(
        update(provider_organizations)
        .where(
            provider_organizations.c.organization_id == organization_id,
            provider_organizations.c.organization_name != name,
        )
        .values(organization_name=name, revision_date=now)
        .returning(provider_organizations.c.provider_id)
    )
    if provider_id is not None:
        await bump_revisions(session, await provider_accounts(session, provider_id), now)


async def delete_client_link(session: AsyncSession, organization_id: uuid.UUID) -> uuid.UUID | None:
    """Drop the link of a deleted organization; returns the provider it belonged to."""
    provider_id: uuid.UUID | None = await session.scalar(
        delete(provider_organizations)
        .where(provider_organizations.c.organization_id == organization_id)
        .returning(provider_organizations.c.provider_id)
    )
    return provider_id


async def delete_organization(session: AsyncSession, organization_id: uuid.UUID) -> None:
    await session.execute(delete(org_members).where(org_members.c.organization_id == organization_id))
    await session.execute(delete(organizations).where(organizations.c.id == organization_id))


async def upsert_member(session: AsyncSession, member_id: uuid.UUID, **values: Any) -> None:
    statement = insert(org_members).values(member_id=member_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[org_members.c.member_id], set_=values))


async def delete_member(session: AsyncSession, member_id: uuid.UUID) -> None:
    await session.execute(delete(org_members).where(org_members.c.member_id == member_id))


async def provider_accounts(session: AsyncSession, provider_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(provider_users.c.user_id).where(
            provider_users.c.provider_id == provider_id, provider_users.c.user_id.is_not(None)
        )
    )
    return [user_id for user_id in rows if user_id is not None]
