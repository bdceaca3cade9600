"""Identity's handlers over fakes: what each publishes, stores and commits, and what it refuses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from mspvault.client.mailbox import link_params
from mspvault.identity.domain.account import AccountKeysAlreadySet
from mspvault.identity.domain.devices import DeviceInfo
from mspvault.identity.domain.refresh_tokens import RefreshTokenReused, RefreshTokenUnknown
from mspvault.identity.service_layer import accounts, tokens
from mspvault.identity.service_layer.commands import (
    AddOperator,
    PasswordGrant,
    RefreshGrant,
    RegisterAccount,
    RemoveOperator,
    SetKeyPair,
    SetUserKeyId,
    VerifyEmail,
)
from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.verifier import JwksVerifier
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.identity import UserKeysSetV1, UserLoggedInV1, UserLoginFailedV1, UserRegisteredV1
from mspvault.shared.errors import DomainError, NotFoundError
from mspvault.shared.signed_tokens import ExpiredSignedToken
from tests.unit.identity.fakes import FakeIdentityWorld, key_ring
from tests.unit.identity.samples import enc_string_2, public_key, user_key_id

NOW = datetime(2026, 11, 29, 3, 52, 26, tzinfo=UTC)
PASSWORD_HASH = "bWFzdGVyLXBhc3N3b3JkLWhhc2g="
DEVICE = DeviceInfo("device-1", 25, "linux")


def registration(email: str = "Alice@Acme.test", *, keys: bool = True) -> RegisterAccount:
    return RegisterAccount(
        email=email,
        name="Alice",
        master_password_hash=PASSWORD_HASH,
        master_password_hint=None,
        key=enc_string_2(),
        public_key=public_key() if keys else None,
        encrypted_private_key=enc_string_2() if keys else None,
        kdf=0,
        kdf_iterations=600_000,
        kdf_memory=None,
        kdf_parallelism=None,
    )


async def registered(world: FakeIdentityWorld, **kwargs: object) -> Principal:
    account = await accounts.register(world.work(), registration(**kwargs))  # type: ignore[arg-type]
    assert account is not None
    world.uow.published.clear()
    world.uow.commits = 0
    return Principal(user_id=account.id, email=account.email)


async def test_registering_stores_the_hash_publishes_the_user_and_its_keys_and_commits() -> None:
    world = FakeIdentityWorld(now=NOW)
    account = await accounts.register(world.work(), registration())
    assert account is not None
    stored = world.accounts.rows[account.id]
    assert stored.email == "alice@acme.test"
    assert stored.password_hash == f"fake$c1${PASSWORD_HASH}"
    assert world.accounts.revisions[account.id] == NOW
    registered_event, keys_event = world.uow.events()
    assert isinstance(registered_event, UserRegisteredV1)
    assert (registered_event.user_id, registered_event.email, registered_event.public_key) == (
        account.id,
        "alice@acme.test",
        public_key(),
    )
    assert isinstance(keys_event, UserKeysSetV1)
    assert {actor for _, actor in world.uow.published} == {Actor(user_id=account.id)}
    assert world.uow.commits == 1


async def test_a_second_registration_of_an_email_changes_nothing_and_does_not_tell() -> None:
    """Issue 11 #9: no second account, nothing published, and no refusal that says the email is taken."""
    world = FakeIdentityWorld(now=NOW)
    first = await registered(world)
    before = dict(world.accounts.rows)
    assert await accounts.register(world.work(), registration("ALICE@acme.test")) is None
    assert world.accounts.rows == before
    assert world.accounts.rows[first.user_id].password_hash == f"fake$c1${PASSWORD_HASH}"
    assert world.uow.published == []
    assert world.uow.commits == 0


async def test_setting_the_same_key_pair_again_is_a_quiet_no_op_and_another_is_refused() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller = await registered(world, keys=False)
    pair = SetKeyPair(public_key(), enc_string_2())
    world.clock.advance(timedelta(minutes=1))
    await accounts.set_key_pair(world.work(), caller, pair)
    assert [type(e) for e in world.uow.events()] == [UserKeysSetV1]
    assert world.accounts.revisions[caller.user_id] == NOW + timedelta(minutes=1)
    await accounts.set_key_pair(world.work(), caller, pair)
    assert world.uow.commits == 1
    with pytest.raises(AccountKeysAlreadySet):
        await accounts.set_key_pair(world.work(), caller, SetKeyPair(public_key(), enc_string_2()))
    assert len(world.uow.published) == 1


