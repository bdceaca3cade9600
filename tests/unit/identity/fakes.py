"""In-memory stand-ins for identity's ports, so its handlers are tested without PostgreSQL or Argon2."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mspvault.identity.adapters.signing_keys import EmailVerificationTokens, KeyRing
from mspvault.identity.domain.access_tokens import TokenPolicy
from mspvault.identity.domain.account import Account, EmailAlreadyRegistered
from mspvault.identity.domain.account_recovery import RecoveryTarget
from mspvault.identity.domain.api_keys import ApiKey
from mspvault.identity.domain.devices import Device, DeviceInfo
from mspvault.identity.domain.organization_keys import OrganizationKey
from mspvault.identity.domain.refresh_tokens import RefreshTokenFamily
from mspvault.identity.domain.two_factor import RememberedDevice, TwoFactor
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.clock import FixedClock
from mspvault.shared.testing.fakes import FakeUnitOfWork


@dataclass
class FakeAccounts:
    """Accounts by id; what a handler gets is a copy, so only `add`/`save` change what is stored."""

    rows: dict[uuid.UUID, Account] = field(default_factory=dict)
    revisions: dict[uuid.UUID, datetime] = field(default_factory=dict)

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> Account | None:
        return copy.deepcopy(self.rows.get(user_id))

    async def get_by_email(self, email: str) -> Account | None:
        return copy.deepcopy(next((a for a in self.rows.values() if a.email == email), None))

    async def add(self, account: Account) -> None:
        if any(a.email == account.email for a in self.rows.values()):
            raise EmailAlreadyRegistered()
        self.rows[account.id] = copy.deepcopy(account)
        self.revisions[account.id] = account.revision_date

    async def save(self, account: Account) -> None:
        self.rows[account.id] = copy.deepcopy(account)
        self.revisions[account.id] = account.revision_date

    async def save_password_hash(self, account: Account) -> None:
        self.rows[account.id].password_hash = account.password_hash

    async def bump_revision(self, user_id: uuid.UUID, at: datetime) -> None:
        self.revisions[user_id] = at

    async def delete(self, user_id: uuid.UUID) -> None:
        self.rows.pop(user_id, None)

    async def by_email(self, email: str) -> Account | None:  # AccountLookup: the same rows, outside the transaction
        return await self.get_by_email(email)

    async def by_id(self, user_id: uuid.UUID) -> Account | None:
        return await self.get(user_id)


@dataclass
class FakeDevices:
    rows: dict[uuid.UUID, Device] = field(default_factory=dict)
    seen: dict[uuid.UUID, datetime] = field(default_factory=dict)

    async def record_login(self, user_id: uuid.UUID, info: DeviceInfo, now: datetime) -> Device:
        known = next(
            (d for d in self.rows.values() if (d.user_id, d.info.identifier) == (user_id, info.identifier)), None
        )
        device = Device(known.id if known else uuid.uuid4(), user_id, info)
        self.rows[device.id] = device
        self.seen[device.id] = now
        return device

    async def get(self, device_id: uuid.UUID) -> Device | None:
        return self.rows.get(device_id)

    async def touch(self, device_id: uuid.UUID, now: datetime) -> None:
        self.seen[device_id] = now


@dataclass
class FakeRefreshTokens:
    families: dict[uuid.UUID, RefreshTokenFamily] = field(default_factory=dict)
    tokens: dict[str, uuid.UUID] = field(default_factory=dict)  # every digest ever issued -> its family

    async def add(self, family: RefreshTokenFamily) -> None:
        self.families[family.id] = copy.deepcopy(family)
        await self.record_token(family.current_digest, family.id, family.created_at)

    async def record_token(self, digest: str, family_id: uuid.UUID, now: datetime) -> None:
        self.tokens[digest] = family_id

    async def find_by_token_for_update(self, digest: str) -> RefreshTokenFamily | None:
        family_id = self.tokens.get(digest)
        return copy.deepcopy(self.families[family_id]) if family_id else None

    async def save(self, family: RefreshTokenFamily) -> None:
        self.families[family.id] = copy.deepcopy(family)

    async def revoke_all(self, user_id: uuid.UUID, now: datetime) -> int:
        live = [f for f in self.families.values() if f.user_id == user_id and f.revoked_at is None]
        for family in live:
            family.revoked_at = now
        return len(live)


@dataclass
class FakeStamps:
    rows: dict[uuid.UUID, tuple[str, datetime]] = field(default_factory=dict)

    async def record(self, user_id: uuid.UUID, stamp: str, rotated_at: datetime) -> None:
        self.rows[user_id] = (stamp, rotated_at)


@dataclass
class FakeOrganizations:
    """What the organization service would answer, by (bearer, org, member)."""

    targets: dict[tuple[str, uuid.UUID, uuid.UUID], RecoveryTarget] = field(default_factory=dict)
    sole_owner: tuple[int, int] = (0, 0)

    async def sole_ownership(self, bearer: str) -> tuple[int, int]:
        return self.sole_owner

    async def recovery_target(self, bearer: str, org_id: uuid.UUID, member_id: uuid.UUID) -> RecoveryTarget | None:
        return self.targets.get((bearer, org_id, member_id))


@dataclass
class FakeOperators:
    user_ids: set[uuid.UUID] = field(default_factory=set)

    async def contains(self, user_id: uuid.UUID) -> bool:
        return user_id in self.user_ids

    async def add(self, user_id: uuid.UUID, now: datetime) -> bool:
        added = user_id not in self.user_ids
        self.user_ids.add(user_id)
        return added

    async def remove(self, user_id: uuid.UUID) -> bool:
        removed = user_id in self.user_ids
        self.user_ids.discard(user_id)
        return removed


@dataclass
class FakeTwoFactor:
    rows: dict[uuid.UUID, TwoFactor] = field(default_factory=dict)
    remembered_devices: dict[str, RememberedDevice] = field(default_factory=dict)

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> TwoFactor:
        return copy.deepcopy(self.rows.get(user_id)) or TwoFactor(user_id=user_id)

    async def save(self, two_factor: TwoFactor) -> None:
        self.rows[two_factor.user_id] = copy.deepcopy(two_factor)
        self.rows[two_factor.user_id].events = []

    async def remembered(self, digest: str) -> RememberedDevice | None:
        return self.remembered_devices.get(digest)

    async def remember(self, device: RememberedDevice) -> None:
        self.remembered_devices[device.digest] = device

    async def forget_devices(self, user_id: uuid.UUID) -> None:
        self.remembered_devices = {d: r for d, r in self.remembered_devices.items() if r.user_id != user_id}


@dataclass
class FakeApiKeys:
    rows: dict[uuid.UUID, ApiKey] = field(default_factory=dict)

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> ApiKey | None:
        return copy.deepcopy(self.rows.get(user_id))

    async def save(self, key: ApiKey) -> None:
        self.rows[key.user_id] = copy.deepcopy(key)


@dataclass
class FakeOrganizationKeys:
    rows: dict[uuid.UUID, tuple[OrganizationKey, datetime]] = field(default_factory=dict)

    async def get(self, organization_id: uuid.UUID) -> OrganizationKey | None:
        kept = self.rows.get(organization_id)
        return kept[0] if kept else None

    async def save(self, key: OrganizationKey, as_of: datetime) -> None:
        kept = self.rows.get(key.organization_id)
        if kept is None or kept[1] <= as_of:
            self.rows[key.organization_id] = (key, as_of)


@dataclass
class FakeMailer:
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    async def queue(self, *, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


@dataclass
class FakeHasher:
    """Reversible 'hashes' with a cost tag: fast, and a test can ask for a re-hash by changing the tag."""

    cost: str = "c1"
    unknown_checks: int = 0

    async def hash(self, secret: str) -> str:
        return f"fake${self.cost}${secret}"

    async def verify(self, stored_hash: str, secret: str) -> bool:
        return stored_hash.rpartition("$")[2] == secret

    async def verify_unknown_account(self, secret: str) -> None:
        self.unknown_checks += 1

    def needs_rehash(self, stored_hash: str) -> bool:
        return not stored_hash.startswith(f"fake${self.cost}$")


_KEYS: list[KeyRing] = []


def key_ring() -> KeyRing:
    """One RSA key for the whole test session (generating one is slow)."""
    if not _KEYS:
        ring = KeyRing()
        ring.load([SigningKey.generate()])
        _KEYS.append(ring)
    return _KEYS[0]


@dataclass
class FakeIdentityWorld:
    """One `IdentityWork` over fakes, and the fakes themselves for assertions."""

    now: datetime
    accounts: FakeAccounts = field(default_factory=FakeAccounts)
    devices: FakeDevices = field(default_factory=FakeDevices)
    refresh_tokens: FakeRefreshTokens = field(default_factory=FakeRefreshTokens)
    stamps: FakeStamps = field(default_factory=FakeStamps)
    organizations: FakeOrganizations = field(default_factory=FakeOrganizations)
    operators: FakeOperators = field(default_factory=FakeOperators)
    two_factor: FakeTwoFactor = field(default_factory=FakeTwoFactor)
    api_keys: FakeApiKeys = field(default_factory=FakeApiKeys)
    organization_keys: FakeOrganizationKeys = field(default_factory=FakeOrganizationKeys)
    mail: FakeMailer = field(default_factory=FakeMailer)
    hasher: FakeHasher = field(default_factory=FakeHasher)
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    configured_operators: tuple[str, ...] = ()
    clock: FixedClock = field(init=False)

    def __post_init__(self) -> None:
        self.clock = FixedClock(self.now)

    def work(self) -> IdentityWork:
        policy = TokenPolicy.of(
            issuer="mspvault", access_token_seconds=3600, refresh_token_days=30, operators=self.configured_operators
        )
        return IdentityWork(
            uow=self.uow,  # type: ignore[arg-type]
            accounts=self.accounts,
            lookup=self.accounts,
            devices=self.devices,
            refresh_tokens=self.refresh_tokens,
            stamps=self.stamps,
            organizations=self.organizations,
            operators=self.operators,
            two_factor=self.two_factor,
            api_keys=self.api_keys,
            organization_keys=self.organization_keys,
            mail=self.mail,
            hasher=self.hasher,
            keys=key_ring(),
            policy=policy,
            clock=self.clock,
            email_tokens=EmailVerificationTokens(key_ring(), timedelta(hours=48)),
            public_url="https://vault.test",
        )
