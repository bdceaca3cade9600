"""This service's read models of other services' data (users, organizations, their members), over SQLAlchemy.

Every write is an upsert keyed by the other service's id, so applying an event twice, or two events in a
surprising order, converges to the same rows. Implements `ProviderReadModels`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Unpack

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert

from mspvault.provider.adapters.orm import org_members, organizations, provider_organizations, users
from mspvault.provider.service_layer.ports import MemberFacts
from mspvault.shared.db.rows import given, upsert
from mspvault.shared.db.users_read_model import SqlUsersReadModel


class SqlReadModels(SqlUsersReadModel):
    # Identity's users as the shared read model keeps them, but for two writes: a registration without a key
    # leaves the one a row may hold, and a key may arrive before its user (an upsert, not an update).
    users_table = users

    async def register_user(self, user_id: uuid.UUID, *, email: str, name: str | None, public_key: str | None) -> None:
        await upsert(
            self.session, users, {"id": user_id}, {"email": email, "name": name} | given(public_key=public_key)
        )

    async def set_user_key(self, user_id: uuid.UUID, public_key: str) -> None:
        await upsert(self.session, users, {"id": user_id}, {"public_key": public_key})

    async def delete_user(self, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(users).where(users.c.id == user_id))

    async def save_organization(
        self, organization_id: uuid.UUID, *, name: str, provider_id: uuid.UUID | None, plan_type: int, seats: int | None
    ) -> None:
        values = {"name": name, "provider_id": provider_id, "plan_type": plan_type, "seats": seats}
        await upsert(self.session, organizations, {"id": organization_id}, values)

    async def update_organization(
        self, organization_id: uuid.UUID, *, name: str, enabled: bool, provider_id: uuid.UUID | None
    ) -> None:
        await self.session.execute(
            update(organizations)
            .where(organizations.c.id == organization_id)
            .values(name=name, enabled=enabled, provider_id=provider_id)
        )

    async def rename_client(self, organization_id: uuid.UUID, name: str, now: datetime) -> uuid.UUID | None:
        """Keep the client link's copy of the org name (shown in listings and sync) in step with the organization."""
        provider_id: uuid.UUID | None = await self.session.scalar(
            update(provider_organizations)
            .where(
                provider_organizations.c.organization_id == organization_id,
                provider_organizations.c.organization_name != name,
            )
            .values(organization_name=name, revision_date=now)
            .returning(provider_organizations.c.provider_id)
        )
        return provider_id

    async def delete_organization(self, organization_id: uuid.UUID) -> None:
        await self.session.execute(delete(org_members).where(org_members.c.organization_id == organization_id))
        await self.session.execute(delete(organizations).where(organizations.c.id == organization_id))

    async def save_member(self, member_id: uuid.UUID, **member: Unpack[MemberFacts]) -> None:
        """Insert or replace the member, unless the row reflects a newer event already."""
        as_of = member["as_of"]
        values = {name: member[name] for name in ("organization_id", "type", "status")} | {"source_at": as_of}
        values |= given(user_id=member["user_id"])  # an invite has none yet; a later event never erases it
        await self._upsert_member_unless_newer(member_id, values, as_of)

    async def delete_member(
        self, member_id: uuid.UUID, *, organization_id: uuid.UUID, type: int, as_of: datetime
    ) -> None:
        """A tombstone (revoked, no account), so an older event replayed later cannot bring the member back."""
        gone = {"organization_id": organization_id, "user_id": None, "type": type, "status": -1, "source_at": as_of}
        await self._upsert_member_unless_newer(member_id, gone, as_of)

    async def _upsert_member_unless_newer(self, member_id: uuid.UUID, values: dict[str, Any], as_of: datetime) -> None:
        statement = insert(org_members).values(member_id=member_id, **values)
        not_newer = org_members.c.source_at.is_(None) | (org_members.c.source_at <= as_of)
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=[org_members.c.member_id], set_=values, where=not_newer)
        )
