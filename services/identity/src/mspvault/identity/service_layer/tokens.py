"""The OAuth grants: password (log in, start a refresh-token family) and refresh_token (rotate it)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.identity.adapters.password_hasher import PasswordHashing
from mspvault.identity.adapters.repository import Accounts, Devices, Operators, RefreshTokenFamilies
from mspvault.identity.adapters.signing_keys import KeyRing
from mspvault.identity.domain.account import Account, normalize_email
from mspvault.identity.domain.devices import Device, DeviceInfo
from mspvault.identity.domain.refresh_tokens import (
    RefreshTokenFamily,
    RefreshTokenReused,
    RefreshTokenUnknown,
    new_refresh_token,
    token_digest,
)
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import DomainError

SCOPE = ("api", "offline_access")


class InvalidCredentials(DomainError):
    """Unknown email or wrong password: one error, so the answer does not tell which."""

    def __init__(self) -> None:
        super().__init__("Username or password is incorrect. Try again")


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    access_token_seconds: int
    refresh_token_days: int
    operators: frozenset[str]

    @classmethod
    def of(
        cls, *, issuer: str, access_token_seconds: int, refresh_token_days: int, operators: Collection[str]
    ) -> TokenPolicy:
        return cls(issuer, access_token_seconds, refresh_token_days, frozenset(normalize_email(e) for e in operators))


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str = " ".join(SCOPE)


@dataclass(frozen=True)
class TokenIssuer:
    policy: TokenPolicy
    keys: KeyRing

    def access_token(self, account: Account, device: Device, client_id: str, *, operator: bool) -> str:
        claims: dict[str, object] = {
            "sstamp": account.security_stamp,
            "device": device.info.identifier,
            "devicetype": str(device.info.type),
            "client_id": client_id,
            "premium": True,
            "email_verified": True,
            "scope": list(SCOPE),
            "amr": ["Application"],
        }
        if operator:
            claims["operator"] = True
        return self.keys.current.mint(
            user_id=account.id,
            email=account.email,
            name=account.name,
            issuer=self.policy.issuer,
            lifetime_seconds=self.policy.access_token_seconds,
            extra=claims,
        )

    async def is_operator(self, uow: UnitOfWork, email: str) -> bool:
        return email in self.policy.operators or await Operators(uow.session).contains(email)


@dataclass(frozen=True)
class PasswordGrant:
    username: str
    password: str  # the client's master-password hash, never the master password
    client_id: str
    device: DeviceInfo


async def password_grant(
    sessions: async_sessionmaker[AsyncSession],
    uow: UnitOfWork,
    hasher: PasswordHashing,
    issuer: TokenIssuer,
    grant: PasswordGrant,
) -> tuple[Account, IssuedTokens]:
    # Look up with a short-lived session, so no pooled connection waits on the slow hash.
    async with sessions() as session:
        account = await Accounts(session).get_by_email(normalize_email(grant.username))
    if account is None:
        await hasher.verify_unknown_account(grant.password)
        raise InvalidCredentials()
    if not await hasher.verify(account.password_hash, grant.password):
        raise InvalidCredentials()
    new_hash = await hasher.hash(grant.password) if hasher.needs_rehash(account.password_hash) else None

    now = datetime.now(UTC)
    accounts = Accounts(uow.session)
    if new_hash is not None:
        # Settings raised the hash cost: upgrade this account while the client's hash is at hand.
        account.set_password_hash(new_hash)
        await accounts.save_password_hash(account)
    device = await Devices(uow.session).record_login(account.id, grant.device, now)
    refresh_token = new_refresh_token()
    lifetime = timedelta(days=issuer.policy.refresh_token_days)
    family = RefreshTokenFamily.start(
        user_id=account.id, device_id=device.id, first_digest=token_digest(refresh_token), now=now, lifetime=lifetime
    )
    await RefreshTokenFamilies(uow.session).add(family)
    operator = await issuer.is_operator(uow, account.email)
    await uow.commit()
    access_token = issuer.access_token(account, device, grant.client_id, operator=operator)
    return account, IssuedTokens(access_token, refresh_token, issuer.policy.access_token_seconds)


async def refresh_grant(uow: UnitOfWork, issuer: TokenIssuer, refresh_token: str, client_id: str) -> IssuedTokens:
    now = datetime.now(UTC)
    presented = token_digest(refresh_token)
    families = RefreshTokenFamilies(uow.session)
    family = await families.find_by_token_for_update(presented)
    if family is None:
        raise RefreshTokenUnknown()
    next_token = new_refresh_token()
    try:
        family.rotate(presented, token_digest(next_token), now)
    except RefreshTokenReused:
        await families.save(family)  # the revocation must stick although the request fails
        await uow.commit()
        raise
    account = await Accounts(uow.session).get(family.user_id)
    device = await Devices(uow.session).get(family.device_id)
    if account is None or device is None:
        raise RefreshTokenUnknown()
    await families.save(family)
    await families.record_token(family.current_digest, family.id, now)
    await Devices(uow.session).touch(device.id, now)
    operator = await issuer.is_operator(uow, account.email)
    await uow.commit()
    access_token = issuer.access_token(account, device, client_id, operator=operator)
    return IssuedTokens(access_token, next_token, issuer.policy.access_token_seconds)
