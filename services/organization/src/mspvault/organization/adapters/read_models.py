"""Read models of other services' data: users (identity), providers and their users (provider).

Every write is an upsert or delete keyed by the other service's id, so applying an event twice converges.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Unpack

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from mspvault.organization.adapters.orm import provider_users, providers, users
from mspvault.organization.domain.roles import MemberStatus
from mspvault.organization.service_layer.ports import ProviderUserFacts
from mspvault.shared.db.rows import given, upsert
from mspvault.shared.db.users_read_model import SqlUsersReadModel


class SqlReadModels(SqlUsersReadModel):
    users_table = users

    async def delete_user(self, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(users).where(users.c.id == user_id))

    async def set_two_factor(self, user_id: uuid.UUID, *, enabled: bool, as_of: datetime) -> bool:
        statement = (
            update(users)
            .where(users.c.id == user_id, or_(users.c.two_factor_as_of.is_(None), users.c.two_factor_as_of <= as_of))
            .values(two_factor_enabled=enabled, two_factor_as_of=as_of)
            .returning(users.c.id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def save_provider(
        self, provider_id: uuid.UUID, *, name: str, type: int | None = None, enabled: bool | None = None
    ) -> None:
        values = {"name": name} | given(type=type, enabled=enabled)
        await upsert(self.session, providers, {"id": provider_id}, values)

    async def save_provider_user(
        self, provider_user_id: uuid.UUID, **provider_user: Unpack[ProviderUserFacts]
    ) -> uuid.UUID | None:
        before: uuid.UUID | None = await self.session.scalar(
            select(provider_users.c.user_id).where(provider_users.c.id == provider_user_id)
        )
        as_of = provider_user["as_of"]
        values = {"provider_id": provider_user["provider_id"], "type": provider_user["type"], "source_at": as_of}
        values |= given(**{name: provider_user[name] for name in ("user_id", "status", "revoked")})
        # A row first seen through Updated/Revoked/Restored was confirmed: only confirmed users are managed that way.
        inserted = {"status": int(MemberStatus.CONFIRMED), "revoked": False, **values}
        statement = insert(provider_users).values(id=provider_user_id, **inserted)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[provider_users.c.id], set_=values, where=_not_newer_than(as_of)
            )
        )
        return before

    async def delete_provider_user(
        self, provider_user_id: uuid.UUID, *, provider_id: uuid.UUID, type: int, as_of: datetime
    ) -> uuid.UUID | None:
        """Kept as a revoked row (a tombstone, written even when the row was never seen), so an older event replayed
        or delivered later cannot bring it back."""
        removed: uuid.UUID | None = await self.session.scalar(
            select(provider_users.c.user_id).where(provider_users.c.id == provider_user_id)
        )
        gone = {"revoked": True, "status": int(MemberStatus.REVOKED), "source_at": as_of}
        statement = insert(provider_users).values(id=provider_user_id, provider_id=provider_id, type=type, **gone)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[provider_users.c.id], set_=gone, where=_not_newer_than(as_of)
            )
        )
        return removed


def _not_newer_than(as_of: datetime) -> Any:
    """The stored row reflects an event no newer than `as_of` (or predates the column)."""
    return or_(provider_users.c.source_at.is_(None), provider_users.c.source_at <= as_of)
