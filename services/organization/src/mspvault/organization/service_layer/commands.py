"""What callers ask of the organization service: one frozen dataclass per write use case.

HTTP routes and consumers build these from their input; handlers take `(work, caller, command)`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from mspvault.organization.domain.collections import GrantTo
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.domain.roles import MemberType


# ---- organizations ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreateOrganization:
    name: str
    billing_email: str
    plan_type: int
    key: str  # the org key wrapped to the creator's public key (`4.`)
    public_key: str | None = None
    encrypted_private_key: str | None = None
    collection_name: str | None = None


# ---- members ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UpdateOrganization:
    org_id: uuid.UUID
    name: str
    billing_email: str


@dataclass(frozen=True)
class Assignment:
    """What an admin assigns to a member: type, custom permissions, direct collection grants, groups."""

    type: MemberType
    permissions: dict[str, bool] | None = None
    collections: tuple[GrantTo, ...] | None = None
    groups: tuple[uuid.UUID, ...] | None = None
    access_secrets_manager: bool | None = None


@dataclass(frozen=True)
class InviteMembers:
    org_id: uuid.UUID
    emails: tuple[str, ...]
    assignment: Assignment


@dataclass(frozen=True)
class OneMember:
    """A member of the organization, by id: what revoke, restore, remove and reinvite ask (one handler step each,
    run for one member or, with `SomeMembers`, for each of several)."""

    org_id: uuid.UUID
    member_id: uuid.UUID


@dataclass(frozen=True)
class SomeMembers:
    """Several members by id, each answered on its own (Bitwarden's bulk routes)."""

    org_id: uuid.UUID
    member_ids: tuple[uuid.UUID, ...]


class ReinviteMember(OneMember):
    """A fresh invite link (and nonce) for an invited member."""


class ReinviteMembers(SomeMembers):
    """Fresh invite links for several invited members."""


class RevokeMember(OneMember):
    """The member keeps their row but loses access; restoring brings back their status before."""


class RevokeMembers(SomeMembers):
    """Revoke several members."""


class RestoreMember(OneMember):
    """A revoked member back to their status before (takes a seat again)."""


class RestoreMembers(SomeMembers):
    """Restore several revoked members."""


class RemoveMember(OneMember):
    """The member leaves the organization."""


class RemoveMembers(SomeMembers):
    """Remove several members."""


@dataclass(frozen=True)
class AcceptInvite:
    org_id: uuid.UUID
    member_id: uuid.UUID
    token: str
    reset_password_key: str | None = None  # account recovery enrolment, sent by the member's client


@dataclass(frozen=True)
class ConfirmMember:
    org_id: uuid.UUID
    member_id: uuid.UUID
    key: str  # the org key wrapped to the member's public key (`4.`)


@dataclass(frozen=True)
class ConfirmMembers:
    org_id: uuid.UUID
    keys: tuple[tuple[uuid.UUID, str], ...]


@dataclass(frozen=True)
class UpdateMember:
    org_id: uuid.UUID
    member_id: uuid.UUID
    assignment: Assignment


# ---- collections -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreateCollection:
    org_id: uuid.UUID
    name: str  # an EncString (`2.`) under the org key
    external_id: str | None = None
    users: tuple[GrantTo, ...] = ()
    groups: tuple[GrantTo, ...] = ()


@dataclass(frozen=True)
class UpdateCollection:
    org_id: uuid.UUID
    collection_id: uuid.UUID
    name: str
    external_id: str | None = None
    # None: leave the list as it is.
    users: tuple[GrantTo, ...] | None = None
    groups: tuple[GrantTo, ...] | None = None


@dataclass(frozen=True)
class DeleteCollection:
    org_id: uuid.UUID
    collection_id: uuid.UUID


# ---- groups ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreateGroup:
    org_id: uuid.UUID
    name: str
    external_id: str | None = None
    collections: tuple[GrantTo, ...] = ()
    member_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class UpdateGroup:
    org_id: uuid.UUID
    group_id: uuid.UUID
    name: str
    external_id: str | None = None
    # None: leave the list as it is.
    collections: tuple[GrantTo, ...] | None = None
    member_ids: tuple[uuid.UUID, ...] | None = None


@dataclass(frozen=True)
class SetGroupMembers:
    org_id: uuid.UUID
    group_id: uuid.UUID
    member_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class DeleteGroup:
    org_id: uuid.UUID
    group_id: uuid.UUID


# ---- policies --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PutPolicy:
    org_id: uuid.UUID
    policy_type: PolicyType
    enabled: bool
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class EnrollInAccountRecovery:
    """The caller's own enrolment: a key enrols (or replaces the key), None withdraws."""

    org_id: uuid.UUID
    user_id: uuid.UUID
    reset_password_key: str | None
