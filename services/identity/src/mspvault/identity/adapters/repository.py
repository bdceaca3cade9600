"""Loading and saving identity's aggregates (implements the ports of service_layer/ports.py). Rows become domain
objects here, and nowhere else."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.identity.adapters.orm import (
    devices,
    operators,
    refresh_token_families,
    refresh_tokens,
    security_stamps,
    user_revisions,
    users,
)
from mspvault.identity.domain.account import Account, EmailAlreadyRegistered, KeyPair
from mspvault.identity.domain.devices import Device, DeviceInfo
from mspvault.identity.domain.kdf import KdfSettings, KdfType
from mspvault.identity.domain.refresh_tokens import RefreshTokenFamily
from mspvault.shared.auth.stamps import record_stamp
from mspvault.shared.db.revisions import bump_revisions
from mspvault.shared.db.rows import column_values, entity_from_row

_ACCOUNT_COLUMNS = (*users.c, user_revisions.c.revised_at)


def _account_from_row(row: Row[Any]) -> Account:
    key_pair = None
    if row.public_key is not None and row.wrapped_private_key is not None:
        key_pair = KeyPair(row.public_key, row.wrapped_private_key)
    return Account(
        id=row.id,
        email=row.email,
        name=row.name,
        master_password_hint=row.master_password_hint,
        kdf=KdfSettings(KdfType(row.kdf_type), row.kdf_iterations, row.kdf_memory, row.kdf_parallelism),
        protected_user_key=row.protected_user_key,
        password_hash=row.password_hash,
        security_stamp=row.security_stamp,
        created_at=row.created_at,
        revision_date=row.revised_at or row.created_at,
        key_pair=key_pair,
        user_key_id=row.user_key_id,
        email_verified_at=row.email_verified_at,
        force_password_reset=row.force_password_reset,
    )


def _account_values(account: Account) -> dict[str, Any]:
    return {
        "email": account.email,
        "name": account.name,
        "master_password_hint": account.master_password_hint,
        "password_hash": account.password_hash,
        "kdf_type": int(account.kdf.kdf_type),
        "kdf_iterations": account.kdf.iterations,
        "kdf_memory": account.kdf.memory,
        "kdf_parallelism": account.kdf.parallelism,
        "protected_user_key": account.protected_user_key,
        "public_key": account.key_pair.public_key if account.key_pair else None,
        "wrapped_private_key": account.key_pair.wrapped_private_key if account.key_pair else None,
        "security_stamp": account.security_stamp,
        "user_key_id": account.user_key_id,
        "email_verified_at": account.email_verified_at,
        "force_password_reset": account.force_password_reset,
    }


class Accounts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _select(self) -> Any:
        return select(*_ACCOUNT_COLUMNS).select_from(
            users.outerjoin(user_revisions, user_revisions.c.user_id == users.c.id)
        )

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> Account | None:
        query = self._select().where(users.c.id == user_id)
        if for_update:
            query = query.with_for_update(of=users)
        row = (await self.session.execute(query)).first()
        return _account_from_row(row) if row else None

    async def get_by_email(self, email: str) -> Account | None:
        row = (await self.session.execute(self._select().where(users.c.email == email))).first()
        return _account_from_row(row) if row else None

    async def add(self, account: Account) -> None:
        if not account.password_hash:
            raise ValueError("an account is stored only with its password hash")
        inserted = await self.session.execute(
            insert(users)
            .values(id=account.id, created_at=account.created_at, **_account_values(account))
            .on_conflict_do_nothing(index_elements=[users.c.email])
            .returning(users.c.id)
        )
        if inserted.first() is None:
            raise EmailAlreadyRegistered()
        await self.bump_revision(account.id, account.revision_date)

    async def save(self, account: Account) -> None:
        await self.session.execute(update(users).where(users.c.id == account.id).values(**_account_values(account)))
        await self.bump_revision(account.id, account.revision_date)

    async def save_password_hash(self, account: Account) -> None:
        """A re-hash at a new cost changes nothing the user sees, so no revision bump."""
        await self.session.execute(
            update(users).where(users.c.id == account.id).values(password_hash=account.password_hash)
        )

    async def delete(self, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(users).where(users.c.id == user_id))  # devices, tokens: ON DELETE CASCADE

    async def bump_revision(self, user_id: uuid.UUID, at: datetime) -> None:
        await bump_revisions(self.session, user_revisions, [user_id], at)

    async def public_key(self, user_id: uuid.UUID) -> str | None:
        query = select(users.c.public_key).where(users.c.id == user_id)
        result: str | None = (await self.session.execute(query)).scalar_one_or_none()
        return result


class ShortSessionLookup:
    """Finds an account in a session of its own, closed before the caller goes on (see `AccountLookup`)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def by_email(self, email: str) -> Account | None:
        async with self.sessions() as session:
            return await Accounts(session).get_by_email(email)

    async def by_id(self, user_id: uuid.UUID) -> Account | None:
        async with self.sessions() as session:
            return await Accounts(session).get(user_id)


