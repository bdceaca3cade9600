"""The organization aggregate: plan, seats, provider link, features; and the seat rule."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from mspvault.organization.domain.errors import SeatLimitReached

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
    "useResetPassword": False,
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


def check_seats(seats: int | None, occupied: int, adding: int) -> None:
    """Invited, accepted and confirmed members each hold a seat; revoked ones do not. No limit when unset."""
    if seats is not None and occupied + adding > seats:
        raise SeatLimitReached(seats)
