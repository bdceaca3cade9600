"""Events published by the provider service on `provider.events`, keyed by provider id (ordering per provider)."""

from __future__ import annotations

import uuid

from pydantic import Field

from mspvault.shared.contracts.envelope import AggregateId, EventData


class _ProviderEvent(EventData):
    provider_id: AggregateId


class ProviderCreatedV1(_ProviderEvent):
    event_type = "ProviderCreated"

    name: str
    type: int = Field(description="0 Msp, 1 Reseller, 2 BusinessUnit.")
    owner_email: str


class ProviderUpdatedV1(_ProviderEvent):
    event_type = "ProviderUpdated"

    name: str
    enabled: bool


class _ProviderUserEvent(_ProviderEvent):
    provider_user_id: uuid.UUID
    user_id: uuid.UUID | None = Field(default=None, description="Unset while the invite is not accepted.")
    email: str
    type: int = Field(description="0 ProviderAdmin, 1 ServiceUser.")


class ProviderUserInvitedV1(_ProviderUserEvent):
    event_type = "ProviderUserInvited"


class ProviderUserAcceptedV1(_ProviderUserEvent):
    event_type = "ProviderUserAccepted"


class ProviderUserConfirmedV1(_ProviderUserEvent):
    event_type = "ProviderUserConfirmed"


class ProviderUserUpdatedV1(_ProviderUserEvent):
    event_type = "ProviderUserUpdated"


class ProviderUserRevokedV1(_ProviderUserEvent):
    event_type = "ProviderUserRevoked"


class ProviderUserRestoredV1(_ProviderUserEvent):
    event_type = "ProviderUserRestored"


class ProviderUserRemovedV1(_ProviderUserEvent):
    event_type = "ProviderUserRemoved"


_PROVIDER_ACCESS = "Whether the provider's users may see and manage every item of the client organization."


class ClientOrgCreatedV1(_ProviderEvent):
    """A provider user created a client organization; the organization service creates it and invites the owner."""

    event_type = "ClientOrgCreated"

    organization_id: uuid.UUID
    provider_name: str
    name: str
    billing_email: str
    owner_email: str
    plan_type: int
    seats: int = Field(ge=0)
    public_key: str = Field(description="Org RSA public key, base64 SPKI DER.")
    encrypted_private_key: str = Field(description="Org private key, EncString under the org key.")
    collection_name: str | None = Field(default=None, description="Default collection name, EncString.")
    provider_access_to_items: bool = Field(default=True, description=_PROVIDER_ACCESS)


class ClientOrgAddedV1(_ProviderEvent):
    """An existing organization became a client of the provider."""

    event_type = "ClientOrgAdded"

    organization_id: uuid.UUID
    provider_name: str
    provider_access_to_items: bool = Field(default=True, description=_PROVIDER_ACCESS)


class ClientOrgRemovedV1(_ProviderEvent):
    event_type = "ClientOrgRemoved"

    organization_id: uuid.UUID


class ClientSeatsChangedV1(_ProviderEvent):
    event_type = "ClientSeatsChanged"

    organization_id: uuid.UUID
    seats: int = Field(ge=0)
    name: str | None = None


class ClientSettingsChangedV1(_ProviderEvent):
    """A provider user changed a client's settings: whether the provider's users reach the client's items.

    Published only when the value changes; consumers replace what they had for this client of this provider.
    """

    event_type = "ClientSettingsChanged"

    organization_id: uuid.UUID
    provider_access_to_items: bool = Field(description=_PROVIDER_ACCESS)
