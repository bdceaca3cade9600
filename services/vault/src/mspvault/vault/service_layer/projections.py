"""Read models kept from other services' events, and the revision-date bumps those events imply.

Handlers run inside the inbox consumer's unit of work (it commits, together with the inbox row); they never commit.
Every event that changes what a user can see in the vault bumps that user's revision date, so their next
`bw sync` fetches again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.organization import MemberAccess
from mspvault.shared.contracts.vault import CipherDeletedV1
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.vault.adapters import repository
from mspvault.vault.adapters.orm import (
    cipher_user_prefs,
    ciphers,
    collection_access,
    collection_ciphers,
    collections,
    folders,
    org_members,
    organizations,
    provider_clients,
    provider_users,
    users,
)
from mspvault.vault.adapters.read_models import active_provider_users, organization_audience
from mspvault.vault.domain.access import audience_of, membership_from_event


def _now() -> datetime:
    return datetime.now(UTC)


async def _bump(session: AsyncSession, user_ids: Iterable[uuid.UUID | None]) -> None:
    await repository.bump_revisions(session, (uid for uid in user_ids if uid is not None), _now())


async def _everyone_in_org(session: AsyncSession, organization_id: uuid.UUID) -> set[uuid.UUID]:
    """Members (any status), collection users and provider users: everyone whose view an org-wide change touches."""
    collection_ids = (
        await session.execute(select(collections.c.id).where(collections.c.organization_id == organization_id))
    ).scalars()
    facts = await organization_audience(session, organization_id, list(collection_ids))
    return (
        set(facts.members)
        | {uid for users_of in facts.collection_users.values() for uid in users_of}
        | set(facts.provider_users)
    )


# --- identity.events --------------------------------------------------------------------------------------------------


async def user_registered(
    uow: UnitOfWork, user_id: uuid.UUID, email: str, name: str | None, public_key: str | None
) -> None:
    statement = insert(users).values(id=user_id, email=email, name=name, public_key=public_key)
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[users.c.id], set_={"email": email, "name": name, "public_key": public_key}
        )
    )


async def user_profile_updated(uow: UnitOfWork, user_id: uuid.UUID, email: str, name: str | None) -> None:
    statement = insert(users).values(id=user_id, email=email, name=name)
    await uow.session.execute(
        statement.on_conflict_do_update(index_elements=[users.c.id], set_={"email": email, "name": name})
    )


async def user_keys_set(uow: UnitOfWork, user_id: uuid.UUID, public_key: str) -> None:
    await uow.session.execute(update(users).where(users.c.id == user_id).values(public_key=public_key))


async def user_deleted(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    """The account is gone: so are its personal items, folders and per-user prefs."""
    session = uow.session
    owned = (await session.execute(select(ciphers.c.id).where(ciphers.c.user_id == user_id))).scalars().all()
    await repository.delete_ciphers(session, owned)
    await session.execute(delete(cipher_user_prefs).where(cipher_user_prefs.c.user_id == user_id))
    await session.execute(delete(folders).where(folders.c.user_id == user_id))
    await session.execute(delete(users).where(users.c.id == user_id))
    for cipher_id in owned:
        uow.publish(
            CipherDeletedV1(owner_id=user_id, cipher_id=cipher_id, user_id=user_id), actor=Actor(user_id=user_id)
        )


# --- organization.events ----------------------------------------------------------------------------------------------


async def link_client(
    uow: UnitOfWork, organization_id: uuid.UUID, provider_id: uuid.UUID, *, linked: bool, as_of: datetime
) -> None:
    """Record a provider link (or unlink) unless newer news about this organization was recorded already."""
    statement = insert(provider_clients).values(
        organization_id=organization_id, provider_id=provider_id, linked=linked, as_of=as_of
    )
    newer = provider_clients.c.as_of <= statement.excluded.as_of
    # An unlink by one provider never cuts the link of another.
    same_or_linking = (provider_clients.c.provider_id == statement.excluded.provider_id) | statement.excluded.linked
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[provider_clients.c.organization_id],
            set_={"provider_id": provider_id, "linked": linked, "as_of": as_of},
            where=newer & same_or_linking,
        )
    )


async def organization_saved(uow: UnitOfWork, organization_id: uuid.UUID, name: str, enabled: bool) -> None:
    previous = (
        await uow.session.execute(select(organizations.c.enabled).where(organizations.c.id == organization_id))
    ).scalar_one_or_none()
    statement = insert(organizations).values(id=organization_id, name=name, enabled=enabled)
    await uow.session.execute(
        statement.on_conflict_do_update(index_elements=[organizations.c.id], set_={"name": name, "enabled": enabled})
    )
    if previous is not None and previous != enabled:
        await _bump(uow.session, await _everyone_in_org(uow.session, organization_id))


async def organization_deleted(uow: UnitOfWork, organization_id: uuid.UUID, actor: Actor) -> None:
    """The organization is gone, and its items with it."""
    session = uow.session
    affected = await _everyone_in_org(session, organization_id)
    owned = (
        (await session.execute(select(ciphers.c.id).where(ciphers.c.organization_id == organization_id)))
        .scalars()
        .all()
    )
    await repository.delete_ciphers(session, owned)
    collection_ids = select(collections.c.id).where(collections.c.organization_id == organization_id)
    await session.execute(delete(collection_ciphers).where(collection_ciphers.c.collection_id.in_(collection_ids)))
    await session.execute(delete(collection_access).where(collection_access.c.organization_id == organization_id))
    await session.execute(delete(collections).where(collections.c.organization_id == organization_id))
    await session.execute(delete(org_members).where(org_members.c.organization_id == organization_id))
    await session.execute(delete(organizations).where(organizations.c.id == organization_id))
    await session.execute(
        update(provider_clients).where(provider_clients.c.organization_id == organization_id).values(linked=False)
    )
    await _bump(session, affected)
    for cipher_id in owned:
        uow.publish(
            CipherDeletedV1(owner_id=organization_id, cipher_id=cipher_id, organization_id=organization_id),
            actor=actor,
        )


async def member_saved(
    uow: UnitOfWork,
    *,
    member_id: uuid.UUID,
    organization_id: uuid.UUID,
    user_id: uuid.UUID | None,
    kind: int,
    status: int,
    extra: Mapping[str, Any],
) -> None:
    """A member was invited, accepted, confirmed, updated, revoked or restored: replace what we had."""
    membership = membership_from_event(kind, status, extra)
    permissions = extra.get("permissions")
    values: dict[str, Any] = {
        "organization_id": organization_id,
        "type": membership.type,
        "status": membership.status,
        "edit_any_collection": membership.edit_any_collection,
        "access_all": membership.access_all,
        "permissions": permissions if isinstance(permissions, dict) else None,
    }
    if user_id is not None:
        values["user_id"] = user_id  # an invite has none yet; a later event never erases it
    statement = insert(org_members).values(member_id=member_id, **values)
    result = await uow.session.execute(
        statement.on_conflict_do_update(index_elements=[org_members.c.member_id], set_=values).returning(
            org_members.c.user_id
        )
    )
    await _bump(uow.session, [result.scalar_one()])


async def member_removed(uow: UnitOfWork, member_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
    result = await uow.session.execute(
        delete(org_members).where(org_members.c.member_id == member_id).returning(org_members.c.user_id)
    )
    await _bump(uow.session, [user_id, *result.scalars()])


async def collection_saved(uow: UnitOfWork, collection_id: uuid.UUID, organization_id: uuid.UUID) -> None:
    await uow.session.execute(
        insert(collections).values(id=collection_id, organization_id=organization_id).on_conflict_do_nothing()
    )


async def collection_deleted(uow: UnitOfWork, collection_id: uuid.UUID, organization_id: uuid.UUID) -> None:
    """Its items stay in the organization; whoever saw them through it, or sees its id on them, must resync."""
    session = uow.session
    facts = await organization_audience(session, organization_id, [collection_id])
    await session.execute(delete(collection_ciphers).where(collection_ciphers.c.collection_id == collection_id))
    await session.execute(delete(collection_access).where(collection_access.c.collection_id == collection_id))
    await session.execute(delete(collections).where(collections.c.id == collection_id))
    await _bump(session, audience_of(facts, [collection_id]) | set(facts.collection_users.get(collection_id, ())))


async def collection_access_changed(
    uow: UnitOfWork, collection_id: uuid.UUID, organization_id: uuid.UUID, access: list[MemberAccess]
) -> None:
    """The event carries the full effective list: replace ours, and bump whoever was or is on it."""
    session = uow.session
    await collection_saved(uow, collection_id, organization_id)
    previous = (
        await session.execute(
            delete(collection_access)
            .where(collection_access.c.collection_id == collection_id)
            .returning(collection_access.c.user_id)
        )
    ).scalars()
    before = set(previous)
    rows = {
        entry.user_id: {
            "collection_id": collection_id,
            "user_id": entry.user_id,
            "organization_id": organization_id,
            "read_only": entry.read_only,
            "hide_passwords": entry.hide_passwords,
            "manage": entry.manage,
        }
        for entry in access
    }
    if rows:
        await session.execute(insert(collection_access).values(list(rows.values())))
    await _bump(session, before | set(rows))


# --- provider.events --------------------------------------------------------------------------------------------------


async def provider_user_saved(
    uow: UnitOfWork,
    *,
    provider_user_id: uuid.UUID,
    provider_id: uuid.UUID,
    user_id: uuid.UUID | None,
    confirmed: bool | None = None,
    revoked: bool | None = None,
) -> None:
    """Record a provider user; `confirmed` / `revoked` change only when the event says so."""
    values: dict[str, Any] = {"provider_id": provider_id}
    if user_id is not None:
        values["user_id"] = user_id
    if confirmed is not None:
        values["confirmed"] = confirmed
    if revoked is not None:
        values["revoked"] = revoked
    statement = insert(provider_users).values(provider_user_id=provider_user_id, **values)
    result = await uow.session.execute(
        statement.on_conflict_do_update(index_elements=[provider_users.c.provider_user_id], set_=values).returning(
            provider_users.c.user_id
        )
    )
    await _bump(uow.session, [result.scalar_one()])


async def provider_user_removed(uow: UnitOfWork, provider_user_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
    result = await uow.session.execute(
        delete(provider_users)
        .where(provider_users.c.provider_user_id == provider_user_id)
        .returning(provider_users.c.user_id)
    )
    await _bump(uow.session, [user_id, *result.scalars()])


async def client_linked(
    uow: UnitOfWork,
    *,
    organization_id: uuid.UUID,
    provider_id: uuid.UUID,
    linked: bool,
    as_of: datetime,
    name: str | None = None,
    provider_access_to_items: bool | None = None,
) -> None:
    """A client organization was created for, added to or removed from a provider: its users gain or lose it."""
    if name is not None:
        await uow.session.execute(
            insert(organizations).values(id=organization_id, name=name, enabled=True).on_conflict_do_nothing()
        )
    await link_client(uow, organization_id, provider_id, linked=linked, as_of=as_of)
    if provider_access_to_items is not None:
        await _set_provider_access(uow.session, organization_id, provider_id, provider_access_to_items)
    await _bump(uow.session, await active_provider_users(uow.session, provider_id))


async def client_settings_changed(
    uow: UnitOfWork, *, organization_id: uuid.UUID, provider_id: uuid.UUID, provider_access_to_items: bool
) -> None:
    """The provider's users gain or lose the client's items; the organization's own members keep what they had."""
    if await _set_provider_access(uow.session, organization_id, provider_id, provider_access_to_items):
        await _bump(uow.session, await active_provider_users(uow.session, provider_id))


async def _set_provider_access(
    session: AsyncSession, organization_id: uuid.UUID, provider_id: uuid.UUID, allowed: bool
) -> bool:
    """Set the item-access flag of this provider's link; True if it changed.

    Only provider events set it, and they are ordered per provider, so unlike `linked` it needs no `as_of` guard;
    a link now held by another provider is not this event's to change.
    """
    result = await session.execute(
        update(provider_clients)
        .where(
            provider_clients.c.organization_id == organization_id,
            provider_clients.c.provider_id == provider_id,
            provider_clients.c.provider_access_to_items.is_distinct_from(allowed),
        )
        .values(provider_access_to_items=allowed)
        .returning(provider_clients.c.organization_id)
    )
    return result.first() is not None
