"""Who may do what in an organization: member types, custom permissions, and the one access check.

Provider users are not members: while they are confirmed, not revoked, and their provider is linked to the
organization, `effective_role` gives them Owner rights through that link.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, overload

from mspvault.shared.contracts.organization import MemberStatus as MemberStatus  # re-exported: the domain's word


class MemberType(IntEnum):
    OWNER = 0
    ADMIN = 1
    USER = 2
    CUSTOM = 4


# Bitwarden's custom-role permission names, in the order its clients send them.
PERMISSION_NAMES: tuple[str, ...] = (
    "accessEventLogs",
    "accessImportExport",
    "accessReports",
    "createNewCollections",
    "editAnyCollection",
    "deleteAnyCollection",
    "manageGroups",
    "managePolicies",
    "manageSso",
    "manageUsers",
    "manageResetPassword",
    "manageScim",
)


@dataclass(frozen=True)
class Permissions:
    granted: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Permissions:
        if not data:
            return cls()
        return cls(frozenset(name for name in PERMISSION_NAMES if data.get(name) is True))

    def to_json(self) -> dict[str, bool]:
        return {name: name in self.granted for name in PERMISSION_NAMES}

    def __contains__(self, name: object) -> bool:
        return name in self.granted


@dataclass(frozen=True)
class MembershipFacts:
    """What the access check needs to know about the caller's own membership row."""

    member_id: uuid.UUID
    type: MemberType
    status: MemberStatus
    permissions: Permissions = Permissions()


@dataclass(frozen=True)
class ProviderAccess:
    """The caller is a confirmed, unrevoked user of the provider the organization is linked to."""

    provider_id: uuid.UUID


class _AdminRight:
    """A right of Owners and Admins that a Custom member holds when granted `permission`: read as a bool attribute
    of a `Standing` (`standing.can_manage_users`)."""

    def __init__(self, permission: str) -> None:
        self.permission = permission

    @overload
    def __get__(self, standing: None, owner: type[Standing]) -> _AdminRight: ...

    @overload
    def __get__(self, standing: Standing, owner: type[Standing]) -> bool: ...

    def __get__(self, standing: Standing | None, owner: type[Standing]) -> bool | _AdminRight:
        if standing is None:
            return self
        return standing._admin() or standing._custom(self.permission)


@dataclass(frozen=True)
class Standing:
    """The caller's effective rights in one organization."""

    role: MemberType
    permissions: Permissions
    member_id: uuid.UUID | None
    # Set when the rights come through a provider link (the caller acts for that provider).
    provider_id: uuid.UUID | None = None

    @property
    def via_provider(self) -> bool:
        return self.provider_id is not None

    def _admin(self) -> bool:
        return self.role in (MemberType.OWNER, MemberType.ADMIN)

    def _custom(self, name: str) -> bool:
        return self.role == MemberType.CUSTOM and name in self.permissions

    @property
    def is_owner(self) -> bool:
        return self.role == MemberType.OWNER

    # Owners' and Admins' rights, each also a Custom member's through the permission it is named by.
    can_manage_users = _AdminRight("manageUsers")
    can_manage_groups = _AdminRight("manageGroups")
    can_manage_policies = _AdminRight("managePolicies")
    can_create_collections = _AdminRight("createNewCollections")
    can_edit_any_collection = _AdminRight("editAnyCollection")
    can_delete_any_collection = _AdminRight("deleteAnyCollection")

    @property
    def sees_all_collections(self) -> bool:
        return self.can_edit_any_collection or self.can_delete_any_collection

    @property
    def can_read_members(self) -> bool:
        """Member lists serve whoever assigns access: user, group and collection managers."""
        return (
            self.can_manage_users or self.can_manage_groups or self.can_create_collections or self.sees_all_collections
        )

    def can_manage_member_of_type(self, target: MemberType) -> bool:
        """Only Owners manage Owners; Owners and Admins manage Admins; user managers manage Users and Custom."""
        if not self.can_manage_users:
            return False
        if target == MemberType.OWNER:
            return self.is_owner
        if target == MemberType.ADMIN:
            return self._admin()
        return True


def effective_role(member: MembershipFacts | None, provider_access: ProviderAccess | None) -> Standing | None:
    """The caller's standing in an organization, or None when they may not see it at all.

    A membership counts only when Confirmed (revoked rows carry status -1, so they never count). A provider link
    counts as Owner; when a caller has both, the stronger of the two wins.
    """
    own = member if member is not None and member.status == MemberStatus.CONFIRMED else None
    if provider_access is not None and (own is None or own.type != MemberType.OWNER):
        return Standing(
            role=MemberType.OWNER,
            permissions=Permissions(),
            member_id=own.member_id if own else None,
            provider_id=provider_access.provider_id,
        )
    if own is None:
        return None
    return Standing(role=own.type, permissions=own.permissions, member_id=own.member_id)
