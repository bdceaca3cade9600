"""The organization aggregate: plan, seats, provider link, features; the seat rule; and the events of each change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from mspvault.organization.domain.encstrings import require_public_key, require_symmetric
from mspvault.organization.domain.errors import SeatLimitReached
from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.organization import OrganizationCreatedV1, OrganizationUpdatedV1
from mspvault.shared.text import normalize_email

# Features every organization gets here (Bitwarden gates them by plan; we are all-in on a self-hosted build).
DEFAULT_FEATURES: dict[str, bool] = {
    "useGroups": True,
    "usePolicies": True,
    "useEvents": False,
    "useTotp": True,
    "use2fa": True,
    "useApi": True,
    "useDirectory": False,
    "useSso": False,
    "useKeyConnector": False,
    "useScim": False,
    "useResetPassword": True,  # account recovery (domain/account_recovery.py)
    "useSecretsManager": False,
    "usePasswordManager": True,
    "useCustomPermissions": True,
    "selfHost": True,
    "usersGetPremium": True,
}

_FAMILIES = {1, 7}
_TEAMS = {2, 3, 8, 9, 12, 13, 17, 18}
_TEAMS_STARTER = {16, 21}


def product_tier(plan_type: int) -> int:
    """Bitwarden's ProductTierType for a PlanType: 0 Free, 1 Families, 2 Teams, 3 Enterprise, 4 TeamsStarter."""
    if plan_type == 0:
        return 0
    if plan_type in _FAMILIES:
        return 1
    if plan_type in _TEAMS:
        return 2
    if plan_type in _TEAMS_STARTER:
        return 4
    return 3


@dataclass
class Organization:
    id: uuid.UUID
    name: str
    billing_email: str
    plan_type: int
    seats: int | None = None
    max_collections: int | None = None
    enabled: bool = True
    provider_id: uuid.UUID | None = None
    public_key: str | None = None
    encrypted_private_key: str | None = None
    features: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_FEATURES))
    creation_date: datetime | None = None
    revision_date: datetime | None = None
    events: list[EventData] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def create(
        cls,
        *,
        name: str,
        billing_email: str,
        plan_type: int,
        public_key: str | None,
        encrypted_private_key: str | None,
    ) -> Organization:
        """A user creates an ordinary organization (its founding owner is added by the caller)."""
        org = cls(
            id=uuid.uuid4(),
            name=name,
            billing_email=normalize_email(billing_email),
            plan_type=plan_type,
            public_key=require_public_key(public_key, "keys.publicKey") if public_key else None,
            encrypted_private_key=(
                require_symmetric(encrypted_private_key, "keys.encryptedPrivateKey") if encrypted_private_key else None
            ),
        )
        org.events.append(
            OrganizationCreatedV1(organization_id=org.id, name=org.name, plan_type=org.plan_type, seats=org.seats)
        )
        return org

    @classmethod
    def for_client(
        cls,
        *,
        id: uuid.UUID,
        provider_id: uuid.UUID,
        name: str,
        billing_email: str,
        plan_type: int,
        seats: int | None,
        public_key: str | None,
        encrypted_private_key: str | None,
    ) -> Organization:
        """A provider's client, created from the provider's event (keys made by the provider user's client)."""
        org = cls(
            id=id,
            name=name,
            billing_email=normalize_email(billing_email),
            plan_type=plan_type,
            seats=seats,
            provider_id=provider_id,
            public_key=public_key,
            encrypted_private_key=encrypted_private_key,
        )
        org.events.append(
            OrganizationCreatedV1(
                organization_id=org.id, name=org.name, provider_id=provider_id, plan_type=plan_type, seats=seats
            )
        )
        return org

    def link_provider(self, provider_id: uuid.UUID | None) -> None:
        """Becomes (or stops being, with None) a client of a provider, whose users then act as its Owners."""
        self.provider_id = provider_id
        self._updated()

    def update_details(self, *, name: str, billing_email: str) -> None:
        """An Owner (or the provider acting as one) renames the organization or changes its billing address."""
        self.name = name
        self.billing_email = normalize_email(billing_email)
        self._updated()

    def change_seats(self, seats: int | None, name: str | None) -> None:
        self.seats = seats
        if name:
            self.name = name
        self._updated()

    def _updated(self) -> None:
        self.events.append(
            OrganizationUpdatedV1(
                organization_id=self.id, name=self.name, enabled=self.enabled, provider_id=self.provider_id
            )
        )


def check_seats(seats: int | None, occupied: int, adding: int) -> None:
    """Invited, accepted and confirmed members each hold a seat; revoked ones do not. No limit when unset."""
    if seats is not None and occupied + adding > seats:
        raise SeatLimitReached(seats)
