"""Reads of the read models kept from other services' events, shaped as the access rule's facts.

A caller's facts take a handful of small queries, whatever the number of items they are then applied to.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.vault.adapters.orm import collection_access, org_members, organizations, provider_clients, provider_users
from mspvault.vault.adapters.repository import any_of
from mspvault.vault.domain.access import (
    CallerFacts,
    ClientLink,
    CollectionGrant,
    Membership,
    OrganizationAudience,
    ProviderMembership,
)

_MEMBERSHIP_COLUMNS = (
    org_members.c.type,
    org_members.c.status,
    org_members.c.edit_any_collection,
    org_members.c.access_all,
)


async def caller_facts(session: AsyncSession, user_id: uuid.UUID) -> CallerFacts:
    memberships: dict[uuid.UUID, Membership] = {}
    rows = await session.execute(
        select(org_members.c.organization_id, *_MEMBERSHIP_COLUMNS)
        .where(org_members.c.user_id == user_id)
        .order_by(org_members.c.status)
    )
    for organization_id, kind, status, edit_any, access_all in rows:
        # Ordered by status, so a stray second membership of the same org cannot shadow a confirmed one.
        memberships[organization_id] = Membership(kind, status, edit_any, access_all)

    grants = {
        row.collection_id: CollectionGrant(row.read_only, row.hide_passwords, row.manage)
        for row in await session.execute(
            select(
                collection_access.c.collection_id,
                collection_access.c.read_only,
                collection_access.c.hide_passwords,
                collection_access.c.manage,
            ).where(collection_access.c.user_id == user_id)
        )
    }

    providers: dict[uuid.UUID, ProviderMembership] = {}
    for provider_id, confirmed, revoked in await session.execute(
        select(provider_users.c.provider_id, provider_users.c.confirmed, provider_users.c.revoked)
        .where(provider_users.c.user_id == user_id)
        .order_by(provider_users.c.confirmed)
    ):
        providers[provider_id] = ProviderMembership(confirmed, revoked)

    client_links: dict[uuid.UUID, ClientLink] = {}
    if providers:
        for organization_id, provider_id, access_to_items in await session.execute(
            select(
                provider_clients.c.organization_id,
                provider_clients.c.provider_id,
                provider_clients.c.provider_access_to_items,
            ).where(any_of(provider_clients.c.provider_id, providers), provider_clients.c.linked)
        ):
            client_links[organization_id] = ClientLink(provider_id, access_to_items)

    known_orgs = set(memberships) | set(client_links)
    disabled: frozenset[uuid.UUID] = frozenset()
    if known_orgs:
        disabled = frozenset(
            (
                await session.execute(
                    select(organizations.c.id).where(any_of(organizations.c.id, known_orgs), ~organizations.c.enabled)
                )
            ).scalars()
        )
    return CallerFacts(user_id, memberships, grants, providers, client_links, disabled)


async def organization_audience(
    session: AsyncSession, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID] = ()
) -> OrganizationAudience:
    """Who may see items of this organization in these collections (full-access users see them all)."""
    members: dict[uuid.UUID, Membership] = {}
    for user_id, kind, status, edit_any, access_all in await session.execute(
        select(org_members.c.user_id, *_MEMBERSHIP_COLUMNS)
        .where(org_members.c.organization_id == organization_id, org_members.c.user_id.is_not(None))
        .order_by(org_members.c.status)
    ):
        members[user_id] = Membership(kind, status, edit_any, access_all)

    collection_users: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    ids = list(collection_ids)
    if ids:
        for collection_id, user_id in await session.execute(
            select(collection_access.c.collection_id, collection_access.c.user_id).where(
                any_of(collection_access.c.collection_id, ids)
            )
        ):
            collection_users[collection_id].add(user_id)

    link_row = (
        await session.execute(
            select(provider_clients.c.provider_id, provider_clients.c.provider_access_to_items).where(
                provider_clients.c.organization_id == organization_id, provider_clients.c.linked
            )
        )
    ).first()
    link = ClientLink(link_row[0], link_row[1]) if link_row is not None else None
    provider_members: dict[uuid.UUID, ProviderMembership] = {}
    if link is not None:
        provider_members = await active_provider_users(session, link.provider_id)
    return OrganizationAudience(members, collection_users, provider_members, link)


async def active_provider_users(session: AsyncSession, provider_id: uuid.UUID) -> dict[uuid.UUID, ProviderMembership]:
    rows = await session.execute(
        select(provider_users.c.user_id, provider_users.c.confirmed, provider_users.c.revoked)
        .where(provider_users.c.provider_id == provider_id, provider_users.c.user_id.is_not(None))
        .order_by(provider_users.c.confirmed)
    )
    return {user_id: ProviderMembership(confirmed, revoked) for user_id, confirmed, revoked in rows}