async def test_the_user_key_id_is_saved_without_an_event() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller = await registered(world)
    key_id = user_key_id()
    await accounts.set_user_key_id(world.work(), caller, SetUserKeyId(key_id))
    assert world.accounts.rows[caller.user_id].user_key_id == key_id
    assert world.uow.published == []
    assert world.uow.commits == 1


def last_link(world: FakeIdentityWorld) -> dict[str, str]:
    """The query of the verification link in the last mail queued."""
    body = world.mail.sent[-1][2]
    return link_params(next(word for word in body.split() if word.startswith("https://vault.test/#/verify-email?")))


async def verified(world: FakeIdentityWorld, caller: Principal) -> None:
    """Ask for the verification mail and open its link, as the user would."""
    await accounts.send_verification_email(world.work(), caller)
    to, _subject, _body = world.mail.sent[-1]
    assert to == caller.email
    params = last_link(world)
    await accounts.verify_email(world.work(), VerifyEmail(params["userId"], params["token"]))


async def test_adding_an_operator_takes_an_existing_verified_account_and_twice_says_so() -> None:
    world = FakeIdentityWorld(now=NOW)
    with pytest.raises(accounts.OperatorNeedsVerifiedAccount):  # nobody has registered the address yet
        await accounts.add_operator(world.work(), AddOperator("alice@acme.test"))
    caller = await registered(world)
    with pytest.raises(accounts.OperatorNeedsVerifiedAccount):  # registered, not verified
        await accounts.add_operator(world.work(), AddOperator("alice@acme.test"))
    assert world.operators.user_ids == set()
    await verified(world, caller)
    assert await accounts.add_operator(world.work(), AddOperator("Alice@Acme.test")) is True
    assert await accounts.add_operator(world.work(), AddOperator("alice@acme.test")) is False
    assert world.operators.user_ids == {caller.user_id}
    assert await accounts.remove_operator(world.work(), RemoveOperator("alice@acme.test")) is True
    assert await accounts.remove_operator(world.work(), RemoveOperator("alice@acme.test")) is False
    assert world.operators.user_ids == set()


async def test_whoever_registers_an_operator_address_first_is_no_operator_until_the_email_is_verified() -> None:
    """Issue 11 #2: operators named by email were honoured for whoever registered the address first."""
    world = FakeIdentityWorld(now=NOW, configured_operators=("alice@acme.test",))
    caller = await registered(world)
    _, issued = await tokens.password_grant(
        world.work(), PasswordGrant("alice@acme.test", PASSWORD_HASH, "cli", DEVICE)
    )
    verifier = JwksVerifier("http://unused")
    verifier.add_jwks(key_ring().jwks())
    claims = jwt.decode(issued.access_token, options={"verify_signature": False})
    assert (await verifier.verify(issued.access_token)).operator is False
    assert claims["email_verified"] is False
    account = world.accounts.rows[caller.user_id]
    assert await tokens.is_operator(world.work(), account) is False

    await verified(world, caller)
    account = world.accounts.rows[caller.user_id]
    assert account.email_verified_at == NOW
    assert await tokens.is_operator(world.work(), account) is True
    _, issued = await tokens.password_grant(
        world.work(), PasswordGrant("alice@acme.test", PASSWORD_HASH, "cli", DEVICE)
    )
    assert jwt.decode(issued.access_token, options={"verify_signature": False})["email_verified"] is True


async def test_a_verification_link_works_only_for_its_account_its_email_and_its_lifetime() -> None:
    world = FakeIdentityWorld(now=NOW)
    alice = await registered(world)
    bob = await registered(world, email="bob@acme.test")
    await verified(world, alice)
    with pytest.raises(accounts.EmailAlreadyVerified):
        await accounts.send_verification_email(world.work(), alice)
    await accounts.send_verification_email(world.work(), bob)
    params = last_link(world)
    token = params["token"]
    for user_id, bad_token in (
        (str(alice.user_id), token),  # Bob's link, Alice's id
        (str(uuid.uuid4()), token),  # an unknown user
        ("not-a-uuid", token),
        (params["userId"], token[:-2] + "xx"),  # tampered
        (params["userId"], "garbage"),
    ):
        with pytest.raises(DomainError):
            await accounts.verify_email(world.work(), VerifyEmail(user_id, bad_token))
    assert world.accounts.rows[bob.user_id].email_verified_at is None
    world.clock.advance(timedelta(hours=49))
    with pytest.raises(ExpiredSignedToken):
        await accounts.verify_email(world.work(), VerifyEmail(params["userId"], token))
    assert world.accounts.rows[bob.user_id].email_verified_at is None


