"""Session control over fakes: password and KDF change, log out everywhere, deletion. Each needs the current
master-password hash, rotates the security stamp, revokes every refresh token and says so on the bus."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from mspvault.identity.domain.account import InvalidMasterPassword, NoTemporaryPassword
from mspvault.identity.domain.account_recovery import RecoveryTarget
from mspvault.identity.domain.devices import DeviceInfo
from mspvault.identity.domain.kdf import InvalidKdf, KdfType
from mspvault.identity.domain.refresh_tokens import RefreshTokenRevoked, RefreshTokenUnknown
from mspvault.identity.service_layer import account_recovery, accounts, sessions, tokens
from mspvault.identity.service_layer.commands import (
    ChangeKdf,
    ChangeMasterPassword,
    DeleteAccount,
    LogOutEverywhere,
    PasswordGrant,
    RecoverAccount,
    RefreshGrant,
    RegisterAccount,
    UpdateTempPassword,
)
from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.stamps import DELETED
from mspvault.shared.contracts.identity import (
    AccountRecoveredV1,
    SecurityStampRotatedV1,
    TempPasswordUpdatedV1,
    UserDeletedV1,
)
from mspvault.shared.errors import NotFoundError
from mspvault.shared.testing.samples import rsa_enc_string
from tests.unit.identity.fakes import FakeIdentityWorld
from tests.unit.identity.samples import enc_string_2, public_key

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
OLD = "b2xkLW1hc3Rlci1wYXNzd29yZC1oYXNo"
NEW = "bmV3LW1hc3Rlci1wYXNzd29yZC1oYXNo"


async def signed_up(world: FakeIdentityWorld) -> tuple[Principal, str]:
    """An account logged in on one device: the caller and its refresh token."""
    command = RegisterAccount(
        email="carol@client.test",
        name="Carol",
        master_password_hash=OLD,
        master_password_hint=None,
        key=enc_string_2(),
        public_key=public_key(),
        encrypted_private_key=enc_string_2(),
        kdf=0,
        kdf_iterations=600_000,
        kdf_memory=None,
        kdf_parallelism=None,
    )
    account = await accounts.register(world.work(), command)
    assert account is not None
    grant = PasswordGrant("carol@client.test", OLD, "cli", DeviceInfo("device-1", 25, "linux"))
    _, issued = await tokens.password_grant(world.work(), grant)
    world.uow.published.clear()
    world.uow.commits = 0
    return Principal(
        user_id=account.id, email=account.email, security_stamp=account.security_stamp
    ), issued.refresh_token


def the_rotation(world: FakeIdentityWorld) -> SecurityStampRotatedV1:
    (event,) = world.uow.events(SecurityStampRotatedV1)
    return event


async def test_changing_the_master_password_rewraps_the_key_and_ends_every_session() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, refresh = await signed_up(world)
    new_key = enc_string_2(64)
    command = ChangeMasterPassword(OLD, NEW, new_key, "the usual")
    await sessions.change_master_password(world.work(), caller, command)

    stored = world.accounts.rows[caller.user_id]
    assert stored.password_hash == f"fake$c1${NEW}"
    assert (stored.protected_user_key, stored.master_password_hint) == (new_key, "the usual")
    assert stored.security_stamp != caller.security_stamp
    rotation = the_rotation(world)
    assert (rotation.user_id, rotation.security_stamp, rotation.reason) == (
        caller.user_id,
        stored.security_stamp,
        "password",
    )
    assert world.stamps.rows[caller.user_id] == (stored.security_stamp, NOW)
    assert world.uow.commits == 1
    with pytest.raises(RefreshTokenRevoked):
        await tokens.refresh_grant(world.work(), RefreshGrant(refresh, "cli"))
    grant = PasswordGrant("carol@client.test", NEW, "cli", DeviceInfo("device-1", 25, "linux"))
    account, _ = await tokens.password_grant(world.work(), grant)
    assert account.security_stamp == stored.security_stamp


@pytest.mark.parametrize(
    "run",
    [
        lambda work, caller: sessions.change_master_password(
            work, caller, ChangeMasterPassword(NEW, NEW, enc_string_2(), None)
        ),
        lambda work, caller: sessions.change_kdf(
            work, caller, ChangeKdf(NEW, NEW, enc_string_2(), 0, 700_000, None, None)
        ),
        lambda work, caller: sessions.log_out_everywhere(work, caller, LogOutEverywhere(NEW)),
        lambda work, caller: sessions.delete_account(work, caller, DeleteAccount(NEW)),
        lambda work, caller: sessions.delete_account(work, caller, DeleteAccount("")),
    ],
    ids=["password", "kdf", "security-stamp", "delete", "delete-without-hash"],
)
async def test_a_wrong_master_password_hash_is_refused_and_changes_nothing(run: object) -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, refresh = await signed_up(world)
    before = world.accounts.rows[caller.user_id]
    with pytest.raises(InvalidMasterPassword) as refused:
        await run(world.work(), caller)  # type: ignore[operator]
    assert (refused.value.message, refused.value.field) == ("Invalid password.", "masterPasswordHash")
    assert world.accounts.rows[caller.user_id] == before
    assert world.uow.published == []
    assert world.uow.commits == 0
    await tokens.refresh_grant(world.work(), RefreshGrant(refresh, "cli"))  # the session lives on


async def test_changing_the_kdf_stores_the_settings_and_ends_every_session() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, refresh = await signed_up(world)
    await sessions.change_kdf(world.work(), caller, ChangeKdf(OLD, NEW, enc_string_2(48), 1, 3, 64, 4))
    stored = world.accounts.rows[caller.user_id]
    assert (stored.kdf.kdf_type, stored.kdf.iterations, stored.kdf.memory, stored.kdf.parallelism) == (
        KdfType.ARGON2ID,
        3,
        64,
        4,
    )
    assert stored.password_hash == f"fake$c1${NEW}"
    assert the_rotation(world).reason == "kdf"
    with pytest.raises(RefreshTokenRevoked):
        await tokens.refresh_grant(world.work(), RefreshGrant(refresh, "cli"))


async def test_kdf_settings_below_the_floor_are_refused_before_anything_else() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, _ = await signed_up(world)
    with pytest.raises(InvalidKdf):
        await sessions.change_kdf(world.work(), caller, ChangeKdf(OLD, NEW, enc_string_2(), 0, 5000, None, None))
    assert world.uow.published == []


async def test_logging_out_everywhere_keeps_the_password_and_rotates_the_stamp() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, refresh = await signed_up(world)
    await sessions.log_out_everywhere(world.work(), caller, LogOutEverywhere(OLD))
    stored = world.accounts.rows[caller.user_id]
    assert stored.password_hash == f"fake$c1${OLD}"
    assert stored.security_stamp != caller.security_stamp
    assert the_rotation(world).reason == "logout"
    with pytest.raises(RefreshTokenRevoked):
        await tokens.refresh_grant(world.work(), RefreshGrant(refresh, "cli"))


async def test_deleting_the_account_removes_it_and_tells_the_services() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, _ = await signed_up(world)
    await sessions.delete_account(world.work(), caller, DeleteAccount(OLD))
    assert caller.user_id not in world.accounts.rows
    rotation, deleted = world.uow.events()
    assert isinstance(rotation, SecurityStampRotatedV1)
    assert rotation.security_stamp == DELETED
    assert isinstance(deleted, UserDeletedV1)
    assert deleted.user_id == caller.user_id
    assert world.stamps.rows[caller.user_id] == (DELETED, NOW)
    assert world.uow.commits == 1


async def test_a_deleted_accounts_refresh_token_is_unknown() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, refresh = await signed_up(world)
    await sessions.delete_account(world.work(), caller, DeleteAccount(OLD))
    with pytest.raises((RefreshTokenUnknown, RefreshTokenRevoked)):
        await tokens.refresh_grant(world.work(), RefreshGrant(refresh, "cli"))


# ---- account recovery (issue 14) ----------------------------------------------------------------------------
ORG, MEMBER = uuid.uuid4(), uuid.uuid4()


def recovery(world: FakeIdentityWorld, caller_token: str, user_id: uuid.UUID) -> None:
    world.organizations.targets[(caller_token, ORG, MEMBER)] = RecoveryTarget(
        MEMBER, user_id, "carol@client.test", rsa_enc_string(), enc_string_2()
    )


async def test_an_admin_the_organization_allows_recovers_the_member_and_ends_her_sessions() -> None:
    world = FakeIdentityWorld(now=NOW)
    carol, refresh = await signed_up(world)
    recovery(world, "bobs-token", carol.user_id)
    bob = Principal(user_id=uuid.uuid4(), email="bob@acme.test")
    new_key = enc_string_2(64)
    await account_recovery.recover(world.work(), bob, "bobs-token", RecoverAccount(ORG, MEMBER, NEW, new_key))

    stored = world.accounts.rows[carol.user_id]
    assert (stored.password_hash, stored.protected_user_key) == (f"fake$c1${NEW}", new_key)
    (rotation, actor), *_ = world.uow.published
    assert isinstance(rotation, SecurityStampRotatedV1)
    assert (rotation.user_id, rotation.reason, actor.user_id) == (carol.user_id, "account_recovery", bob.user_id)
    with pytest.raises(RefreshTokenRevoked):
        await tokens.refresh_grant(world.work(), RefreshGrant(refresh, "cli"))
    (recovered,) = world.uow.events(AccountRecoveredV1)
    assert (recovered.organization_id, recovered.organization_user_id) == (ORG, MEMBER)  # 1508 in that org
    grant = PasswordGrant("carol@client.test", NEW, "cli", DeviceInfo("device-2", 25, "linux"))
    account, _ = await tokens.password_grant(world.work(), grant)
    assert account.force_password_reset  # her client makes her choose her own password (ForcePasswordReset)


async def test_a_recovered_member_replaces_the_admins_password_once_and_her_sessions_end() -> None:
    world = FakeIdentityWorld(now=NOW)
    carol, _ = await signed_up(world)
    command = UpdateTempPassword(NEW, enc_string_2(64), "my hint")
    with pytest.raises(NoTemporaryPassword):  # nobody recovered her: nothing to replace
        await sessions.update_temp_password(world.work(), carol, command)
    recovery(world, "bobs-token", carol.user_id)
    bob = Principal(user_id=uuid.uuid4(), email="bob@acme.test")
    await account_recovery.recover(world.work(), bob, "bobs-token", RecoverAccount(ORG, MEMBER, OLD, enc_string_2()))
    grant = PasswordGrant("carol@client.test", OLD, "cli", DeviceInfo("device-2", 25, "linux"))
    _, issued = await tokens.password_grant(world.work(), grant)
    world.uow.published.clear()

    await sessions.update_temp_password(world.work(), carol, command)
    stored = world.accounts.rows[carol.user_id]
    assert (stored.password_hash, stored.protected_user_key) == (f"fake$c1${NEW}", command.key)
    assert (stored.force_password_reset, stored.master_password_hint) == (False, "my hint")
    assert the_rotation(world).reason == "password"
    assert world.uow.events(TempPasswordUpdatedV1) == [TempPasswordUpdatedV1(user_id=carol.user_id)]  # 1008
    with pytest.raises(RefreshTokenRevoked):
        await tokens.refresh_grant(world.work(), RefreshGrant(issued.refresh_token, "cli"))
    with pytest.raises(NoTemporaryPassword):  # once only
        await sessions.update_temp_password(world.work(), carol, command)


async def test_whom_the_organization_does_not_name_is_not_found_and_nothing_changes() -> None:
    world = FakeIdentityWorld(now=NOW)
    carol, _ = await signed_up(world)
    recovery(world, "bobs-token", carol.user_id)
    mallory = Principal(user_id=uuid.uuid4(), email="mallory@evil.test")
    with pytest.raises(NotFoundError):
        await account_recovery.recover(
            world.work(), mallory, "mallorys-token", RecoverAccount(ORG, MEMBER, NEW, enc_string_2())
        )
    with pytest.raises(NotFoundError):
        await account_recovery.details(world.work(), "mallorys-token", ORG, MEMBER)
    assert world.accounts.rows[carol.user_id].password_hash == f"fake$c1${OLD}"
    assert world.uow.published == []


@pytest.mark.parametrize(("owned", "what"), [((1, 0), "organization"), ((0, 2), "provider")])
async def test_the_only_owner_of_an_organization_or_provider_may_not_delete_the_account(
    owned: tuple[int, int], what: str
) -> None:
    world = FakeIdentityWorld(now=NOW)
    caller, _ = await signed_up(world)
    world.organizations.sole_owner = owned
    with pytest.raises(sessions.SoleOwner) as refused:
        await sessions.delete_account(world.work(), caller, DeleteAccount(OLD, "token"))
    assert f"only owner of at least one {what}" in refused.value.message
    assert caller.user_id in world.accounts.rows
    assert world.uow.published == []