class Devices:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_login(self, user_id: uuid.UUID, info: DeviceInfo, now: datetime) -> Device:
        """Insert the device, or refresh its name, type and last sighting; the identifier is the client's."""
        statement = insert(devices).values(
            id=uuid.uuid4(),
            user_id=user_id,
            identifier=info.identifier,
            type=info.type,
            name=info.name,
            created_at=now,
            last_seen_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=[devices.c.user_id, devices.c.identifier],
            set_={"type": info.type, "name": info.name, "last_seen_at": now},
        )
        device_id = (await self.session.execute(statement.returning(devices.c.id))).scalar_one()
        return Device(device_id, user_id, info)

    async def get(self, device_id: uuid.UUID) -> Device | None:
        row = (await self.session.execute(select(devices).where(devices.c.id == device_id))).first()
        if row is None:
            return None
        return Device(row.id, row.user_id, DeviceInfo(row.identifier, row.type, row.name))

    async def touch(self, device_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(update(devices).where(devices.c.id == device_id).values(last_seen_at=now))


class RefreshTokenFamilies:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, family: RefreshTokenFamily) -> None:
        await self.session.execute(insert(refresh_token_families).values(column_values(family, refresh_token_families)))
        await self.record_token(family.current_digest, family.id, family.created_at)

    async def record_token(self, digest: str, family_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(insert(refresh_tokens).values(digest=digest, family_id=family_id, issued_at=now))

    async def find_by_token_for_update(self, digest: str) -> RefreshTokenFamily | None:
        """The family a token (current or spent) belongs to, locked: concurrent refreshes serialize here."""
        query = (
            select(refresh_token_families)
            .join(refresh_tokens, refresh_tokens.c.family_id == refresh_token_families.c.id)
            .where(refresh_tokens.c.digest == digest)
            .with_for_update(of=refresh_token_families)
        )
        row = (await self.session.execute(query)).first()
        return entity_from_row(RefreshTokenFamily, row) if row else None

    async def save(self, family: RefreshTokenFamily) -> None:
        await self.session.execute(
            update(refresh_token_families)
            .where(refresh_token_families.c.id == family.id)
            .values(current_digest=family.current_digest, revoked_at=family.revoked_at)
        )

    async def revoke_all(self, user_id: uuid.UUID, now: datetime) -> int:
        result = await self.session.execute(
            update(refresh_token_families)
            .where(refresh_token_families.c.user_id == user_id, refresh_token_families.c.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(refresh_token_families.c.id)
        )
        return len(result.all())


class SecurityStamps:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, user_id: uuid.UUID, stamp: str, rotated_at: datetime) -> None:
        await record_stamp(self.session, security_stamps, user_id, stamp, rotated_at)


class Operators:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def contains(self, user_id: uuid.UUID) -> bool:
        query = select(exists().where(operators.c.user_id == user_id))
        found: bool = (await self.session.execute(query)).scalar_one()
        return found

    async def add(self, user_id: uuid.UUID, now: datetime) -> bool:
        """Returns False when the account was already an operator."""
        statement = insert(operators).values(user_id=user_id, created_at=now).on_conflict_do_nothing()
        return (await self.session.execute(statement.returning(operators.c.user_id))).first() is not None

    async def remove(self, user_id: uuid.UUID) -> bool:
        """Returns False when the account was not an operator (in the table)."""
        statement = delete(operators).where(operators.c.user_id == user_id).returning(operators.c.user_id)
        return (await self.session.execute(statement)).first() is not None