async def test_a_login_records_the_device_starts_a_family_and_signs_an_operator_token() -> None:
    world = FakeIdentityWorld(now=NOW, configured_operators=("alice@acme.test",))
    caller = await registered(world)
    await verified(world, caller)
    world.uow.commits = 0
    account, issued = await tokens.password_grant(
        world.work(), PasswordGrant("ALICE@acme.test", PASSWORD_HASH, "cli", DEVICE)
    )
    assert account.id == caller.user_id
    ((device_id, device),) = world.devices.rows.items()
    assert (device.user_id, world.devices.seen[device_id]) == (caller.user_id, NOW)
    (family,) = world.refresh_tokens.families.values()
    assert (family.user_id, family.device_id, family.expires_at) == (
        caller.user_id,
        device_id,
        NOW + timedelta(days=30),
    )
    verifier = JwksVerifier("http://unused")
    verifier.add_jwks(key_ring().jwks())
    principal = await verifier.verify(issued.access_token)
    assert (principal.user_id, principal.operator) == (caller.user_id, True)
    assert issued.expires_in == 3600
    assert world.uow.commits == 1
    # Audited as User_LoggedIn (1000) with the device type the login form named.
    (login_event,) = [(e, a) for e, a in world.uow.published if isinstance(e, UserLoggedInV1)]
    assert login_event[0].user_id == caller.user_id
    assert (login_event[1].user_id, login_event[1].device_type) == (caller.user_id, 25)


async def test_a_login_at_a_new_hash_cost_upgrades_the_stored_hash() -> None:
    world = FakeIdentityWorld(now=NOW)
    caller = await registered(world)
    world.hasher.cost = "c2"
    await tokens.password_grant(world.work(), PasswordGrant("alice@acme.test", PASSWORD_HASH, "cli", DEVICE))
    assert world.accounts.rows[caller.user_id].password_hash == f"fake$c2${PASSWORD_HASH}"


@pytest.mark.parametrize("username", ["alice@acme.test", "nobody@acme.test"])
async def test_a_wrong_password_and_an_unknown_email_fail_alike(username: str) -> None:
    world = FakeIdentityWorld(now=NOW)
    caller = await registered(world)
    with pytest.raises(tokens.InvalidCredentials):
        await tokens.password_grant(world.work(), PasswordGrant(username, "wrong", "cli", DEVICE))
    assert world.uow.commits == 1  # both commit once: only the known account's failure is recorded (1005)
    published = [event for event, _ in world.uow.published]
    assert published == ([] if username == "nobody@acme.test" else [UserLoginFailedV1(user_id=caller.user_id)])
    assert world.refresh_tokens.families == {}
    assert world.hasher.unknown_checks == (username == "nobody@acme.test")


async def test_refresh_rotates_and_a_spent_token_revokes_the_family_for_good() -> None:
    world = FakeIdentityWorld(now=NOW)
    await registered(world)
    _, first = await tokens.password_grant(world.work(), PasswordGrant("alice@acme.test", PASSWORD_HASH, "cli", DEVICE))
    world.clock.advance(timedelta(hours=1))
    second = await tokens.refresh_grant(world.work(), RefreshGrant(first.refresh_token, "cli"))
    assert second.refresh_token != first.refresh_token
    (device_id,) = world.devices.rows
    assert world.devices.seen[device_id] == NOW + timedelta(hours=1)
    commits = world.uow.commits

    with pytest.raises(RefreshTokenReused):
        await tokens.refresh_grant(world.work(), RefreshGrant(first.refresh_token, "cli"))
    (family,) = world.refresh_tokens.families.values()
    assert family.revoked_at == NOW + timedelta(hours=1)
    assert world.uow.commits == commits + 1  # the revocation sticks although the request fails
    with pytest.raises(RefreshTokenUnknown):
        await tokens.refresh_grant(world.work(), RefreshGrant("never-issued", "cli"))


async def test_an_unknown_caller_cannot_set_keys() -> None:
    world = FakeIdentityWorld(now=NOW)
    stranger = Principal(user_id=uuid.uuid4(), email="x@y.test")
    with pytest.raises(NotFoundError):
        await accounts.set_key_pair(world.work(), stranger, SetKeyPair(public_key(), enc_string_2()))
