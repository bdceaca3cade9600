"""What identity's handlers need from the outside world, as protocols; adapters implement them, tests fake them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from mspvault.identity.domain.access_tokens import TokenPolicy
from mspvault.identity.domain.account import Account
from mspvault.identity.domain.account_recovery import RecoveryTarget
from mspvault.identity.domain.api_keys import ApiKey
from mspvault.identity.domain.devices import Device, DeviceInfo
from mspvault.identity.domain.organization_keys import OrganizationKey
from mspvault.identity.domain.refresh_tokens import RefreshTokenFamily
from mspvault.identity.domain.two_factor import RememberedDevice, TwoFactor
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.clock import Clock
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.signed_tokens import VerifiedToken


class AccountStore(Protocol):
    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> Account | None: ...

    async def get_by_email(self, email: str) -> Account | None: ...

    async def add(self, account: Account) -> None:
        """Raises EmailAlreadyRegistered; bumps the account's revision date."""
        ...

    async def save(self, account: Account) -> None:
        """Bumps the account's revision date."""
        ...

    async def save_password_hash(self, account: Account) -> None:
        """A re-hash at a new cost changes nothing the user sees: no revision bump."""
        ...

    async def bump_revision(self, user_id: uuid.UUID, at: datetime) -> None:
        """Something the user sees in their profile changed (two-step login on or off)."""
        ...

    async def delete(self, user_id: uuid.UUID) -> None:
        """The account and everything identity keeps of it (devices, refresh tokens) go."""
        ...


class AccountLookup(Protocol):
    async def by_email(self, email: str) -> Account | None:
        """Outside the unit of work's transaction (a short-lived session), so no pooled connection waits on the
        slow password hash that follows."""
        ...

    async def by_id(self, user_id: uuid.UUID) -> Account | None:
        """As `by_email`: for checking a master-password hash before the change it allows."""
        ...


class DeviceStore(Protocol):
    async def record_login(self, user_id: uuid.UUID, info: DeviceInfo, now: datetime) -> Device: ...

    async def get(self, device_id: uuid.UUID) -> Device | None: ...

    async def touch(self, device_id: uuid.UUID, now: datetime) -> None: ...


class RefreshTokenStore(Protocol):
    async def add(self, family: RefreshTokenFamily) -> None: ...

    async def record_token(self, digest: str, family_id: uuid.UUID, now: datetime) -> None: ...

    async def find_by_token_for_update(self, digest: str) -> RefreshTokenFamily | None:
        """The family a token (current or spent) belongs to, locked: concurrent refreshes serialize here."""
        ...

    async def save(self, family: RefreshTokenFamily) -> None: ...

    async def revoke_all(self, user_id: uuid.UUID, now: datetime) -> int:
        """Revoke every live family of the user (its sessions end); returns how many were live."""
        ...


class SecurityStampLog(Protocol):
    async def record(self, user_id: uuid.UUID, stamp: str, rotated_at: datetime) -> None:
        """Identity's own row in `security_stamps`, so its processes refuse old tokens as the others do."""
        ...


class OperatorStore(Protocol):
    """Operators added at run time, by account (settings name more, by email)."""

    async def contains(self, user_id: uuid.UUID) -> bool: ...

    async def add(self, user_id: uuid.UUID, now: datetime) -> bool:
        """False when the account already was an operator."""
        ...

    async def remove(self, user_id: uuid.UUID) -> bool:
        """False when the account was not an operator."""
        ...


class LinkTokens(Protocol):
    """Signed, expiring tokens for links sent by mail (`mspvault.shared.signed_tokens`)."""

    def issue(self, claims: Mapping[str, str], now: datetime) -> str: ...

    def verify(self, token: str, now: datetime) -> VerifiedToken:
        """Raises InvalidSignedToken (400) for a token that is not ours or too old."""
        ...


class TwoFactorStore(Protocol):
    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> TwoFactor:
        """The user's second factors; an empty `TwoFactor` (nothing on) for a user who never set one up."""
        ...

    async def save(self, two_factor: TwoFactor) -> None: ...

    async def remembered(self, digest: str) -> RememberedDevice | None: ...

    async def remember(self, device: RememberedDevice) -> None: ...

    async def forget_devices(self, user_id: uuid.UUID) -> None:
        """Every remembered device of the user must take the second step again (its providers changed)."""
        ...


class ApiKeyStore(Protocol):
    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> ApiKey | None: ...

    async def save(self, key: ApiKey) -> None: ...


class OrganizationKeyStore(Protocol):
    """Identity's read model of organizations' API keys (fed by OrganizationApiKeyRotated)."""

    async def get(self, organization_id: uuid.UUID) -> OrganizationKey | None: ...

    async def save(self, key: OrganizationKey, as_of: datetime) -> None:
        """Keep the key unless a newer one is already kept (a replayed older event changes nothing)."""
        ...


class Mailer(Protocol):
    async def queue(self, *, to: str, subject: str, body: str) -> None:
        """Queued in the unit of work's transaction: it goes out only if the transaction commits."""
        ...


class PasswordHasher(Protocol):
    async def hash(self, secret: str) -> str: ...

    async def verify(self, stored_hash: str, secret: str) -> bool: ...

    async def verify_unknown_account(self, secret: str) -> None:
        """Spend the time of a verification, so an unknown email answers as slowly as a wrong password."""
        ...

    def needs_rehash(self, stored_hash: str) -> bool: ...


class SigningKeys(Protocol):
    @property
    def current(self) -> SigningKey:
        """The newest key: it signs."""
        ...


class OrganizationDirectory(Protocol):
    async def recovery_target(self, bearer: str, org_id: uuid.UUID, member_id: uuid.UUID) -> RecoveryTarget | None:
        """Asked of the organization service as the caller (their bearer token): the member they may recover and
        what recovering needs; None when they may not, or there is no such member."""
        ...

    async def sole_ownership(self, bearer: str) -> tuple[int, int]:
        """How many organizations and providers the caller is the only Owner / Provider Admin of."""
        ...


@dataclass
class IdentityWork:
    """Everything one handler needs: the transaction, the stores bound to it, the hasher, the signing keys and
    token policy, the email verification links (their tokens, the portal's address), the clock."""

    uow: UnitOfWork
    accounts: AccountStore
    lookup: AccountLookup
    devices: DeviceStore
    refresh_tokens: RefreshTokenStore
    stamps: SecurityStampLog
    operators: OperatorStore
    two_factor: TwoFactorStore
    api_keys: ApiKeyStore
    organization_keys: OrganizationKeyStore
    mail: Mailer
    organizations: OrganizationDirectory
    hasher: PasswordHasher
    keys: SigningKeys
    policy: TokenPolicy
    clock: Clock
    email_tokens: LinkTokens
    public_url: str
