"""Two-step login and personal API keys over fakes: TOTP with one step of drift and single use, email codes, the
recovery code, remembered devices, the events other services keep, and the master-password hash on every change."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

import pyotp
import pytest

from mspvault.identity.domain.devices import DeviceInfo
from mspvault.identity.domain.two_factor import (
    InvalidAuthenticatorKey,
    InvalidTwoFactorToken,
    TwoFactor,
    TwoFactorProvider,
    matching_totp_step,
    new_authenticator_key,
    totp_step,
)
from mspvault.identity.service_layer import api_keys, projections, tokens, two_factor
from mspvault.identity.service_layer.commands import (
    ClientCredentialsGrant,
    DisableTwoFactor,
    EnableAuthenticator,
    EnableEmail,
    PasswordGrant,
    RecoverTwoFactor,
    SendEmailLogin,
    SendEmailSetup,
    TwoFactorAttempt,
    VerifySecret,
)
from mspvault.identity.service_layer.tokens import InvalidClient
from mspvault.identity.service_layer.two_factor import (
    InvalidTwoFactorCode,
    TwoFactorRequired,
    UserVerificationFailed,
    redact_email,
)
from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.verifier import JwksVerifier
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.identity import (
    TwoFactorDisabledV1,
    TwoFactorEnabledV1,
    TwoFactorRecoveredV1,
    UserTwoStepLoginFailedV1,
)
from mspvault.shared.contracts.organization import OrganizationApiKeyRotatedV1
from mspvault.shared.errors import DomainError
from tests.unit.identity.fakes import FakeIdentityWorld, key_ring
from tests.unit.identity.test_identity_handlers import DEVICE, NOW, PASSWORD_HASH, registered

KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(when: datetime, key: str = KEY) -> str:
    return pyotp.TOTP(key).at(when)


def login(
    code: str | None = None, provider: int = 0, *, remember: bool = False, device: DeviceInfo = DEVICE
) -> PasswordGrant:
    attempt = TwoFactorAttempt(provider, code, remember) if code is not None else None
    return PasswordGrant("alice@acme.test", PASSWORD_HASH, "cli", device, attempt)


async def with_authenticator(world: FakeIdentityWorld) -> Principal:
    user = await registered(world)
    await two_factor.enable_authenticator(world.work(), user, EnableAuthenticator(PASSWORD_HASH, KEY, code_at(NOW)))
    world.uow.published.clear()
    return user


# ---- the domain ---------------------------------------------------------------------------------------------------
def test_a_code_is_accepted_one_step_either_side_and_not_two() -> None:
    step = totp_step(NOW)
    for offset in (-1, 0, 1):
        assert matching_totp_step(KEY, code_at(NOW + timedelta(seconds=30 * offset)), NOW, 0) == step + offset
    for offset in (-2, 2):
        assert matching_totp_step(KEY, code_at(NOW + timedelta(seconds=30 * offset)), NOW, 0) is None
    assert matching_totp_step(KEY, "12345", NOW, 0) is None
    assert matching_totp_step(KEY, "abcdef", NOW, 0) is None


def test_a_code_works_once_and_no_older_code_works_after_it() -> None:
    settings = TwoFactor(user_id=uuid.uuid4(), authenticator_key=KEY)
    assert settings.check_authenticator(code_at(NOW), NOW)
    assert not settings.check_authenticator(code_at(NOW), NOW)  # replayed
    assert not settings.check_authenticator(code_at(NOW - timedelta(seconds=30)), NOW)  # older, still in the window
    assert settings.check_authenticator(code_at(NOW + timedelta(seconds=30)), NOW)  # the next one


def test_keys_must_be_base32_of_at_least_80_bits() -> None:
    settings = TwoFactor(user_id=uuid.uuid4())
    with pytest.raises(InvalidAuthenticatorKey):
        settings.enable_authenticator("SHORT", code_at(NOW), NOW)
    with pytest.raises(InvalidAuthenticatorKey):
        settings.enable_authenticator("1" * 32, code_at(NOW), NOW)
    with pytest.raises(InvalidTwoFactorToken):
        settings.enable_authenticator(KEY, "000000" if code_at(NOW) != "000000" else "111111", NOW)
    assert len(new_authenticator_key()) == 32
    assert not settings.enabled


def test_emails_are_redacted_in_the_challenge() -> None:
    assert redact_email("alice@acme.test") == "a****@acme.test"
    assert redact_email("al@x.test") == "a****@x.test"


# ---- setting providers up and off ------------------------------------------------------------------------------------
async def test_enabling_the_authenticator_needs_the_password_and_a_code_and_publishes_it() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await registered(world)
    with pytest.raises(UserVerificationFailed):
        await two_factor.authenticator_setup(world.work(), user, VerifySecret("wrong"))
    enabled, key = await two_factor.authenticator_setup(world.work(), user, VerifySecret(PASSWORD_HASH))
    assert not enabled
    with pytest.raises(UserVerificationFailed):
        await two_factor.enable_authenticator(world.work(), user, EnableAuthenticator("wrong", key, code_at(NOW, key)))
    await two_factor.enable_authenticator(
        world.work(), user, EnableAuthenticator(PASSWORD_HASH, key, code_at(NOW, key))
    )
    (event,) = world.uow.events()
    assert isinstance(event, TwoFactorEnabledV1)
    assert (event.user_id, event.provider, event.providers) == (user.user_id, 0, [0])
    assert world.accounts.revisions[user.user_id] == NOW  # the profile's twoFactorEnabled changed
    assert await two_factor.authenticator_setup(world.work(), user, VerifySecret(PASSWORD_HASH)) == (True, key)
    assert await two_factor.providers_of(world.work(), user) == [TwoFactorProvider.AUTHENTICATOR]
    assert world.two_factor.rows[user.user_id].recovery_code is not None


async def test_disabling_needs_the_password_and_publishes_what_is_left() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await with_authenticator(world)
    with pytest.raises(UserVerificationFailed):
        await two_factor.disable(world.work(), user, DisableTwoFactor("wrong", 0))
    with pytest.raises(DomainError):
        await two_factor.disable(world.work(), user, DisableTwoFactor(PASSWORD_HASH, 3))
    assert world.uow.events() == []
    await two_factor.disable(world.work(), user, DisableTwoFactor(PASSWORD_HASH, 0))
    (event,) = world.uow.events()
    assert isinstance(event, TwoFactorDisabledV1)
    assert event.providers == []
    await two_factor.disable(world.work(), user, DisableTwoFactor(PASSWORD_HASH, 0))  # already off: nothing more
    assert len(world.uow.events()) == 1


async def test_email_is_enabled_with_the_code_mailed_to_that_address() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await registered(world)
    await two_factor.send_email_setup(world.work(), user, SendEmailSetup(PASSWORD_HASH, "Alice.2fa@Acme.test"))
    ((to, _, body),) = world.mail.sent
    assert to == "alice.2fa@acme.test"
    code = body.split("is ")[1][:6]
    with pytest.raises(InvalidTwoFactorToken):
        await two_factor.enable_email(world.work(), user, EnableEmail(PASSWORD_HASH, "other@acme.test", code))
    await two_factor.enable_email(world.work(), user, EnableEmail(PASSWORD_HASH, "alice.2fa@acme.test", code))
    assert world.uow.events(TwoFactorEnabledV1)[0].providers == [1]


# ---- the second step of a login --------------------------------------------------------------------------------------
async def test_without_two_step_login_a_password_is_enough() -> None:
    world = FakeIdentityWorld(now=NOW)
    await registered(world)
    _, issued = await tokens.password_grant(world.work(), login())
    assert issued.two_factor_token is None


async def test_a_login_without_a_code_is_asked_for_the_providers() -> None:
    world = FakeIdentityWorld(now=NOW)
    await with_authenticator(world)
    with pytest.raises(TwoFactorRequired) as required:
        await tokens.password_grant(world.work(), login())
    assert required.value.providers == {0: None}
    assert world.refresh_tokens.families == {}


async def test_a_right_code_logs_in_once_and_a_wrong_one_is_refused() -> None:
    world = FakeIdentityWorld(now=NOW)
    await with_authenticator(world)
    world.clock.now = NOW + timedelta(seconds=60)
    wrong = "000000" if code_at(world.clock()) != "000000" else "111111"
    with pytest.raises(InvalidTwoFactorCode):
        await tokens.password_grant(world.work(), login(wrong))
    # The refusal is audited (User_FailedLogIn2fa, 1006) in a commit of its own.
    assert isinstance(world.uow.published[-1][0], UserTwoStepLoginFailedV1)
    _, issued = await tokens.password_grant(world.work(), login(code_at(world.clock())))
    assert issued.access_token
    with pytest.raises(InvalidTwoFactorCode):  # the same code again
        await tokens.password_grant(world.work(), login(code_at(world.clock())))


async def test_a_remembered_device_skips_the_second_step_only_on_that_device() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await with_authenticator(world)
    world.clock.now = NOW + timedelta(seconds=60)
    _, issued = await tokens.password_grant(world.work(), login(code_at(world.clock()), remember=True))
    assert issued.two_factor_token
    _, again = await tokens.password_grant(world.work(), login(issued.two_factor_token, provider=5))
    assert again.two_factor_token is None
    other_device = DeviceInfo("device-2", 25, "linux")
    with pytest.raises(TwoFactorRequired):
        await tokens.password_grant(world.work(), login(issued.two_factor_token, provider=5, device=other_device))
    world.clock.now = NOW + timedelta(days=31)
    with pytest.raises(TwoFactorRequired):
        await tokens.password_grant(world.work(), login(issued.two_factor_token, provider=5))
    # Turning a provider off forgets every remembered device.
    world.clock.now = NOW + timedelta(seconds=90)
    _, issued = await tokens.password_grant(
        world.work(), login(code_at(world.clock() + timedelta(seconds=30)), remember=True)
    )
    await two_factor.disable(world.work(), user, DisableTwoFactor(PASSWORD_HASH, 0))
    assert world.two_factor.remembered_devices == {}


async def test_email_as_the_only_provider_mails_a_code_that_works_once() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await registered(world)
    await two_factor.send_email_setup(world.work(), user, SendEmailSetup(PASSWORD_HASH, "alice@acme.test"))
    code = world.mail.sent[-1][2].split("is ")[1][:6]
    await two_factor.enable_email(world.work(), user, EnableEmail(PASSWORD_HASH, "alice@acme.test", code))
    with pytest.raises(TwoFactorRequired) as required:
        await tokens.password_grant(world.work(), login())
    assert required.value.providers == {1: {"Email": "a****@acme.test"}}
    login_code = world.mail.sent[-1][2].split("is ")[1][:6]
    await tokens.password_grant(world.work(), login(login_code, provider=1))
    with pytest.raises(InvalidTwoFactorCode):
        await tokens.password_grant(world.work(), login(login_code, provider=1))


async def test_wrong_authenticator_codes_leave_the_other_providers_working() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await with_authenticator(world)
    await two_factor.send_email_setup(world.work(), user, SendEmailSetup(PASSWORD_HASH, "alice@acme.test"))
    code = world.mail.sent[-1][2].split("is ")[1][:6]
    await two_factor.enable_email(world.work(), user, EnableEmail(PASSWORD_HASH, "alice@acme.test", code))
    for _ in range(5):
        with pytest.raises(InvalidTwoFactorCode):
            await tokens.password_grant(world.work(), login("000001"))
    await two_factor.send_email_login(world.work(), SendEmailLogin("alice@acme.test", PASSWORD_HASH))
    login_code = world.mail.sent[-1][2].split("is ")[1][:6]
    _, issued = await tokens.password_grant(world.work(), login(login_code, provider=1))
    assert issued.access_token


async def test_the_recovery_code_turns_everything_off_once() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await with_authenticator(world)
    code = await two_factor.recovery_code(world.work(), user, VerifySecret(PASSWORD_HASH))
    with pytest.raises(UserVerificationFailed):
        await two_factor.recover(world.work(), RecoverTwoFactor("alice@acme.test", "wrong", code))
    with pytest.raises(DomainError):
        await two_factor.recover(world.work(), RecoverTwoFactor("alice@acme.test", PASSWORD_HASH, "X" * 32))
    await two_factor.recover(world.work(), RecoverTwoFactor("alice@acme.test", PASSWORD_HASH, code.lower()))
    assert isinstance(world.uow.events()[-1], TwoFactorRecoveredV1)
    assert await two_factor.providers_of(world.work(), user) == []
    assert await two_factor.recovery_code(world.work(), user, VerifySecret(PASSWORD_HASH)) != code
    await tokens.password_grant(world.work(), login())  # no second step left


async def test_the_recovery_code_at_login_turns_everything_off_and_logs_in() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await with_authenticator(world)
    code = await two_factor.recovery_code(world.work(), user, VerifySecret(PASSWORD_HASH))
    _, issued = await tokens.password_grant(world.work(), login(code, provider=8))
    assert issued.access_token
    assert world.uow.events(TwoFactorRecoveredV1)
    assert await two_factor.providers_of(world.work(), user) == []
    # Set up again: the spent code is no way in any more.
    await two_factor.enable_authenticator(
        world.work(), user, EnableAuthenticator(PASSWORD_HASH, KEY, code_at(NOW + timedelta(seconds=30)))
    )
    with pytest.raises(InvalidTwoFactorCode):
        await tokens.password_grant(world.work(), login(code, provider=8))


# ---- personal API keys -----------------------------------------------------------------------------------------------
async def test_an_api_key_logs_in_without_the_second_step_and_rotating_refuses_the_old_secret() -> None:
    world = FakeIdentityWorld(now=NOW)
    user = await with_authenticator(world)
    with pytest.raises(UserVerificationFailed):
        await api_keys.view(world.work(), user, VerifySecret("wrong"))
    key = await api_keys.view(world.work(), user, VerifySecret(PASSWORD_HASH))
    assert len(key.client_secret) == 30
    assert (await api_keys.view(world.work(), user, VerifySecret(PASSWORD_HASH))).client_secret == key.client_secret
    grant = ClientCredentialsGrant(f"user.{user.user_id}", key.client_secret, DEVICE)
    account, issued = await tokens.client_credentials_grant(world.work(), grant)
    assert account.id == user.user_id
    assert (issued.refresh_token, issued.scope) == ("", "api")
    rotated = await api_keys.rotate(world.work(), user, VerifySecret(PASSWORD_HASH))
    assert rotated.client_secret != key.client_secret
    with pytest.raises(InvalidClient):
        await tokens.client_credentials_grant(world.work(), grant)
    for client_id in ("user.not-a-uuid", "organization.x", f"user.{uuid.uuid4()}"):
        with pytest.raises(InvalidClient):
            await tokens.client_credentials_grant(
                world.work(), ClientCredentialsGrant(client_id, rotated.client_secret, DEVICE)
            )


# ---- organization API keys (identity's read model and the token) ----------------------------------------------
async def test_an_organization_key_logs_in_for_the_organization_with_its_stamp_until_replaced() -> None:
    world = FakeIdentityWorld(now=NOW)
    org_id = uuid.uuid4()

    async def rotated(secret: str, stamp: str, at: datetime) -> None:
        event = OrganizationApiKeyRotatedV1(
            organization_id=org_id, client_secret_digest=hashlib.sha256(secret.encode()).hexdigest(), key_stamp=stamp
        )
        envelope = Envelope.wrap(event, producer="organization", correlation_id=None)
        await projections.organization_api_key_rotated(
            world.work(), event, envelope.model_copy(update={"occurred_at": at})
        )

    await rotated("first-secret", "stamp-1", NOW)
    issued = await tokens.organization_grant(world.work(), f"organization.{org_id}", "first-secret")
    verifier = JwksVerifier("http://unused")
    verifier.add_jwks(key_ring().jwks())
    principal = await verifier.verify(issued.access_token)
    assert (principal.organization_id, principal.user_id, principal.security_stamp) == (org_id, org_id, "stamp-1")
    assert (issued.refresh_token, issued.scope) == ("", "api.organization")

    await rotated("second-secret", "stamp-2", NOW + timedelta(seconds=1))
    await rotated("first-secret", "stamp-1", NOW)  # a replayed older event changes nothing
    with pytest.raises(InvalidClient):
        await tokens.organization_grant(world.work(), f"organization.{org_id}", "first-secret")
    with pytest.raises(InvalidClient):
        await tokens.organization_grant(world.work(), f"organization.{uuid.uuid4()}", "second-secret")
    again = await tokens.organization_grant(world.work(), f"organization.{org_id}", "second-secret")
    assert (await verifier.verify(again.access_token)).security_stamp == "stamp-2"
