"""The organization's audit log: recording Bitwarden events from domain events, and reading them back.

Entries come from this service's own topic and from the vault's (items of organizations), through the inbox, so
each event is recorded once and in the same transaction as its inbox row. Reading them is for those who may read
the organization's event logs (domain/audit.py); everyone else gets 404.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import audit_events, members, organizations, policies
from mspvault.organization.domain.audit import may_read_event_logs
from mspvault.organization.domain.errors import MemberNotFound, OrganizationNotFound
from mspvault.organization.service_layer import authz
from mspvault.shared import audit
from mspvault.shared.audit import AuditEntry, LogQuery, Page
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.organization import PolicyUpdatedV1
from mspvault.shared.db.unit_of_work import UnitOfWork


async def record_own_event(uow: UnitOfWork, envelope: Envelope) -> None:
    """Inbox handler for this service's events (their actor says whether the caller acted for a provider)."""
    entry = await _known(uow.session, audit.entry_for(envelope))
    if entry is None:
        return
    if envelope.type == PolicyUpdatedV1.event_type:
        entry = replace(entry, policy_id=await _policy_id(uow.session, entry, envelope))
    await audit.store_entry(uow.session, audit_events, entry)


async def record_vault_event(uow: UnitOfWork, envelope: Envelope) -> None:
    """Inbox handler for the vault's cipher events; personal items have no organization and are skipped."""
    entry = await _known(uow.session, audit.entry_for(envelope))
    if entry is None:
        return
    org_id, user_id = entry.organization_id, entry.acting_user_id
    if entry.provider_id is None and org_id is not None and user_id is not None:
        # The vault's actor does not say yet whether its caller acted for a provider: our access rule does.
        entry = replace(entry, provider_id=await _acting_provider(uow.session, org_id, user_id))
    await audit.store_entry(uow.session, audit_events, entry)


async def _known(session: AsyncSession, entry: AuditEntry | None) -> AuditEntry | None:
    """The entry if it belongs to an organization this service holds (not a deleted one, not a personal item)."""
    if entry is None or entry.organization_id is None:
        return None
    held = await session.scalar(select(exists().where(organizations.c.id == entry.organization_id)))
    return entry if held else None


async def _policy_id(session: AsyncSession, entry: AuditEntry, envelope: Envelope) -> uuid.UUID | None:
    policy_type = envelope.payload_as(PolicyUpdatedV1).policy_type
    found: uuid.UUID | None = await session.scalar(
        select(policies.c.id).where(policies.c.organization_id == entry.organization_id, policies.c.type == policy_type)
    )
    return found


async def _acting_provider(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID | None:
    try:
        _, standing = await authz.standing_in(session, org_id, user_id)
    except OrganizationNotFound:  # no standing: acted as nobody we know of in this organization
        return None
    return standing.provider_id


async def _require_reader(session: AsyncSession, org_id: uuid.UUID, caller_id: uuid.UUID) -> None:
    _, standing = await authz.standing_in(session, org_id, caller_id)
    if not may_read_event_logs(standing):
        raise OrganizationNotFound()


async def organization_events(session: AsyncSession, caller_id: uuid.UUID, org_id: uuid.UUID, asked: LogQuery) -> Page:
    await _require_reader(session, org_id, caller_id)
    scope = audit_events.c.organization_id == org_id
    return await audit.read_page(session, audit_events, scope, asked, now=datetime.now(UTC))


async def member_events(
    session: AsyncSession, caller_id: uuid.UUID, org_id: uuid.UUID, member_id: uuid.UUID, asked: LogQuery
) -> Page:
    """What one member did in the organization (Bitwarden: events by acting user); the member must have an account."""
    await _require_reader(session, org_id, caller_id)
    user_id = await session.scalar(
        select(members.c.user_id).where(members.c.organization_id == org_id, members.c.id == member_id)
    )
    if user_id is None:
        raise MemberNotFound()
    scope = (audit_events.c.organization_id == org_id) & (audit_events.c.acting_user_id == user_id)
    return await audit.read_page(session, audit_events, scope, asked, now=datetime.now(UTC))
