"""The organization's audit table: what the recorders need to know, and writing an entry once."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import audit_events, organizations, policies
from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.audit.storage import store_entry


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def holds_organization(self, org_id: uuid.UUID) -> bool:
        return bool(await self.session.scalar(select(exists().where(organizations.c.id == org_id))))

    async def policy_id(self, org_id: uuid.UUID, policy_type: int) -> uuid.UUID | None:
        found: uuid.UUID | None = await self.session.scalar(
            select(policies.c.id).where(policies.c.organization_id == org_id, policies.c.type == policy_type)
        )
        return found

    async def record(self, entry: AuditEntry) -> None:
        await store_entry(self.session, audit_events, entry)
