"""The member lifecycle: Invited -> Accepted -> Confirmed, Revoked (restorable to where it was) or removed.

Each step checks its rule and records its event (the member as it is after the step); the handler publishes them.
Rules that need more than one member (seats, the last owner, Single Organization) take what they need as arguments.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from mspvault.organization.domain.encstrings import require_rsa
from mspvault.organization.domain.errors import (
    AlreadyMember,
    InvalidMemberState,
    InviteEmailMismatch,
    LastOwner,
    MemberNotFound,
    OnlyOwnersManageOwners,
    SelfAction,
)
from mspvault.organization.domain.invite_token import new_nonce
from mspvault.organization.domain.organization import Organization, check_seats
from mspvault.organization.domain.roles import MembershipFacts, MemberStatus, MemberType, Permissions, Standing
from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.organization import (
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberEnrolledInAccountRecoveryV1,
    MemberInvitedV1,
    MemberRemovedV1,
    MemberRestoredV1,
    MemberRevokedV1,
    MemberUpdatedV1,
    MemberWithdrewFromAccountRecoveryV1,
)
from mspvault.shared.text import normalize_email

MemberEvent = TypeVar(
    "MemberEvent",
    MemberInvitedV1,
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberUpdatedV1,
    MemberRevokedV1,
    MemberRestoredV1,
    MemberRemovedV1,
    MemberEnrolledInAccountRecoveryV1,
    MemberWithdrewFromAccountRecoveryV1,
)
SEAT_STATUSES = frozenset({MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.CONFIRMED})


def unique_emails(emails: Iterable[str]) -> list[str]:
    """Normalized, first occurrence kept, in the order given."""
    return list(dict.fromkeys(normalize_email(e) for e in emails))


@dataclass(frozen=True)
class BulkResult:
    """Bulk routes answer per id, as Bitwarden does: an empty error for success."""

    id: uuid.UUID
    error: str


@dataclass
class Member:
    id: uuid.UUID
    organization_id: uuid.UUID
    email: str
    type: MemberType
    status: MemberStatus
    user_id: uuid.UUID | None = None
    key: str | None = None
    permissions: dict[str, bool] | None = None
    access_secrets_manager: bool = False
    external_id: str | None = None
    # The status to return to on restore; set only while revoked.
    pre_revoke_status: MemberStatus | None = None
    # The nonce of the one live invite token; accepting clears it, a reinvite replaces it.
    invite_nonce: str | None = None
    # Account recovery: the user key wrapped to the organization's public key, sent by the member's client.
    reset_password_key: str | None = None
    events: list[EventData] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def invite(
        cls,
        organization_id: uuid.UUID,
        email: str,
        member_type: MemberType,
        *,
        nonce: str,
        permissions: dict[str, bool] | None = None,
        access_secrets_manager: bool = False,
        external_id: str | None = None,
    ) -> Member:
        member = cls(
            id=uuid.uuid4(),
            organization_id=organization_id,
            email=normalize_email(email),
            type=member_type,
            status=MemberStatus.INVITED,
            permissions=custom_permissions(member_type, permissions),
            access_secrets_manager=access_secrets_manager,
            external_id=external_id,
            invite_nonce=nonce,
        )
        member._record(MemberInvitedV1)
        return member

    @classmethod
    def founding_owner(cls, organization_id: uuid.UUID, user_id: uuid.UUID, email: str, key: str) -> Member:
        """The user who creates an organization is its confirmed Owner from the start."""
        member = cls(
            id=uuid.uuid4(),
            organization_id=organization_id,
            email=normalize_email(email),
            type=MemberType.OWNER,
            status=MemberStatus.CONFIRMED,
            user_id=user_id,
            key=require_rsa(key, "key"),
        )
        member._record(MemberConfirmedV1)
        return member

    @property
    def occupies_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    @property
    def facts(self) -> MembershipFacts:
        return MembershipFacts(self.id, self.type, self.status, Permissions.from_json(self.permissions))

    def reinvite(self, nonce: str) -> None:
        if self.status != MemberStatus.INVITED:
            raise InvalidMemberState("Only invited users can be re-invited.")
        self.invite_nonce = nonce

    def accept(self, user_id: uuid.UUID, email: str) -> None:
        if self.status != MemberStatus.INVITED:
            raise InvalidMemberState("This invitation was already accepted.")
        if normalize_email(email) != self.email:
            raise InviteEmailMismatch()
        self.user_id = user_id
        self.status = MemberStatus.ACCEPTED
        self.invite_nonce = None
        self._record(MemberAcceptedV1)

    def confirm(self, key: str) -> None:
        if self.status != MemberStatus.ACCEPTED:
            raise InvalidMemberState("Only accepted users can be confirmed.")
        self.key = require_rsa(key, "key")
        self.status = MemberStatus.CONFIRMED
        self._record(MemberConfirmedV1)

    def revoke(self) -> None:
        if self.status == MemberStatus.REVOKED:
            raise InvalidMemberState("The user is already revoked.")
        self.pre_revoke_status = self.status
        self.status = MemberStatus.REVOKED
        self._record(MemberRevokedV1)

    def restore(self) -> None:
        if self.status != MemberStatus.REVOKED or self.pre_revoke_status is None:
            raise InvalidMemberState("The user is not revoked.")
        self.status = self.pre_revoke_status
        self.pre_revoke_status = None
        self._record(MemberRestoredV1)

    def update(
        self, member_type: MemberType, permissions: dict[str, bool] | None, access_secrets_manager: bool | None
    ) -> None:
        self.type = member_type
        self.permissions = custom_permissions(member_type, permissions)
        if access_secrets_manager is not None:
            self.access_secrets_manager = access_secrets_manager
        self._record(MemberUpdatedV1)

    def remove(self) -> None:
        self._record(MemberRemovedV1)

    def enroll_in_account_recovery(self, reset_password_key: str) -> None:
        """The member's user key, wrapped to the org's public key by their own client (kept here; the event, for
        the audit log, does not carry it: no other service needs it)."""
        if self.status not in (MemberStatus.ACCEPTED, MemberStatus.CONFIRMED):
            raise InvalidMemberState("Only members who accepted may enroll in account recovery.")
        self.reset_password_key = require_rsa(reset_password_key, "resetPasswordKey")
        self._record(MemberEnrolledInAccountRecoveryV1)

    def withdraw_from_account_recovery(self) -> None:
        """Withdrawing when not enrolled changes nothing and records nothing."""
        if self.reset_password_key is None:
            return
        self.reset_password_key = None
        self._record(MemberWithdrewFromAccountRecoveryV1)

    def _record(self, kind: builtins.type[MemberEvent]) -> None:
        self.events.append(member_event(kind, self))


def member_event(kind: type[MemberEvent], member: Member) -> MemberEvent:
    """The member as it is now, in an event of this kind."""
    return kind(
        organization_id=member.organization_id,
        member_id=member.id,
        user_id=member.user_id,
        email=member.email,
        type=int(member.type),
        status=int(member.status),
        permissions=member.permissions,
    )


def custom_permissions(member_type: MemberType, permissions: dict[str, bool] | None) -> dict[str, bool] | None:
    """Only Custom members carry permissions; everyone else's come from their type."""
    if member_type != MemberType.CUSTOM:
        return None
    return Permissions.from_json(permissions).to_json()


