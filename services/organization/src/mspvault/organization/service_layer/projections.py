"""Read models fed by other services' events: users (identity) and providers and their users (provider).

Called by consumers inside the inbox transaction: they write, bump revisions, and never commit. Events about the
same provider user may arrive for a row we never saw (e.g. Confirmed first after a replay), so each one upserts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import provider_users, providers, users
from mspvault.organization.domain.members import normalize_email
from mspvault.organization.domain.roles import MemberStatus
from mspvault.organization.service_layer import revisions
from mspvault.shared.contracts.identity import UserDeletedV1, UserKeysSetV1, UserProfileUpdatedV1, UserRegisteredV1
from mspvault.shared.contracts.provider import (
    ProviderCreatedV1,
    ProviderUpdatedV1,
    ProviderUserAcceptedV1,
    ProviderUserConfirmedV1,
    ProviderUserInvitedV1,
    ProviderUserRemovedV1,
    ProviderUserRestoredV1,
    ProviderUserRevokedV1,
    ProviderUserUpdatedV1,
)


async def user_registered(session: AsyncSession, event: UserRegisteredV1) -> None:
    values = {"email": normalize_email(event.email), "name": event.name, "public_key": event.public_key}
    statement = insert(users).values(id=event.user_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[users.c.id], set_=values))


async def user_keys_set(session: AsyncSession, event: UserKeysSetV1) -> None:
    await session.execute(update(users).where(users.c.id == event.user_id).values(public_key=event.public_key))


async def user_profile_updated(session: AsyncSession, event: UserProfileUpdatedV1) -> None:
    values = {"email": normalize_email(event.email), "name": event.name}
    statement = insert(users).values(id=event.user_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[users.c.id], set_=values))


async def user_deleted(session: AsyncSession, event: UserDeletedV1) -> None:
    await session.execute(delete(users).where(users.c.id == event.user_id))


async def provider_saved(session: AsyncSession, event: ProviderCreatedV1 | ProviderUpdatedV1) -> None:
    values: dict[str, Any] = {"name": event.name}
    if isinstance(event, ProviderCreatedV1):
        values["type"] = event.type
    else:
        values["enabled"] = event.enabled
    statement = insert(providers).values(id=event.provider_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[providers.c.id], set_=values))


ProviderUserEvent = (
    ProviderUserInvitedV1
    | ProviderUserAcceptedV1
    | ProviderUserConfirmedV1
    | ProviderUserUpdatedV1
    | ProviderUserRevokedV1
    | ProviderUserRestoredV1
)

_STATUS_OF: dict[type[Any], MemberStatus] = {
    ProviderUserInvitedV1: MemberStatus.INVITED,
    ProviderUserAcceptedV1: MemberStatus.ACCEPTED,
    ProviderUserConfirmedV1: MemberStatus.CONFIRMED,
}


async def provider_user_changed(session: AsyncSession, event: ProviderUserEvent) -> None:
    """Keep who is an active provider user; access through client links follows at once, by query."""
    before = await session.scalar(select(provider_users.c.user_id).where(provider_users.c.id == event.provider_user_id))
    values: dict[str, Any] = {"provider_id": event.provider_id, "type": event.type}
    if event.user_id is not None:
        values["user_id"] = event.user_id
    if (status := _STATUS_OF.get(type(event))) is not None:
        values["status"] = int(status)
    if isinstance(event, ProviderUserRevokedV1):
        values["revoked"] = True
    elif isinstance(event, ProviderUserRestoredV1):
        values["revoked"] = False
    # A row first seen through Updated/Revoked/Restored was confirmed: only confirmed users are managed that way.
    inserted = {"status": int(MemberStatus.CONFIRMED), "revoked": False, **values}
    statement = insert(provider_users).values(id=event.provider_user_id, **inserted)
    await session.execute(statement.on_conflict_do_update(index_elements=[provider_users.c.id], set_=values))
    await revisions.bump(session, [before, event.user_id])


async def provider_user_removed(session: AsyncSession, event: ProviderUserRemovedV1) -> None:
    removed = await session.scalar(
        delete(provider_users).where(provider_users.c.id == event.provider_user_id).returning(provider_users.c.user_id)
    )
    await revisions.bump(session, [removed, event.user_id])
