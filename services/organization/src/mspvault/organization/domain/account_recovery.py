"""Account recovery (Bitwarden's "admin password reset"): the rules of enrolling and of recovering a member.

A member enrols by sending their user key wrapped to the organization's public key (`resetPasswordKey`), at accept
or later; the Account Recovery policy (type 8) must be on, and with its `autoEnrollEnabled` the key is required at
accept and may not be withdrawn. An Owner or Admin — a Custom member with `manageResetPassword`, or a provider user
of a client organization, who acts as its Owner — may then recover a confirmed, enrolled member: their client opens
the key with the org private key and makes the new master-password hash and key; identity applies them. Nobody
recovers a member of a higher role (Admins and Custom members never an Owner, Custom members never an Admin), nor
their own account (they know their password: they change it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mspvault.organization.domain.errors import MemberNotFound
from mspvault.organization.domain.members import Member, check_sees_members
from mspvault.organization.domain.roles import MemberStatus, MemberType, Standing
from mspvault.shared.errors import DomainError


class AccountRecoveryOff(DomainError, message="Organization does not have the password reset policy enabled."): ...


class AccountRecoveryKeyRequired(
    DomainError, message="Master Password reset is required, but not provided.", field="resetPasswordKey"
): ...


class WithdrawalNotAllowed(
    DomainError, message="Due to an Enterprise Policy, you are not allowed to withdraw from account recovery."
): ...


class MemberNotRecoverable(DomainError):
    """The member is not confirmed, or not enrolled: nothing to recover with."""


def auto_enrolls(policy_data: dict[str, Any] | None) -> bool:
    return policy_data is not None and bool(policy_data.get("autoEnrollEnabled"))


def check_enrolment(member: Member, reset_password_key: str | None, policy_data: dict[str, Any] | None) -> None:
    """May the member set (a key) or withdraw (None) their enrolment under this policy (None: the policy is off)?"""
    if reset_password_key is None:
        if auto_enrolls(policy_data):
            raise WithdrawalNotAllowed()
        return
    if policy_data is None:
        raise AccountRecoveryOff()


def check_key_at_accept(reset_password_key: str | None, policy_data: dict[str, Any] | None) -> None:
    if reset_password_key is None and auto_enrolls(policy_data):
        raise AccountRecoveryKeyRequired()


def can_recover(standing: Standing) -> bool:
    return standing.role in (MemberType.OWNER, MemberType.ADMIN) or (
        standing.role == MemberType.CUSTOM and "manageResetPassword" in standing.permissions
    )


_RANK = {MemberType.OWNER: 3, MemberType.ADMIN: 2, MemberType.CUSTOM: 1, MemberType.USER: 0}


@dataclass(frozen=True)
class RecoveryTarget:
    """What the recovering admin's client needs, and identity applies the result to."""

    member: Member
    reset_password_key: str
    encrypted_private_key: str  # the organization's private key under the org key


def check_may_recover(
    standing: Standing, member: Member, *, policy_data: dict[str, Any] | None, encrypted_private_key: str | None
) -> RecoveryTarget:
    """The caller may recover this member: 404 for who may not (ids do not leak), 400 for what they may see."""
    if not can_recover(standing):
        raise MemberNotFound()
    if standing.member_id == member.id or _RANK[member.type] > _RANK[standing.role]:
        check_sees_members(standing)
        raise MemberNotFound()
    if policy_data is None:
        raise AccountRecoveryOff()
    if member.status != MemberStatus.CONFIRMED or member.reset_password_key is None or member.user_id is None:
        raise MemberNotRecoverable("The member is not confirmed, or has not enrolled in account recovery.")
    if encrypted_private_key is None:
        raise MemberNotRecoverable("The organization has no key pair.")
    return RecoveryTarget(member, member.reset_password_key, encrypted_private_key)
