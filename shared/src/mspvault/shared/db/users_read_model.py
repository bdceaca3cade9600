"""Identity's users as organization and vault keep them: a `users` read model (id, email, name, public key) written
by identity's events. Its port and its SQL adapter are here once; each service's read models take both on, and
`mspvault.shared.user_projections` writes it from the events."""

from __future__ import annotations

import uuid
from typing import ClassVar, Protocol

from sqlalchemy import Table, update
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.db.rows import upsert


class UsersReadModel(Protocol):
    async def register_user(self, user_id: uuid.UUID, *, email: str, name: str | None, public_key: str | None) -> None:
        """Upsert a user, public key included (None when the account has none yet)."""
        ...

    async def save_user(self, user_id: uuid.UUID, *, email: str, name: str | None) -> None:
        """Upsert a user's email and name; the public key stays."""
        ...

    async def set_user_key(self, user_id: uuid.UUID, public_key: str) -> None:
        """Set a known user's public key (an unknown user stays unknown)."""
        ...


class SqlUsersReadModel:
    """`UsersReadModel` over the service's `users_table`, in the session of the consumer's transaction."""

    users_table: ClassVar[Table]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register_user(self, user_id: uuid.UUID, *, email: str, name: str | None, public_key: str | None) -> None:
        values = {"email": email, "name": name, "public_key": public_key}
        await upsert(self.session, self.users_table, {"id": user_id}, values)

    async def save_user(self, user_id: uuid.UUID, *, email: str, name: str | None) -> None:
        await upsert(self.session, self.users_table, {"id": user_id}, {"email": email, "name": name})

    async def set_user_key(self, user_id: uuid.UUID, public_key: str) -> None:
        users = self.users_table
        await self.session.execute(update(users).where(users.c.id == user_id).values(public_key=public_key))
