"""The OAuth grants: password (log in, start a refresh-token family) and refresh_token (rotate it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from mspvault.identity.domain.access_tokens import SCOPE, IssuedTokens, TokenPolicy, access_claims
from mspvault.identity.domain.account import Account
from mspvault.identity.domain.api_keys import API_SCOPE, user_of_client_id
from mspvault.identity.domain.devices import Device, DeviceInfo
from mspvault.identity.domain.organization_keys import ORGANIZATION_SCOPE, organization_of_client_id
from mspvault.identity.domain.refresh_tokens import (
    RefreshTokenFamily,
    RefreshTokenReused,
    RefreshTokenUnknown,
    new_refresh_token,
    token_digest,
)
from mspvault.identity.service_layer.commands import ClientCredentialsGrant, PasswordGrant, RefreshGrant
from mspvault.identity.service_layer.ports import IdentityWork, SigningKeys
from mspvault.identity.service_layer.two_factor import InvalidTwoFactorCode, second_step
from mspvault.shared.contracts.envelope import Actor, EventData
from mspvault.shared.contracts.identity import UserLoggedInV1, UserLoginFailedV1, UserTwoStepLoginFailedV1
from mspvault.shared.errors import DomainError
from mspvault.shared.observability.origin import acting
from mspvault.shared.text import normalize_email


class InvalidCredentials(DomainError, message="Username or password is incorrect. Try again"):
    """Unknown email or wrong password: one error, so the answer does not tell which."""


class InvalidClient(DomainError, message="Invalid client credentials."):
    """An unknown API-key client id or a wrong secret: one error, so the answer does not tell which."""


@dataclass(frozen=True)
class TokenIssuer:
    """Signs access tokens with the newest key, under the policy's issuer and lifetime."""

    policy: TokenPolicy
    keys: SigningKeys

    def access_token(
        self, account: Account, device: Device, client_id: str, *, operator: bool, scope: tuple[str, ...] = SCOPE
    ) -> str:
        return self.keys.current.mint(
            user_id=account.id,
            email=account.email,
            name=account.name,
            issuer=self.policy.issuer,
            lifetime_seconds=self.policy.access_token_seconds,
            extra=access_claims(account, device, client_id, operator=operator, scope=scope),
        )


async def is_operator(work: IdentityWork, account: Account) -> bool:
    """Named in settings (by email) or in the operators table (by account), now, and only once the account proved
    it reads that email: registering an operator's address first gains nothing (issue 11 #2). Tokens carry the
    claim; the gateway re-asks on every operator route."""
    if not account.email_verified:
        return False
    return account.email in work.policy.operators or await work.operators.contains(account.id)


def login_actor(account: Account, device: DeviceInfo) -> Actor:
    """The user logging in, with the device type their login form names (the audit log shows it) and the address."""
    return acting(account.id).model_copy(update={"device_type": device.type})


async def _record_failed_login(work: IdentityWork, event: EventData, actor: Actor) -> None:
    """A refused login is still audited: its event commits alone (nothing else was written), then the refusal."""
    work.uow.publish(event, actor=actor)
    await work.uow.commit()


async def password_grant(work: IdentityWork, grant: PasswordGrant) -> tuple[Account, IssuedTokens]:
    account = await work.lookup.by_email(normalize_email(grant.username))
    if account is None:
        await work.hasher.verify_unknown_account(grant.password)
        await work.uow.commit()  # nothing to record, but the same round trip as a known account's failure
        raise InvalidCredentials()
    actor = login_actor(account, grant.device)
    if not await work.hasher.verify(account.password_hash, grant.password):
        await _record_failed_login(work, UserLoginFailedV1(user_id=account.id), actor)
        raise InvalidCredentials()
    try:
        step = await second_step(work, account, grant.device.identifier, grant.two_factor)
    except InvalidTwoFactorCode:
        await _record_failed_login(work, UserTwoStepLoginFailedV1(user_id=account.id), actor)
        raise
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
    operator = await is_operator(work, account)
    work.uow.publish(UserLoggedInV1(user_id=account.id), actor=actor)
    await work.uow.commit()
    access_token = TokenIssuer(work.policy, work.keys).access_token(account, device, grant.client_id, operator=operator)
    issued = IssuedTokens(access_token, refresh_token, work.policy.access_token_seconds)
    return account, replace(issued, two_factor_token=step.remember_token)


async def organization_grant(work: IdentityWork, client_id: str, client_secret: str) -> IssuedTokens:
    """An organization's API key logs in: a token for the organization (subject: its id), scope `api.organization`,
    carrying the key's stamp, which the organization service checks on every call."""
    org_id = organization_of_client_id(client_id)
    key = await work.organization_keys.get(org_id) if org_id is not None else None
    if key is None or not key.admits(client_secret):
        raise InvalidClient()
    access_token = work.keys.current.mint(
        user_id=key.organization_id,
        email="",
        issuer=work.policy.issuer,
        lifetime_seconds=work.policy.access_token_seconds,
        extra={
            "client_id": client_id,
            "client_sub": str(key.organization_id),
            "sstamp": key.key_stamp,
            "scope": list(ORGANIZATION_SCOPE),
            "email_verified": False,
            "premium": False,
        },
    )
    return IssuedTokens(access_token, "", work.policy.access_token_seconds, scope=" ".join(ORGANIZATION_SCOPE))


async def client_credentials_grant(work: IdentityWork, grant: ClientCredentialsGrant) -> tuple[Account, IssuedTokens]:
    """A personal API key logs in: an access token with scope `api` and no refresh token (the client logs in again
    with its key). No second step: the key is its own proof, as in Bitwarden."""
    user_id = user_of_client_id(grant.client_id)
    key = await work.api_keys.get(user_id) if user_id is not None else None
    if key is None or not key.admits(grant.client_secret):
        raise InvalidClient()
    account = await work.accounts.get(key.user_id)
    if account is None:
        raise InvalidClient()
    device = await work.devices.record_login(account.id, grant.device, work.clock())
    operator = await is_operator(work, account)
    work.uow.publish(UserLoggedInV1(user_id=account.id), actor=login_actor(account, grant.device))
    await work.uow.commit()
    issuer = TokenIssuer(work.policy, work.keys)
    access_token = issuer.access_token(account, device, grant.client_id, operator=operator, scope=API_SCOPE)
    return account, IssuedTokens(access_token, "", work.policy.access_token_seconds, scope=" ".join(API_SCOPE))


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
    operator = await is_operator(work, account)
    await work.uow.commit()
    access_token = TokenIssuer(work.policy, work.keys).access_token(account, device, grant.client_id, operator=operator)
    return IssuedTokens(access_token, next_token, work.policy.access_token_seconds)
