"""Commands on accounts: register, verify the email, set the key pair, set the user-key id, add or remove an
operator."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from mspvault.identity.domain.account import (
    Account,
    EmailAlreadyRegistered,
    EmailVerificationInvalid,
    KeyPair,
    validate_email,
    validate_master_password_hash,
)
from mspvault.identity.domain.kdf import KdfSettings
from mspvault.identity.service_layer.commands import (
    AddOperator,
    RegisterAccount,
    RemoveOperator,
    SetKeyPair,
    SetUserKeyId,
    VerifyEmail,
)
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.identity import UserKeysSetV1, UserRegisteredV1
from mspvault.shared.errors import DomainError, NotFoundError


class EmailAlreadyVerified(DomainError, message="Email already verified."): ...


class OperatorNeedsVerifiedAccount(
    DomainError,
    message="No account with a verified email has this address: the person registers, verifies the email "
    "(the link mailed by POST /api/accounts/verify-email), and then becomes an operator.",
    field="email",
): ...


async def register(work: IdentityWork, command: RegisterAccount) -> Account | None:
    """The new account; None when the email already has one. The caller answers both alike (issue 11 #9: registration
    must not tell who has an account): nothing is stored or published then, and the password was hashed all the
    same, so the answer takes as long."""
    kdf = KdfSettings.parse(command.kdf, command.kdf_iterations, command.kdf_memory, command.kdf_parallelism)
    key_pair = None
    if command.public_key is not None or command.encrypted_private_key is not None:
        key_pair = KeyPair.parse(command.public_key or "", command.encrypted_private_key or "")
    account = Account.register(
        email=command.email,
        name=command.name,
        master_password_hint=command.master_password_hint,
        kdf=kdf,
        protected_user_key=command.key,
        key_pair=key_pair,
        now=work.clock(),
    )
    # Hashed only once everything else is known to be valid; no connection is held while it runs.
    account.set_password_hash(await work.hasher.hash(validate_master_password_hash(command.master_password_hash)))
    try:
        await work.accounts.add(account)
    except EmailAlreadyRegistered:
        return None
    actor = Actor(user_id=account.id)
    public_key = key_pair.public_key if key_pair else None
    work.uow.publish(
        UserRegisteredV1(user_id=account.id, email=account.email, name=account.name, public_key=public_key),
        actor=actor,
    )
    if key_pair is not None:
        work.uow.publish(UserKeysSetV1(user_id=account.id, public_key=key_pair.public_key), actor=actor)
    await work.uow.commit()
    return account


async def _load_for_update(work: IdentityWork, user_id: uuid.UUID) -> Account:
    account = await work.accounts.get(user_id, for_update=True)
    if account is None:
        raise NotFoundError("User not found.")
    return account


async def set_key_pair(work: IdentityWork, caller: Principal, command: SetKeyPair) -> Account:
    key_pair = KeyPair.parse(command.public_key, command.encrypted_private_key)
    account = await _load_for_update(work, caller.user_id)
    if account.set_key_pair(key_pair, work.clock()):
        await work.accounts.save(account)
        work.uow.publish(
            UserKeysSetV1(user_id=account.id, public_key=key_pair.public_key), actor=Actor(user_id=caller.user_id)
        )
        await work.uow.commit()
    return account


async def set_user_key_id(work: IdentityWork, caller: Principal, command: SetUserKeyId) -> None:
    account = await _load_for_update(work, caller.user_id)
    account.set_user_key_id(command.user_key_id, work.clock())
    await work.accounts.save(account)
    await work.uow.commit()


async def send_verification_email(work: IdentityWork, caller: Principal) -> None:
    """Mail the caller a link that proves they read their address (Bitwarden's `POST /accounts/verify-email`)."""
    account = await _load_for_update(work, caller.user_id)
    if account.email_verified:
        raise EmailAlreadyVerified()
    token = work.email_tokens.issue({"sub": str(account.id), "email": account.email}, work.clock())
    query = urlencode({"userId": str(account.id), "token": token})
    link = f"{work.public_url.rstrip('/')}/#/verify-email?{query}"
    body = (
        f"Someone asked to verify {account.email} for an MSPVault account. If it was you, open this link:\n\n"
        f"{link}\n\nIf it was not, ignore this message."
    )
    await work.mail.queue(to=account.email, subject="Verify your email address", body=body)
    await work.uow.commit()


async def verify_email(work: IdentityWork, command: VerifyEmail) -> None:
    """Mark the account's email verified when the link is ours, live and for this account and its current email.
    Every failure answers alike (400 `Invalid token.`), an unknown user id included. Using a link twice is fine."""
    verified = work.email_tokens.verify(command.token, work.clock())  # raises InvalidSignedToken / Expired
    try:
        user_id = uuid.UUID(command.user_id)
    except ValueError as error:
        raise EmailVerificationInvalid() from error
    if verified.claims.get("sub") != str(user_id):
        raise EmailVerificationInvalid()
    account = await work.accounts.get(user_id, for_update=True)
    if account is None:
        raise EmailVerificationInvalid()
    if account.verify_email(verified.claims.get("email", ""), work.clock()):
        await work.accounts.save(account)
        await work.uow.commit()


async def _verified_account(work: IdentityWork, email: str) -> Account:
    account = await work.accounts.get_by_email(validate_email(email))
    if account is None or not account.email_verified:
        raise OperatorNeedsVerifiedAccount()
    return account


async def add_operator(work: IdentityWork, command: AddOperator) -> bool:
    """Make an existing account whose email is verified an operator; False when it already was one. The flag
    reaches tokens at the next login/refresh (the gateway re-asks identity on every operator route)."""
    account = await _verified_account(work, command.email)
    added = await work.operators.add(account.id, work.clock())
    await work.uow.commit()
    return added


async def remove_operator(work: IdentityWork, command: RemoveOperator) -> bool:
    """False when the account was not an operator of the table (one named in settings stays one until the
    settings change). The gateway stops honouring the operator within its cache time (≤ 30 s)."""
    account = await work.accounts.get_by_email(validate_email(command.email))
    if account is None:
        return False
    removed = await work.operators.remove(account.id)
    await work.uow.commit()
    return removed
