"""The item event log: recording Bitwarden events from the vault's own cipher events, and reading one item's.

Entries are recorded by the inbox consumer of the vault's own topic, in the transaction that marks the event
applied (exactly once; never lost, since the outbox published it).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared import audit
from mspvault.shared.audit import LogQuery, Page
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.vault.adapters import repository
from mspvault.vault.adapters.orm import audit_events, org_members
from mspvault.vault.adapters.read_models import caller_facts
from mspvault.vault.domain.audit import acting_provider, may_read_cipher_events
from mspvault.vault.domain.errors import CipherNotFound
from mspvault.vault.service_layer.views import facts_of


async def record_own_event(uow: UnitOfWork, envelope: Envelope) -> None:
    entry = audit.entry_for(envelope)
    if entry is None:
        return
    org_id, user_id = entry.organization_id, entry.acting_user_id
    if entry.provider_id is None and org_id is not None and user_id is not None:
        # Our actors do not say whether a provider user acted for the provider; the read models do.
        entry = replace(entry, provider_id=acting_provider(await caller_facts(uow.session, user_id), org_id))
    await audit.store_entry(uow.session, audit_events, entry)


async def cipher_events(session: AsyncSession, caller_id: uuid.UUID, cipher_id: uuid.UUID, asked: LogQuery) -> Page:
    cipher = await repository.cipher_by_id(session, cipher_id)
    if cipher is None:
        raise CipherNotFound()
    caller = await caller_facts(session, caller_id)
    permissions = await _custom_permissions(session, cipher.organization_id, caller_id)
    if not may_read_cipher_events(caller, facts_of(cipher), permissions):
        raise CipherNotFound()
    scope = audit_events.c.cipher_id == cipher_id
    return await audit.read_page(session, audit_events, scope, asked, now=datetime.now(UTC))


async def _custom_permissions(
    session: AsyncSession, organization_id: uuid.UUID | None, user_id: uuid.UUID
) -> dict[str, Any] | None:
    if organization_id is None:
        return None
    permissions: dict[str, Any] | None = await session.scalar(
        select(org_members.c.permissions).where(
            org_members.c.organization_id == organization_id, org_members.c.user_id == user_id
        )
    )
    return permissions