def check_sees_members(standing: Standing) -> None:
    """A refusal that names a member's role (Owner, last Owner, yourself) is for who may read the member list;
    anyone else gets the 404 of a member that is not there (issue 11 #7)."""
    if not standing.can_read_members:
        raise MemberNotFound()


def check_may_manage(standing: Standing, target: MemberType, message: str = "Only Owners can manage Owners.") -> None:
    if not standing.can_manage_member_of_type(target):
        check_sees_members(standing)
        raise OnlyOwnersManageOwners(message)


def check_not_self(standing: Standing, member: Member, what: str) -> None:
    if standing.member_id == member.id:
        check_sees_members(standing)
        raise SelfAction(what)


def check_keeps_an_owner(
    standing: Standing, member: Member, *, provider_linked: bool, other_confirmed_owners: int
) -> None:
    """A confirmed Owner may not leave the org ownerless, unless a provider administers it."""
    if member.type != MemberType.OWNER or member.status != MemberStatus.CONFIRMED or provider_linked:
        return
    if other_confirmed_owners == 0:
        check_sees_members(standing)
        raise LastOwner()


def needs_owner_check(member: Member, *, provider_linked: bool) -> bool:
    """Whether `check_keeps_an_owner` needs the count of other confirmed owners (spares a query otherwise)."""
    return member.type == MemberType.OWNER and member.status == MemberStatus.CONFIRMED and not provider_linked


def invitations(
    org: Organization,
    emails: list[str],
    member_type: MemberType,
    *,
    permissions: dict[str, bool] | None,
    access_secrets_manager: bool,
    taken: Iterable[str],
    occupied: int,
) -> list[Member]:
    """New members for addresses not yet in the organization, within its seats (`emails` from `unique_emails`)."""
    for email in taken:
        raise AlreadyMember(email)
    check_seats(org.seats, occupied, len(emails))
    return [
        Member.invite(
            org.id,
            email,
            member_type,
            nonce=new_nonce(),
            permissions=permissions,
            access_secrets_manager=access_secrets_manager,
        )
        for email in emails
    ]
