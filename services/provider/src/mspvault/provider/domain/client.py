"""A client link (Bitwarden's ProviderOrganization): an organization the provider administers.

It holds the org key wrapped by the provider key (`2.`), which is how every confirmed provider user reaches the
client. Creating a client publishes the facts the organization service needs to create the organization itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from mspvault.provider.domain.encstrings import require_symmetric
from mspvault.provider.domain.errors import ClientHasNoConfirmedOwner, OrganizationAlreadyLinked, PlanNotAllowed
from mspvault.provider.domain.provider import Provider
from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.provider import (
    ClientOrgAddedV1,
    ClientOrgCreatedV1,
    ClientOrgRemovedV1,
    ClientSeatsChangedV1,
    ClientSettingsChangedV1,
)
from mspvault.shared.text import normalize_email


@dataclass(frozen=True)
class ClientSettings:
    # Our departure from Bitwarden 2024.7: provider users may work with client items unless turned off per client
    # (by any provider user, PUT .../clients/{id}); ClientSettingsChanged tells the vault.
    provider_access_to_items: bool = True

    def to_json(self) -> dict[str, bool]:
        return {"providerAccessToItems": self.provider_access_to_items}

    @classmethod
    def from_json(cls, raw: dict[str, object] | None) -> ClientSettings:
        raw = raw or {}
        return cls(provider_access_to_items=bool(raw.get("providerAccessToItems", True)))


@dataclass(frozen=True)
class KnownOrganization:
    """An existing organization as the provider service's read model knows it."""

    id: uuid.UUID
    name: str
    plan_type: int
    seats: int | None
    provider_id: uuid.UUID | None


@dataclass
class ClientLink:
    id: uuid.UUID
    provider_id: uuid.UUID
    organization_id: uuid.UUID
    key: str | None
    organization_name: str
    plan_type: int
    seats: int
    creation_date: datetime
    revision_date: datetime
    settings: ClientSettings = field(default_factory=ClientSettings)
    events: list[EventData] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def create(
        cls,
        provider: Provider,
        *,
        name: str,
        owner_email: str,
        plan_type: int,
        seats: int,
        key: str,
        public_key: str,
        encrypted_private_key: str,
        collection_name: str | None = None,
        now: datetime,
    ) -> ClientLink:
        """A new client organization; the organization service creates it from the event (keys made by the client)."""
        if not provider.allows_plan(plan_type):
            raise PlanNotAllowed()
        require_symmetric(key, "key")
        require_symmetric(encrypted_private_key, "keyPair.encryptedPrivateKey")
        if collection_name is not None:
            require_symmetric(collection_name, "collectionName")
        new_organization = KnownOrganization(uuid.uuid4(), name, plan_type, seats, provider_id=None)
        link = cls._linking(provider, new_organization, key, now)
        owner_email = normalize_email(owner_email)
        link.events.append(
            ClientOrgCreatedV1(
                provider_id=provider.id,
                organization_id=link.organization_id,
                provider_name=provider.name,
                name=name,
                billing_email=provider.billing_email or owner_email,
                owner_email=owner_email,
                plan_type=plan_type,
                seats=seats,
                public_key=public_key,
                encrypted_private_key=encrypted_private_key,
                collection_name=collection_name,
                provider_access_to_items=link.settings.provider_access_to_items,
            )
        )
        return link

    @classmethod
    def add_existing(cls, provider: Provider, org: KnownOrganization, key: str, now: datetime) -> ClientLink:
        """Link an organization the caller owns. The caller's ownership is checked before, by the handler."""
        if org.provider_id is not None:
            raise OrganizationAlreadyLinked()
        require_symmetric(key, "key")
        link = cls._linking(provider, org, key, now)
        link.events.append(
            ClientOrgAddedV1(
                provider_id=provider.id,
                organization_id=org.id,
                provider_name=provider.name,
                provider_access_to_items=link.settings.provider_access_to_items,
            )
        )
        return link

    @classmethod
    def _linking(cls, provider: Provider, org: KnownOrganization, key: str, now: datetime) -> ClientLink:
        return cls(
            id=uuid.uuid4(),
            provider_id=provider.id,
            organization_id=org.id,
            key=key,
            organization_name=org.name,
            plan_type=org.plan_type,
            seats=org.seats or 0,
            creation_date=now,
            revision_date=now,
        )

    def change(
        self, *, seats: int, name: str | None, now: datetime, provider_access_to_items: bool | None = None
    ) -> None:
        """Seats and name always go to the organization service; the item-access setting only when it changes."""
        self.seats = seats
        if name:
            self.organization_name = name
        self.revision_date = now
        self.events.append(
            ClientSeatsChangedV1(
                provider_id=self.provider_id, organization_id=self.organization_id, seats=seats, name=name or None
            )
        )
        if provider_access_to_items is not None:
            self.set_provider_access_to_items(provider_access_to_items, now)

    def set_provider_access_to_items(self, allowed: bool, now: datetime) -> None:
        """Whether the provider's users reach this client's items (its own members keep theirs either way)."""
        if allowed == self.settings.provider_access_to_items:
            return
        self.settings = replace(self.settings, provider_access_to_items=allowed)
        self.revision_date = now
        self.events.append(
            ClientSettingsChangedV1(
                provider_id=self.provider_id, organization_id=self.organization_id, provider_access_to_items=allowed
            )
        )

    def detach(self, *, org_has_confirmed_owner: bool) -> None:
        """Unlinking leaves the client to its own owners, so it needs one (Bitwarden's rule)."""
        if not org_has_confirmed_owner:
            raise ClientHasNoConfirmedOwner()
        self.events.append(ClientOrgRemovedV1(provider_id=self.provider_id, organization_id=self.organization_id))

    def organization_deleted(self) -> None:
        """The organization itself is gone (deleted by its owners): the link ends, with no owner left to check."""
        self.events.append(ClientOrgRemovedV1(provider_id=self.provider_id, organization_id=self.organization_id))
