"""Organization policies: which types exist, which depend on Single Organization, and the Single Org rule.

Policies bind members who are not Owners or Admins (Bitwarden exempts those two). Require two-step login (type 0)
revokes, when turned on, the active members whose user has no two-step login, and refuses to accept, confirm or
restore them until they turn it on (Bitwarden's rules); the organization knows who has it from identity's events.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from mspvault.organization.domain.errors import PolicyDependency, SingleOrgPolicyViolation, TwoStepLoginRequired
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.shared.contracts.organization import PolicyUpdatedV1


class PolicyType(IntEnum):
    TWO_FACTOR_AUTHENTICATION = 0
    MASTER_PASSWORD = 1
    PASSWORD_GENERATOR = 2
    SINGLE_ORG = 3
    REQUIRE_SSO = 4
    ORGANIZATION_DATA_OWNERSHIP = 5
    DISABLE_SEND = 6
    SEND_OPTIONS = 7
    RESET_PASSWORD = 8
    MAXIMUM_VAULT_TIMEOUT = 9
    DISABLE_PERSONAL_VAULT_EXPORT = 10
    ACTIVATE_AUTOFILL = 11
    AUTOMATIC_APP_LOG_IN = 12
    FREE_FAMILIES_SPONSORSHIP = 13
    REMOVE_UNLOCK_WITH_PIN = 14
    RESTRICTED_ITEM_TYPES = 15


# Bitwarden refuses these unless Single Organization is on, and refuses to turn Single Organization off under them.
REQUIRES_SINGLE_ORG = frozenset({PolicyType.REQUIRE_SSO, PolicyType.RESET_PASSWORD, PolicyType.MAXIMUM_VAULT_TIMEOUT})

EXEMPT_TYPES = frozenset({MemberType.OWNER, MemberType.ADMIN})


def check_policy_change(policy: PolicyType, enabled: bool, enabled_now: Iterable[PolicyType]) -> None:
    active = set(enabled_now)
    if enabled and policy in REQUIRES_SINGLE_ORG and PolicyType.SINGLE_ORG not in active:
        raise PolicyDependency("The Single organization policy must be turned on first.", field="enabled")
    if not enabled and policy == PolicyType.SINGLE_ORG:
        blocking = sorted(p.name for p in active & REQUIRES_SINGLE_ORG)
        if blocking:
            raise PolicyDependency(f"Turn off {', '.join(blocking)} before Single organization.", field="enabled")


@dataclass(frozen=True)
class PolicyChange:
    event: PolicyUpdatedV1
    # Turning Single Organization on revokes the members who belong to another organization.
    revokes_members_of_other_orgs: bool
    # Turning Require two-step login on revokes the members without two-step login.
    revokes_members_without_two_factor: bool = False


def change_policy(
    organization_id: uuid.UUID, policy: PolicyType, enabled: bool, enabled_now: Iterable[PolicyType]
) -> PolicyChange:
    active = set(enabled_now)
    check_policy_change(policy, enabled, active)
    return PolicyChange(
        event=PolicyUpdatedV1(organization_id=organization_id, policy_type=int(policy), enabled=enabled),
        revokes_members_of_other_orgs=policy == PolicyType.SINGLE_ORG
        and enabled
        and PolicyType.SINGLE_ORG not in active,
        revokes_members_without_two_factor=policy == PolicyType.TWO_FACTOR_AUTHENTICATION
        and enabled
        and PolicyType.TWO_FACTOR_AUTHENTICATION not in active,
    )


@dataclass(frozen=True)
class OtherMembership:
    """One of the user's memberships in another organization, with whether that org enforces Single Org."""

    organization_id: uuid.UUID
    type: MemberType
    status: MemberStatus
    single_org: bool


def _active(status: MemberStatus) -> bool:
    return status in (MemberStatus.ACCEPTED, MemberStatus.CONFIRMED)


def check_single_org(joining_type: MemberType, joining_single_org: bool, others: Iterable[OtherMembership]) -> None:
    """May a user hold an active membership of `joining_type` in an org, given their other memberships?"""
    for other in others:
        if not _active(other.status):
            continue
        if other.single_org and other.type not in EXEMPT_TYPES:
            raise SingleOrgPolicyViolation(
                "You belong to an organization that does not allow you to join other organizations."
            )
        if joining_single_org and joining_type not in EXEMPT_TYPES:
            raise SingleOrgPolicyViolation(
                "This organization does not allow its members to belong to other organizations; leave them first."
            )


def blocked_by_single_org(others: Iterable[OtherMembership]) -> bool:
    """True when one of the user's memberships forbids them from creating or joining another organization."""
    return any(_active(o.status) and o.single_org and o.type not in EXEMPT_TYPES for o in others)


def violates_on_enable(member_type: MemberType, status: MemberStatus, has_other_active: bool) -> bool:
    """Turning Single Org on revokes the non-exempt, active members who still belong to another organization."""
    return member_type not in EXEMPT_TYPES and _active(status) and has_other_active


def check_two_factor(member_type: MemberType, policy_on: bool, has_two_factor: bool, *, action: str) -> None:
    """May a member of `member_type` be accepted, confirmed or restored, given the Require two-step login policy?"""
    if policy_on and member_type not in EXEMPT_TYPES and not has_two_factor:
        if action == "accept":
            message = "You cannot join this organization until you enable two-step login on your user account."
        else:
            message = f"You cannot {action} this user until they enable two-step login on their user account."
        raise TwoStepLoginRequired(message)
