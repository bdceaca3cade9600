"""The member lifecycle: Invited -> Accepted -> Confirmed, Revoked (restorable to where it was) or removed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.organization.domain.encstrings import require_rsa
from mspvault.organization.domain.errors import InvalidMemberState, InviteEmailMismatch
from mspvault.organization.domain.roles import MembershipFacts, MemberStatus, MemberType, Permissions

SEAT_STATUSES = frozenset({MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.CONFIRMED})


def normalize_email(email: str) -> str:
    return email.strip().lower()


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
        return cls(
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

    @classmethod
    def founding_owner(cls, organization_id: uuid.UUID, user_id: uuid.UUID, email: str, key: str) -> Member:
        """The user who creates an organization is its confirmed Owner from the start."""
        return cls(
            id=uuid.uuid4(),
            organization_id=organization_id,
            email=normalize_email(email),
            type=MemberType.OWNER,
            status=MemberStatus.CONFIRMED,
            user_id=user_id,
            key=require_rsa(key, "key"),
        )

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

    def confirm(self, key: str) -> None:
        if self.status != MemberStatus.ACCEPTED:
            raise InvalidMemberState("Only accepted users can be confirmed.")
        self.key = require_rsa(key, "key")
        self.status = MemberStatus.CONFIRMED

    def revoke(self) -> None:
        if self.status == MemberStatus.REVOKED:
            raise InvalidMemberState("The user is already revoked.")
        self.pre_revoke_status = self.status
        self.status = MemberStatus.REVOKED

    def restore(self) -> None:
        if self.status != MemberStatus.REVOKED or self.pre_revoke_status is None:
            raise InvalidMemberState("The user is not revoked.")
        self.status = self.pre_revoke_status
        self.pre_revoke_status = None

    def change_type(self, member_type: MemberType, permissions: dict[str, bool] | None) -> None:
        self.type = member_type
        self.permissions = custom_permissions(member_type, permissions)


def custom_permissions(member_type: MemberType, permissions: dict[str, bool] | None) -> dict[str, bool] | None:
    """Only Custom members carry permissions; everyone else's come from their type."""
    if member_type != MemberType.CUSTOM:
        return None
    return Permissions.from_json(permissions).to_json()
