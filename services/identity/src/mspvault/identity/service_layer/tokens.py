"""The OAuth grants: password (log in, start a refresh-token family) and refresh_token (rotate it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mspvault.identity.domain.access_tokens import IssuedTokens, TokenPolicy, access_claims
from mspvault.identity.domain.account import Account, normalize_email
from mspvault.identity.domain.devices import Device
from mspvault.identity.domain.refresh_tokens import (
    RefreshTokenFamily,
    RefreshTokenReused,
    RefreshTokenUnknown,
    new_refresh_token,
    token_digest,
)
from mspvault.identity.service_layer.commands import PasswordGrant, RefreshGrant
from mspvault.identity.service_layer.ports import IdentityWork, SigningKeys
from mspvault.shared.errors import DomainError


class InvalidCredentials(DomainError):
    """Unknown email or wrong password: one error, so the answer does not tell which."""

    def __init__(self) -> None:
        super().__init__("Username or password is incorrect. Try again")


@dataclass(frozen=True)
class TokenIssuer:
    """Signs access tokens with the newest key, under the policy's issuer and lifetime."""

    policy: TokenPolicy
    keys: SigningKeys

    def access_token(self, account: Account, device: Device, client_id: str, *, operator: bool) -> str:
        return self.keys.current.mint(
            user_id=account.id,
            email=account.email,
            name=account.name,
            issuer=self.policy.issuer,
            lifetime_seconds=self.policy.access_token_seconds,
            extra=access_claims(account, device, client_id, operator=operator),
        )


async def is_operator(work: IdentityWork, email: str) -> bool:
    """Named in settings or in the operators table, now (tokens carry the claim; the gateway re-asks)."""
    return email in work.policy.operators or await work.operators.contains(email)


async def password_grant(work: IdentityWork, grant: PasswordGrant) -> tuple[Account, IssuedTokens]:
    account = await work.lookup.by_email(normalize_email(grant.username))
    if account is None:
        await work.hasher.verify_unknown_account(grant.password)
        raise InvalidCredentials()
    if not await work.hasher.verify(account.password_hash, grant.password):
        raise InvalidCredentials()
    new_hash = await work.hasher.hash(grant.password) if work.hasher.needs_rehash(account.password_hash) else None

    now = work.clock()
    if new_hash is not None:
        # Settings raised the hash cost: upgrade this account while the client's hash is at hand.
        account.set_password_hash(new_hash)
        await work.accounts.save_password_hash(account)
    device = await work.devices.record_login(account.id, grant.device, now)
    refresh_token = new_refresh_token()
    lifetime = timedelta(days=work.policy.refresh_token_days)
    family = RefreshTokenFamily.start(
        user_id=account.id, device_id=device.id, first_digest=token_digest(refresh_token), now=now, lifetime=lifetime
    )
    await work.refresh_tokens.add(family)
    operator = await is_operator(work, account.email)
    await work.uow.commit()
    access_token = TokenIssuer(work.policy, work.keys).access_token(account, device, grant.client_id, operator=operator)
    return account, IssuedTokens(access_token, refresh_token, work.policy.access_token_seconds)


async def refresh_grant(work: IdentityWork, grant: RefreshGrant) -> IssuedTokens:
    now = work.clock()
    presented = token_digest(grant.refresh_token)
    family = await work.refresh_tokens.find_by_token_for_update(presented)
    if family is None:
        raise RefreshTokenUnknown()
    next_token = new_refresh_token()
    try:
        family.rotate(presented, token_digest(next_token), now)
    except RefreshTokenReused:
        await work.refresh_tokens.save(family)  # the revocation must stick although the request fails
        await work.uow.commit()
        raise
    account = await work.accounts.get(family.user_id)
    device = await work.devices.get(family.device_id)
    if account is None or device is None:
        raise RefreshTokenUnknown()
    await work.refresh_tokens.save(family)
    await work.refresh_tokens.record_token(family.current_digest, family.id, now)
    await work.devices.touch(device.id, now)
    operator = await is_operator(work, account.email)
    await work.uow.commit()
    access_token = TokenIssuer(work.policy, work.keys).access_token(account, device, grant.client_id, operator=operator)
    return IssuedTokens(access_token, next_token, work.policy.access_token_seconds)
