"""Loading and saving two-step login settings, remembered devices and personal API keys (the ports `TwoFactorStore`,
`ApiKeyStore`), the read model of organizations' API keys (`OrganizationKeyStore`), and the mail outbox (`Mailer`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.identity.adapters.orm import (
    api_keys,
    mail_outbox,
    organization_api_keys,
    remembered_devices,
    two_factor,
)
from mspvault.identity.domain.api_keys import ApiKey
from mspvault.identity.domain.organization_keys import OrganizationKey
from mspvault.identity.domain.two_factor import PendingEmailCode, RememberedDevice, TwoFactor
from mspvault.shared.db.rows import column_values, entity_from_row, upsert
from mspvault.shared.mail import queue_mail


def _pending(address: str | None, digest: str | None, expires_at: Any) -> PendingEmailCode | None:
    if address is None or digest is None or expires_at is None:
        return None
    return PendingEmailCode(address, digest, expires_at)


def _from_row(row: Row[Any]) -> TwoFactor:
    # The two pending codes are each kept in three columns of their own.
    pending = {
        "email_setup": _pending(row.email_setup_address, row.email_setup_digest, row.email_setup_expires_at),
        "email_login": _pending(row.email, row.email_login_digest, row.email_login_expires_at),
    }
    return entity_from_row(TwoFactor, {**row._mapping, **pending})


class TwoFactorSettings:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> TwoFactor:
        query = select(two_factor).where(two_factor.c.user_id == user_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _from_row(row) if row else TwoFactor(user_id=user_id)

    async def save(self, settings: TwoFactor) -> None:
        setup, login = settings.email_setup, settings.email_login
        values = column_values(
            settings,
            two_factor,
            exclude=("user_id",),
            email_setup_address=setup.email if setup else None,
            email_setup_digest=setup.digest if setup else None,
            email_setup_expires_at=setup.expires_at if setup else None,
            email_login_digest=login.digest if login else None,
            email_login_expires_at=login.expires_at if login else None,
        )
        await upsert(self.session, two_factor, {"user_id": settings.user_id}, values)

    async def remembered(self, digest: str) -> RememberedDevice | None:
        row = (
            await self.session.execute(select(remembered_devices).where(remembered_devices.c.digest == digest))
        ).first()
        return entity_from_row(RememberedDevice, row) if row else None

    async def remember(self, device: RememberedDevice) -> None:
        await self.session.execute(insert(remembered_devices).values(column_values(device, remembered_devices)))

    async def forget_devices(self, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(remembered_devices).where(remembered_devices.c.user_id == user_id))


class ApiKeys:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> ApiKey | None:
        query = select(api_keys).where(api_keys.c.user_id == user_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return ApiKey(row.user_id, row.client_secret, row.revision_date) if row else None

    async def save(self, key: ApiKey) -> None:
        values = {"client_secret": key.client_secret, "revision_date": key.revision_date}
        await upsert(self.session, api_keys, {"user_id": key.user_id}, values)


class OrganizationKeys:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, organization_id: uuid.UUID) -> OrganizationKey | None:
        query = select(organization_api_keys).where(organization_api_keys.c.organization_id == organization_id)
        row = (await self.session.execute(query)).first()
        return OrganizationKey(row.organization_id, row.client_secret_digest, row.key_stamp) if row else None

    async def save(self, key: OrganizationKey, as_of: datetime) -> None:
        values = {"client_secret_digest": key.client_secret_digest, "key_stamp": key.key_stamp, "as_of": as_of}
        statement = insert(organization_api_keys).values(organization_id=key.organization_id, **values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[organization_api_keys.c.organization_id],
                set_=values,
                where=organization_api_keys.c.as_of <= as_of,
            )
        )


class OutboxMailer:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(self, *, to: str, subject: str, body: str) -> None:
        await queue_mail(self.session, mail_outbox, to=to, subject=subject, body=body)
