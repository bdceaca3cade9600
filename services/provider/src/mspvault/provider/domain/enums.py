"""Bitwarden's numeric enums for providers, their users and the plan types a client may have."""

from __future__ import annotations

from enum import IntEnum


class ProviderType(IntEnum):
    MSP = 0
    RESELLER = 1
    BUSINESS_UNIT = 2


class ProviderStatus(IntEnum):
    PENDING = 0  # created by an operator, waiting for its first admin to run setup
    CREATED = 1
    BILLABLE = 2


class ProviderUserType(IntEnum):
    PROVIDER_ADMIN = 0
    SERVICE_USER = 1


class ProviderUserStatus(IntEnum):
    REVOKED = -1  # our addition: suspended, restorable to the status kept beside it
    INVITED = 0
    ACCEPTED = 1
    CONFIRMED = 2


ORG_STATUS_MANAGED = 2  # Bitwarden's OrganizationStatusType.Managed: a client's seats are billed through its provider


class PlanType(IntEnum):
    FREE = 0
    FAMILIES_ANNUALLY_2019 = 1
    FAMILIES_ANNUALLY = 7
    TEAMS_MONTHLY = 17
    TEAMS_ANNUALLY = 18
    ENTERPRISE_MONTHLY = 19
    ENTERPRISE_ANNUALLY = 20


# The client list's stored JSON spells these too (the trigger of provider migration 0008): a change is a new migration
# (the listing's integration test lists a client on every plan here against the response model).
PLAN_NAMES: dict[int, str] = {
    PlanType.FREE: "Free",
    PlanType.FAMILIES_ANNUALLY: "Families",
    PlanType.TEAMS_MONTHLY: "Teams (Monthly)",
    PlanType.TEAMS_ANNUALLY: "Teams (Annually)",
    PlanType.ENTERPRISE_MONTHLY: "Enterprise (Monthly)",
    PlanType.ENTERPRISE_ANNUALLY: "Enterprise (Annually)",
}

# Which plans each kind of provider may give a client (Bitwarden's ProviderService.ThrowOnInvalidPlanType).
_NEVER_FOR_RESELLERS = frozenset({PlanType.FREE, PlanType.FAMILIES_ANNUALLY_2019, PlanType.FAMILIES_ANNUALLY})
_CLIENT_PLANS: dict[ProviderType, frozenset[int]] = {
    ProviderType.MSP: frozenset({PlanType.TEAMS_MONTHLY, PlanType.ENTERPRISE_MONTHLY}),
    ProviderType.BUSINESS_UNIT: frozenset({PlanType.ENTERPRISE_MONTHLY, PlanType.ENTERPRISE_ANNUALLY}),
}


def plan_allowed(provider_type: ProviderType, plan_type: int) -> bool:
    if provider_type is ProviderType.RESELLER:
        return plan_type not in _NEVER_FOR_RESELLERS
    return plan_type in _CLIENT_PLANS[provider_type]


def plan_name(plan_type: int) -> str:
    return PLAN_NAMES.get(plan_type, f"Plan {plan_type}")


ENTERPRISE_PLANS = frozenset({PlanType.ENTERPRISE_MONTHLY, PlanType.ENTERPRISE_ANNUALLY})


def is_enterprise(plan_type: int) -> bool:
    return plan_type in ENTERPRISE_PLANS
