"""The read side: what prelogin, profile, sync and the key directory answer (no unit of work, no events)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.identity.adapters.repository import Accounts
from mspvault.identity.adapters.two_factor_repository import TwoFactorSettings
from mspvault.identity.domain.account import Account
from mspvault.identity.domain.kdf import KdfSettings, fake_kdf
from mspvault.shared.errors import NotFoundError
from mspvault.shared.text import normalize_email


async def prelogin_kdf(session: AsyncSession, email: str, secret: bytes) -> KdfSettings:
    """An unknown email gets settings as plausible as a real account's, the same ones every time (`fake_kdf`), so
    prelogin does not reveal who has an account, nor that one chose other settings than the defaults."""
    normalized = normalize_email(email)
    account = await Accounts(session).get_by_email(normalized)
    return account.kdf if account else fake_kdf(secret, normalized)


async def account_of(session: AsyncSession, user_id: uuid.UUID) -> Account | None:
    return await Accounts(session).get(user_id)


async def public_key_of(session: AsyncSession, user_id: uuid.UUID) -> str:
    public_key = await Accounts(session).public_key(user_id)
    if public_key is None:
        raise NotFoundError("User not found.")
    return public_key


async def two_factor_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """The profile's `twoFactorEnabled`: any two-step login provider on."""
    return (await TwoFactorSettings(session).get(user_id)).enabled
