"""The provider's audit log: recording Bitwarden events from domain events, and the three ways of reading it.

- its own events (provider users 1800s, client organizations 1900s), from this service's topic;
- the events of its client organizations (organization and vault topics), recorded while the organization is a
  client (the link table is ours and authoritative). Each carries the acting provider when a provider user acted.

Every handler runs in the inbox transaction, so an event is recorded exactly once; events of providers and
organizations this service does not hold are skipped.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.provider.adapters.orm import audit_events, org_members, provider_organizations, provider_users, providers
from mspvault.provider.adapters.repository import CONFIRMED, OWNER
from mspvault.provider.domain.enums import ProviderUserStatus
from mspvault.provider.domain.errors import ProviderUserNotFound
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.audit.codes import EventType
from mspvault.shared.audit.entries import AuditEntry, entry_for
from mspvault.shared.audit.paging import LogQuery, Page, read_page
from mspvault.shared.audit.storage import store_entry
from mspvault.shared.contracts.envelope import Envelope, EventData

_CLIENT_LINK_EVENTS = frozenset(
    {
        EventType.PROVIDER_ORGANIZATION_CREATED,
        EventType.PROVIDER_ORGANIZATION_ADDED,
        EventType.PROVIDER_ORGANIZATION_REMOVED,
    }
)


# ---- recording ---------------------------------------------------------------------------------------------------
async def record_own_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    entry = entry_for(envelope)
    session = work.uow.session
    if entry is None or entry.provider_id is None or not await _provider_known(session, entry.provider_id):
        return
    client_of = None
    if entry.type in _CLIENT_LINK_EVENTS:
        # Client links are part of the combined log too: it opens with "created/added client" and ends with "removed".
        client_of = entry.provider_id
        entry = replace(entry, provider_organization_id=await _link_id(session, entry))
    await store_entry(session, audit_events, entry, client_provider_id=client_of)


async def record_organization_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    await _record_client_event(work.uow.session, entry_for(envelope), attribute=False)


async def record_vault_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    # The vault's actor does not say yet whether its caller acted for a provider; the organization's rule does.
    await _record_client_event(work.uow.session, entry_for(envelope), attribute=True)


async def _record_client_event(session: AsyncSession, entry: AuditEntry | None, *, attribute: bool) -> None:
    if entry is None or entry.organization_id is None:
        return
    client_of: uuid.UUID | None = await session.scalar(
        select(provider_organizations.c.provider_id).where(
            provider_organizations.c.organization_id == entry.organization_id
        )
    )
    if attribute and entry.provider_id is None and client_of is not None:
        entry = replace(entry, provider_id=await _acting_provider(session, client_of, entry))
    if client_of is None and (entry.provider_id is None or not await _provider_known(session, entry.provider_id)):
        return  # neither a client's event nor one of our users' actions
    await store_entry(session, audit_events, entry, client_provider_id=client_of)


async def _provider_known(session: AsyncSession, provider_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(exists().where(providers.c.id == provider_id))))


async def _link_id(session: AsyncSession, entry: AuditEntry) -> uuid.UUID | None:
    """The client link's id: from the link while it exists, else from the entry that recorded its creation."""
    link: uuid.UUID | None = await session.scalar(
        select(provider_organizations.c.id).where(
            provider_organizations.c.provider_id == entry.provider_id,
            provider_organizations.c.organization_id == entry.organization_id,
        )
    )
    if link is not None:
        return link
    earlier: uuid.UUID | None = await session.scalar(
        select(audit_events.c.provider_organization_id)
        .where(
            audit_events.c.provider_id == entry.provider_id,
            audit_events.c.organization_id == entry.organization_id,
            audit_events.c.provider_organization_id.is_not(None),
        )
        .order_by(audit_events.c.date.desc())
        .limit(1)
    )
    return earlier


async def _acting_provider(session: AsyncSession, provider_id: uuid.UUID, entry: AuditEntry) -> uuid.UUID | None:
    """The organization service's rule: an active provider user acts for the provider, unless they are also a
    confirmed Owner of the organization in their own right."""
    organization_id, user_id = entry.organization_id, entry.acting_user_id
    if user_id is None:
        return None
    active = exists().where(
        provider_users.c.provider_id == provider_id,
        provider_users.c.user_id == user_id,
        provider_users.c.status == int(ProviderUserStatus.CONFIRMED),
    )
    owner = exists().where(
        org_members.c.organization_id == organization_id,
        org_members.c.user_id == user_id,
        org_members.c.type == OWNER,
        org_members.c.status == CONFIRMED,
    )
    return provider_id if await session.scalar(select(and_(active, ~owner))) else None


# ---- reading (the routes check the caller first: Provider Admins only) ---------------------------------------
async def provider_events(session: AsyncSession, provider_id: uuid.UUID, asked: LogQuery, now: datetime) -> Page:
    scope = audit_events.c.provider_id == provider_id
    return await read_page(session, audit_events, scope, asked, now=now)


async def provider_user_events(
    session: AsyncSession, provider_id: uuid.UUID, provider_user_id: uuid.UUID, asked: LogQuery, now: datetime
) -> Page:
    """What one provider user did for the provider (Bitwarden: events by acting user); they must have an account."""
    user_id = await session.scalar(
        select(provider_users.c.user_id).where(
            provider_users.c.provider_id == provider_id, provider_users.c.id == provider_user_id
        )
    )
    if user_id is None:
        raise ProviderUserNotFound()
    scope = and_(audit_events.c.provider_id == provider_id, audit_events.c.acting_user_id == user_id)
    return await read_page(session, audit_events, scope, asked, now=now)


async def client_events(session: AsyncSession, provider_id: uuid.UUID, asked: LogQuery, now: datetime) -> Page:
    scope = audit_events.c.client_provider_id == provider_id
    return await read_page(session, audit_events, scope, asked, now=now)
