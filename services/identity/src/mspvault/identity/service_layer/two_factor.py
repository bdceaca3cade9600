"""Two-step login: setting providers up and off (each guarded by the master-password hash), the recovery code, and
the second step of a password login. Events go out only when what other services keep changes (a provider on or
off), through the outbox, with the user as actor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.identity.domain.account import Account, validate_email
from mspvault.identity.domain.two_factor import (
    RememberedDevice,
    TwoFactor,
    TwoFactorProvider,
    UnknownTwoFactorProvider,
    code_digest,
    new_authenticator_key,
)
from mspvault.identity.service_layer.commands import (
    DisableTwoFactor,
    EnableAuthenticator,
    EnableEmail,
    RecoverTwoFactor,
    SendEmailLogin,
    SendEmailSetup,
    TwoFactorAttempt,
    VerifySecret,
)
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.errors import DomainError, NotFoundError
from mspvault.shared.text import normalize_email

CODE_SUBJECT = "Your MSPVault two-step login code"


class UserVerificationFailed(DomainError, message="User verification failed.", field="masterPasswordHash"):
    """A wrong master-password hash on a guarded settings route (Bitwarden's wording)."""


class TwoFactorRequired(Exception):
    """The password was right and a second step is due: the token endpoint answers with these providers."""

    def __init__(self, providers: dict[int, dict[str, str] | None]) -> None:
        super().__init__("Two factor required.")
        self.providers = providers


class InvalidTwoFactorCode(DomainError, message="Two-step token is invalid. Try again."): ...


@dataclass(frozen=True)
class SecondStep:
    """What a successful second step leaves: a remember-device token to hand out, if one was asked for."""

    remember_token: str | None = None


def redact_email(email: str) -> str:
    """`a****@acme.test`: enough for the user to recognise the address, not enough to learn it."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}{'*' * max(len(name) - 1, 4)}@{domain}"


async def verified_account(work: IdentityWork, user_id: uuid.UUID, master_password_hash: str) -> Account:
    """The caller's account after checking the master-password hash (every two-step and API-key setting needs it)."""
    account = await work.accounts.get(user_id)
    if account is None:
        raise NotFoundError("User not found.")
    if not master_password_hash or not await work.hasher.verify(account.password_hash, master_password_hash):
        raise UserVerificationFailed()
    return account


async def _account_by_password(work: IdentityWork, email: str, master_password_hash: str) -> Account:
    """Anonymous routes (send a login code, recover): a wrong email or password answers alike, after a hash."""
    account = await work.lookup.by_email(normalize_email(email))
    if account is None:
        await work.hasher.verify_unknown_account(master_password_hash)
        raise UserVerificationFailed()
    if not await work.hasher.verify(account.password_hash, master_password_hash):
        raise UserVerificationFailed()
    return account


async def _publish_and_commit(work: IdentityWork, settings: TwoFactor, *, providers_changed: bool) -> None:
    await work.two_factor.save(settings)
    if providers_changed:
        # A remembered device must take the new second step; and the profile's twoFactorEnabled changed.
        await work.two_factor.forget_devices(settings.user_id)
        await work.accounts.bump_revision(settings.user_id, work.clock())
    for event in settings.events:
        work.uow.publish(event, actor=Actor(user_id=settings.user_id))
    settings.events.clear()
    await work.uow.commit()


# ---- reads ----------------------------------------------------------------------------------------------------------
async def providers_of(work: IdentityWork, caller: Principal) -> list[TwoFactorProvider]:
    return (await work.two_factor.get(caller.user_id)).providers


async def authenticator_setup(work: IdentityWork, caller: Principal, command: VerifySecret) -> tuple[bool, str]:
    """(enabled, key): the key in use, or a new one for the user to scan (kept only once a code confirms it)."""
    await verified_account(work, caller.user_id, command.master_password_hash)
    settings = await work.two_factor.get(caller.user_id)
    if settings.authenticator_key is not None:
        return True, settings.authenticator_key
    return False, new_authenticator_key()


async def email_setup(work: IdentityWork, caller: Principal, command: VerifySecret) -> tuple[bool, str]:
    """(enabled, address): the address in use, or the account's own to offer."""
    account = await verified_account(work, caller.user_id, command.master_password_hash)
    settings = await work.two_factor.get(caller.user_id)
    return (True, settings.email) if settings.email is not None else (False, account.email)


async def recovery_code(work: IdentityWork, caller: Principal, command: VerifySecret) -> str:
    await verified_account(work, caller.user_id, command.master_password_hash)
    settings = await work.two_factor.get(caller.user_id, for_update=True)
    code = settings.ensure_recovery_code()
    await _publish_and_commit(work, settings, providers_changed=False)
    return code


# ---- writes ---------------------------------------------------------------------------------------------------------
async def enable_authenticator(work: IdentityWork, caller: Principal, command: EnableAuthenticator) -> TwoFactor:
    await verified_account(work, caller.user_id, command.master_password_hash)
    settings = await work.two_factor.get(caller.user_id, for_update=True)
    settings.enable_authenticator(command.key, command.token, work.clock())
    await _publish_and_commit(work, settings, providers_changed=True)
    return settings


async def send_email_setup(work: IdentityWork, caller: Principal, command: SendEmailSetup) -> None:
    await verified_account(work, caller.user_id, command.master_password_hash)
    email = validate_email(command.email)
    settings = await work.two_factor.get(caller.user_id, for_update=True)
    code = settings.start_email_setup(email, work.clock())
    await work.mail.queue(to=email, subject=CODE_SUBJECT, body=_code_body(code, "to confirm this address"))
    await _publish_and_commit(work, settings, providers_changed=False)


async def enable_email(work: IdentityWork, caller: Principal, command: EnableEmail) -> TwoFactor:
    await verified_account(work, caller.user_id, command.master_password_hash)
    settings = await work.two_factor.get(caller.user_id, for_update=True)
    settings.enable_email(validate_email(command.email), command.token, work.clock())
    await _publish_and_commit(work, settings, providers_changed=True)
    return settings


async def disable(work: IdentityWork, caller: Principal, command: DisableTwoFactor) -> TwoFactor:
    await verified_account(work, caller.user_id, command.master_password_hash)
    try:
        provider = TwoFactorProvider(command.provider)
    except ValueError as error:
        raise UnknownTwoFactorProvider() from error
    settings = await work.two_factor.get(caller.user_id, for_update=True)
    was_on = settings.is_on(provider)
    settings.disable(provider)
    await _publish_and_commit(work, settings, providers_changed=was_on)
    return settings


async def send_email_login(work: IdentityWork, command: SendEmailLogin) -> None:
    """Mail a login code when email is on; answered the same either way (it proves the password, nothing more)."""
    account = await _account_by_password(work, command.email, command.master_password_hash)
    settings = await work.two_factor.get(account.id, for_update=True)
    await _mail_login_code(work, settings)
    await work.uow.commit()


async def recover(work: IdentityWork, command: RecoverTwoFactor) -> None:
    account = await _account_by_password(work, command.email, command.master_password_hash)
    settings = await work.two_factor.get(account.id, for_update=True)
    if not settings.recover(command.recovery_code):
        raise DomainError("Invalid information. Try again.", field="recoveryCode")
    await _publish_and_commit(work, settings, providers_changed=True)


# ---- the second step of a login -------------------------------------------------------------------------------------
async def second_step(
    work: IdentityWork, account: Account, device_identifier: str, attempt: TwoFactorAttempt | None
) -> SecondStep:
    """Nothing to do for a user without two-step login. Otherwise the attempt must pass, or the login is refused:
    `TwoFactorRequired` (no attempt, or a remembered device no longer known: the client asks for a code) or
    `InvalidTwoFactorCode`. Runs inside the login's unit of work; the caller commits on success."""
    settings = await work.two_factor.get(account.id, for_update=True)
    if not settings.enabled:
        return SecondStep()
    now = work.clock()
    if attempt is None or not attempt.token:
        raise TwoFactorRequired(await _challenge(work, settings))
    if attempt.provider == TwoFactorProvider.REMEMBER:
        remembered = await work.two_factor.remembered(code_digest(attempt.token))
        if remembered is None or not remembered.admits(account.id, device_identifier, now):
            raise TwoFactorRequired(await _challenge(work, settings))
        return SecondStep()
    if attempt.provider == TwoFactorProvider.AUTHENTICATOR:
        passed = settings.check_authenticator(attempt.token, now)
    elif attempt.provider == TwoFactorProvider.EMAIL:
        passed = settings.check_email(attempt.token, now)
    elif attempt.provider == TwoFactorProvider.RECOVERY_CODE:
        passed = settings.recover(attempt.token)
    else:
        passed = False
    if not passed:
        raise InvalidTwoFactorCode()
    await work.two_factor.save(settings)
    if settings.events:  # the recovery code turned every provider off
        await work.two_factor.forget_devices(account.id)
        await work.accounts.bump_revision(account.id, now)
        for event in settings.events:
            work.uow.publish(event, actor=Actor(user_id=account.id))
        settings.events.clear()
    if not attempt.remember or not settings.enabled:
        return SecondStep()
    token, remembered = RememberedDevice.issue(account.id, device_identifier, now)
    await work.two_factor.remember(remembered)
    return SecondStep(remember_token=token)


async def _challenge(work: IdentityWork, settings: TwoFactor) -> dict[int, dict[str, str] | None]:
    """Bitwarden's `TwoFactorProviders2`. With email as the only provider the code is mailed at once (so is
    Bitwarden's); otherwise the client asks for it (`send-email-login`)."""
    providers: dict[int, dict[str, str] | None] = {}
    for provider in settings.providers:
        if provider is TwoFactorProvider.EMAIL and settings.email is not None:
            providers[int(provider)] = {"Email": redact_email(settings.email)}
        else:
            providers[int(provider)] = None
    if settings.providers == [TwoFactorProvider.EMAIL]:
        await _mail_login_code(work, settings)
        await work.uow.commit()
    return providers


async def _mail_login_code(work: IdentityWork, settings: TwoFactor) -> None:
    code = settings.start_email_login(work.clock())
    if code is None or settings.email is None:
        return
    await work.mail.queue(to=settings.email, subject=CODE_SUBJECT, body=_code_body(code, "to log in"))
    await work.two_factor.save(settings)


def _code_body(code: str, purpose: str) -> str:
    return f"Your two-step login code is {code}.\n\nEnter it {purpose}. It expires in 10 minutes; it works once.\n"
