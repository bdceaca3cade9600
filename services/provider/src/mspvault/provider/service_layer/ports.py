"""What the handlers need from the outside world, as protocols; adapters implement them, tests may fake them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypedDict, Unpack
from urllib.parse import urlencode

from mspvault.provider.domain.client import ClientLink, KnownOrganization
from mspvault.provider.domain.invite_token import InviteTokens
from mspvault.provider.domain.roster import Roster
from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.clock import Clock
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.db.users_read_model import UsersReadModel


class ProviderStore(Protocol):
    async def add_roster(self, roster: Roster) -> None: ...

    async def load_roster(self, provider_id: uuid.UUID, *, lock: bool = False) -> Roster:
        """The provider and all its users; raises ProviderNotFound. `lock` serializes roster changes."""
        ...

    async def save_roster(self, roster: Roster) -> None: ...

    async def add_client(self, link: ClientLink) -> None: ...

    async def load_client(self, provider_id: uuid.UUID, link_id: uuid.UUID) -> ClientLink:
        """The client link, locked for update; raises ClientNotFound."""
        ...

    async def save_client(self, link: ClientLink) -> None: ...

    async def delete_client(self, link: ClientLink) -> None: ...

    async def client_of_organization(self, organization_id: uuid.UUID) -> ClientLink | None:
        """The link of an organization to its provider, locked for update, if it is a client."""
        ...

    async def providers_of_account(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        """The providers where the account has a provider-user row (any status)."""
        ...

    async def provider_accounts(self, provider_id: uuid.UUID) -> list[uuid.UUID]:
        """The accounts of the provider's users (whatever their status): whose sync shows its clients."""
        ...

    async def known_organization(self, organization_id: uuid.UUID) -> KnownOrganization | None: ...

    async def is_confirmed_owner(self, organization_id: uuid.UUID, user_id: uuid.UUID) -> bool: ...

    async def has_confirmed_owner(self, organization_id: uuid.UUID) -> bool: ...

    async def queue_mail(self, *, to: str, subject: str, body: str) -> None: ...

    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None: ...


class MemberFacts(TypedDict):
    """What an organization's event says of one of its members (`ProviderReadModels.save_member`)."""

    organization_id: uuid.UUID
    user_id: uuid.UUID | None  # None for an invite: no account yet
    type: int
    status: int
    as_of: datetime  # when the organization recorded the event


class ProviderReadModels(UsersReadModel, Protocol):
    """This service's copies of other services' data (users, organizations, their members), fed by their events.

    Every write is an upsert or delete keyed by the other service's id, so applying an event twice converges.
    """

    async def delete_user(self, user_id: uuid.UUID) -> None: ...

    async def save_organization(
        self, organization_id: uuid.UUID, *, name: str, provider_id: uuid.UUID | None, plan_type: int, seats: int | None
    ) -> None: ...

    async def update_organization(
        self, organization_id: uuid.UUID, *, name: str, enabled: bool, provider_id: uuid.UUID | None
    ) -> None: ...

    async def rename_client(self, organization_id: uuid.UUID, name: str, now: datetime) -> uuid.UUID | None:
        """Keep the client link's copy of the name; returns the provider when the name changed."""
        ...

    async def delete_organization(self, organization_id: uuid.UUID) -> None:
        """The organization and its members."""
        ...

    async def save_member(self, member_id: uuid.UUID, **member: Unpack[MemberFacts]) -> None:
        """Unless the row reflects an event the organization recorded after `as_of` (issue 11 #5)."""
        ...

    async def delete_member(
        self, member_id: uuid.UUID, *, organization_id: uuid.UUID, type: int, as_of: datetime
    ) -> None:
        """Leaves a revoked tombstone without an account, so an older event cannot bring the member back."""
        ...


class ProviderAuditLog(Protocol):
    """The audit log's table. Each method records one entry once (keyed by its envelope id) where the rules of
    `service_layer/audit.py` place it, reading the facts they need from our tables as it writes."""

    async def record_provider_event(self, entry: AuditEntry, *, client_link: bool) -> None:
        """If `entry.provider_id` is a provider we hold; a `client_link` entry also goes to that provider's client
        log, with the link's id (from the link while it exists, else from the entry that recorded its creation)."""
        ...

    async def record_client_event(self, entry: AuditEntry, *, attribute: bool) -> None:
        """In the client log of the organization's provider while it is a client; otherwise only if the entry names
        a provider we hold. With `attribute`, the entry's provider is the client's when the acting user acts for it
        (an active (confirmed) user of the provider who is not a confirmed Owner of the organization), else none."""
        ...


@dataclass(frozen=True)
class InviteLinks:
    public_url: str

    def accept_url(
        self,
        *,
        provider_id: uuid.UUID,
        provider_name: str,
        provider_user_id: uuid.UUID,
        email: str,
        token: str,
        setup: bool = False,
    ) -> str:
        """The portal page for this invitation: `providers/setup` for the first admin of a Pending provider (who
        makes the provider key there, as in Bitwarden's web vault), `providers/accept-provider` for everyone else.
        The name lets the page say what the invitation is for before the invitee logs in."""
        query = urlencode(
            {
                "providerId": str(provider_id),
                "providerUserId": str(provider_user_id),
                "email": email,
                "providerName": provider_name,
                "token": token,
            }
        )
        page = "providers/setup" if setup else "providers/accept-provider"
        return f"{self.public_url.rstrip('/')}/#/{page}?{query}"


@dataclass
class ProviderWork:
    """Everything one handler needs: the transaction, the stores bound to it, invite tokens and links, the clock."""

    uow: UnitOfWork
    store: ProviderStore
    read_models: ProviderReadModels
    audit: ProviderAuditLog
    tokens: InviteTokens
    links: InviteLinks
    clock: Clock
