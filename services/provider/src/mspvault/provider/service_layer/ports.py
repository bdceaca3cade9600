"""What the handlers need from the outside world, as protocols; adapters implement them, tests may fake them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlencode

from mspvault.provider.domain.client import ClientLink, KnownOrganization
from mspvault.provider.domain.invite_token import InviteTokens
from mspvault.provider.domain.roster import Roster
from mspvault.shared.db.unit_of_work import UnitOfWork


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

    async def known_organization(self, organization_id: uuid.UUID) -> KnownOrganization | None: ...

    async def is_confirmed_owner(self, organization_id: uuid.UUID, user_id: uuid.UUID) -> bool: ...

    async def has_confirmed_owner(self, organization_id: uuid.UUID) -> bool: ...

    async def queue_mail(self, *, to: str, subject: str, body: str) -> None: ...

    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None: ...


@dataclass(frozen=True)
class InviteLinks:
    public_url: str

    def accept_url(self, *, provider_id: uuid.UUID, provider_user_id: uuid.UUID, email: str, token: str) -> str:
        query = urlencode(
            {"providerId": str(provider_id), "providerUserId": str(provider_user_id), "email": email, "token": token}
        )
        return f"{self.public_url.rstrip('/')}/#/providers/accept-provider?{query}"


@dataclass
class ProviderWork:
    """Everything one command needs: the transaction, the store bound to it, invite tokens and links, the clock."""

    uow: UnitOfWork
    store: ProviderStore
    tokens: InviteTokens
    links: InviteLinks
    clock: Callable[[], datetime]
