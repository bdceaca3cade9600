"""Multi-user flows built from the API client: register, join a provider or an organization through the invite
mail, and wait for what other services learn from events.

The services coordinate through Kafka, so a step that depends on another service's read model (an org created
from `ClientOrgCreated`, a collection the vault has not heard of yet) can briefly answer 404; `eventually` retries
exactly those answers, with a deadline, and lets every other error through at once.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from mspvault.client.api import ApiError, MSPVaultClient
from mspvault.client.crypto import KdfConfig
from mspvault.client.mailbox import InviteKind, wait_for_invitation, wait_for_verification_link
from mspvault.client.organizations import CollectionAccess, OrganizationUserType
from mspvault.client.providers import ProviderUserType

T = TypeVar("T")

# What a not-yet-propagated event looks like from outside: the resource is unknown (404) to that service yet.
NOT_YET = frozenset({404})


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    password: str = field(repr=False)
    role: str = ""


@dataclass(frozen=True)
class Connection:
    """How to reach the gateway; makes one client per user."""

    server: str
    ca: Path | None = None
    kdf: KdfConfig = field(default_factory=KdfConfig.pbkdf2)
    timeout: float = 30.0

    def client(self) -> MSPVaultClient:
        return MSPVaultClient(self.server, verify=str(self.ca) if self.ca else True, timeout=self.timeout)


async def eventually(
    action: Callable[[], Awaitable[T]],
    *,
    timeout: float = 30.0,  # noqa: ASYNC109  # a deadline for all the tries, not for one call
    retry_on: Collection[int] = NOT_YET,
    interval: float = 0.2,
) -> T:
    """Run `action` until it does not fail with one of the `retry_on` statuses; the last error after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await action()
        except ApiError as error:
            if error.status not in retry_on or time.monotonic() >= deadline:
                raise
        await asyncio.sleep(interval)


async def wait_for(
    check: Callable[[], Awaitable[bool]],
    *,
    what: str,
    timeout: float = 30.0,  # noqa: ASYNC109
    interval: float = 0.2,
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up after {timeout:g}s waiting for {what}")
        await asyncio.sleep(interval)


async def sign_up(connection: Connection, person: Person) -> MSPVaultClient:
    """Register `person` and return a client logged in (and unlocked) as them. The caller closes it."""
    client = connection.client()
    try:
        await client.register(person.email, person.password, name=person.name, kdf=connection.kdf)
        await client.login(person.email, person.password)
    except BaseException:
        await client.aclose()
        raise
    return client


async def verify_email(client: MSPVaultClient, email: str, mail_dir: Path, *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Verify a logged-in client's email through the mail sink: ask for the link, open it, log in again so the
    new tokens carry `email_verified` (and, for an operator's address, the operator claim). A client already
    verified stays as it is."""
    try:
        await client.request_email_verification()
    except ApiError as error:
        if error.status == 400 and "already verified" in error.message:
            return
        raise
    link = await wait_for_verification_link(mail_dir, email, timeout=timeout)
    await client.verify_email(link["userId"], link["token"])
    await client.refresh()


async def operator_session(
    connection: Connection,
    email: str,
    password: str,
    mail_dir: Path,
    *,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> MSPVaultClient:
    """A client logged in as a platform operator named in settings: registered if needed (registering a taken email
    changes nothing), logged in, its email verified through the mail sink (operators count only once verified)."""
    client = connection.client()
    try:
        await client.register(email, password, name="Operator", kdf=connection.kdf)
        await client.login(email, password)
        await verify_email(client, email, mail_dir, timeout=timeout)
    except BaseException:
        await client.aclose()
        raise
    return client


async def log_in(connection: Connection, person: Person) -> MSPVaultClient:
    client = connection.client()
    try:
        await client.login(person.email, person.password)
        await client.vault.sync()  # opens the org and provider keys the profile carries
    except BaseException:
        await client.aclose()
        raise
    return client


async def join_provider(
    admin: MSPVaultClient,
    member: MSPVaultClient,
    provider_id: str,
    email: str,
    user_type: ProviderUserType,
    mail_dir: Path,
    *,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> str:
    """The provider's invite → accept → confirm: `admin` invites, `member` accepts from the mail, `admin` hands
    over the provider key. Returns the provider-user id."""
    await admin.providers.invite_users(provider_id, [email], user_type)
    invitation = await wait_for_invitation(mail_dir, email, InviteKind.PROVIDER, timeout=timeout)
    await member.providers.accept_invite(provider_id, invitation.membership_id, invitation.token)
    await eventually(lambda: admin.providers.confirm_user(provider_id, invitation.membership_id), timeout=timeout)
    return invitation.membership_id


async def join_organization(
    admin: MSPVaultClient,
    member: MSPVaultClient,
    organization_id: str,
    email: str,
    mail_dir: Path,
    *,
    member_type: OrganizationUserType = OrganizationUserType.USER,
    collections: Iterable[CollectionAccess] = (),
    confirm: bool = True,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> str:
    """Invite → accept → confirm (the org key wrapped to the member's public key). With `confirm=False` it stops
    after the accept, for a caller that hands the key over another way (e.g. `bw confirm org-member`). Returns the
    organization-user id."""
    access = list(collections)
    await eventually(
        lambda: admin.organizations.invite_members(organization_id, [email], member_type, collections=access),
        timeout=timeout,
    )
    invitation = await wait_for_invitation(mail_dir, email, InviteKind.ORGANIZATION, timeout=timeout)
    member_id = invitation.membership_id
    await member.organizations.accept_invite(organization_id, member_id, invitation.token)
    if confirm:
        await eventually(lambda: admin.organizations.confirm_member(organization_id, member_id), timeout=timeout)
    return member_id


# Invite → accept, no confirm: for callers that hand the org key over another way (e.g. `bw confirm org-member`).
invite_and_accept = functools.partial(join_organization, confirm=False)
