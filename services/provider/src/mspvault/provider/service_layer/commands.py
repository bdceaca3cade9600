"""What callers ask of the provider service: one frozen dataclass per write use case.

Routes translate a request body into one of these; handlers take `(work, caller, command)`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.provider.domain.enums import ProviderType, ProviderUserType


# ---- providers ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenProvider:
    """An operator opens a provider and invites its first admin."""

    name: str
    type: ProviderType
    owner_email: str
    seat_minimum_teams: int = 0
    seat_minimum_enterprise: int = 0


@dataclass(frozen=True)
class UpdateProvider:
    provider_id: uuid.UUID
    name: str
    business_name: str | None
    billing_email: str | None


@dataclass(frozen=True)
class SetUpProvider:
    """The first admin finishes a Pending provider; with the invite token, accepting it on the way."""

    provider_id: uuid.UUID
    name: str
    business_name: str | None
    billing_email: str | None
    key: str
    token: str | None = None


# ---- provider users ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InviteProviderUsers:
    provider_id: uuid.UUID
    emails: tuple[str, ...]
    type: ProviderUserType


@dataclass(frozen=True)
class OneProviderUser:
    """A user of the provider, by id: what reinvite, revoke, restore and remove ask."""

    provider_id: uuid.UUID
    provider_user_id: uuid.UUID


@dataclass(frozen=True)
class SomeProviderUsers:
    """Several users of the provider by id, each answered on its own (Bitwarden's bulk routes)."""

    provider_id: uuid.UUID
    provider_user_ids: tuple[uuid.UUID, ...]


class ReinviteProviderUser(OneProviderUser):
    """A fresh invite link (and nonce) for an invited user."""


class ReinviteProviderUsers(SomeProviderUsers):
    """Fresh invite links for several invited users."""


class RevokeProviderUser(OneProviderUser):
    """The user keeps their row but loses access; restoring brings back their status before."""


class RestoreProviderUser(OneProviderUser):
    """A revoked user back to their status before."""


class RemoveProviderUser(OneProviderUser):
    """The user leaves the provider."""


class RemoveProviderUsers(SomeProviderUsers):
    """Remove several users."""


@dataclass(frozen=True)
class AcceptProviderInvite:
    provider_id: uuid.UUID
    provider_user_id: uuid.UUID
    token: str


@dataclass(frozen=True)
class ConfirmProviderUser:
    provider_id: uuid.UUID
    provider_user_id: uuid.UUID
    key: str


@dataclass(frozen=True)
class ConfirmProviderUsers:
    provider_id: uuid.UUID
    keys: tuple[tuple[uuid.UUID, str], ...]


@dataclass(frozen=True)
class ChangeProviderUserType:
    provider_id: uuid.UUID
    provider_user_id: uuid.UUID
    type: ProviderUserType


# ---- client organizations ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreateClient:
    """A provider user creates a client organization; every key is made and encrypted by the client."""

    provider_id: uuid.UUID
    name: str
    owner_email: str
    plan_type: int
    seats: int
    key: str
    public_key: str
    encrypted_private_key: str
    collection_name: str | None = None


@dataclass(frozen=True)
class AddExistingClient:
    """A provider user links an organization they own (confirmed Owner)."""

    provider_id: uuid.UUID
    organization_id: uuid.UUID
    key: str


@dataclass(frozen=True)
class ChangeClient:
    """Seats and name; and, when given, whether the provider's users reach the client's items."""

    provider_id: uuid.UUID
    link_id: uuid.UUID
    seats: int
    name: str | None
    provider_access_to_items: bool | None = None


@dataclass(frozen=True)
class DetachClient:
    provider_id: uuid.UUID
    link_id: uuid.UUID
