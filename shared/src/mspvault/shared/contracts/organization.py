"""Events published by the organization service on `organization.events`, keyed by organization id."""

from __future__ import annotations

import uuid
from enum import IntEnum

from pydantic import Field

from mspvault.shared.contracts.envelope import AggregateId, ContractModel, EventData


class MemberStatus(IntEnum):
    """Bitwarden's `OrganizationUserStatusType`: the `status` the member events carry."""

    REVOKED = -1
    INVITED = 0
    ACCEPTED = 1
    CONFIRMED = 2


class _OrgEvent(EventData):
    organization_id: AggregateId


class OrganizationCreatedV1(_OrgEvent):
    event_type = "OrganizationCreated"

    name: str
    provider_id: uuid.UUID | None = None
    plan_type: int
    seats: int | None = None


class OrganizationUpdatedV1(_OrgEvent):
    event_type = "OrganizationUpdated"

    name: str
    enabled: bool
    provider_id: uuid.UUID | None = None


class OrganizationDeletedV1(_OrgEvent):
    event_type = "OrganizationDeleted"


class _MemberEvent(_OrgEvent):
    member_id: uuid.UUID
    user_id: uuid.UUID | None = None
    email: str
    type: int = Field(description="0 Owner, 1 Admin, 2 User, 4 Custom.")
    status: int = Field(description="-1 Revoked, 0 Invited, 1 Accepted, 2 Confirmed.")
    permissions: dict[str, bool] | None = Field(
        default=None, description="Custom members' permissions (Bitwarden names, e.g. editAnyCollection)."
    )


class MemberInvitedV1(_MemberEvent):
    event_type = "MemberInvited"


class MemberAcceptedV1(_MemberEvent):
    event_type = "MemberAccepted"


class MemberConfirmedV1(_MemberEvent):
    event_type = "MemberConfirmed"


class MemberUpdatedV1(_MemberEvent):
    event_type = "MemberUpdated"


class MemberRevokedV1(_MemberEvent):
    event_type = "MemberRevoked"


class MemberRestoredV1(_MemberEvent):
    event_type = "MemberRestored"


class MemberRemovedV1(_MemberEvent):
    event_type = "MemberRemoved"


class MemberEnrolledInAccountRecoveryV1(_MemberEvent):
    """The member sent their user key wrapped to the organization's public key (the key itself stays in this
    service: no other needs it). OrganizationUser_ResetPassword_Enroll, 1506."""

    event_type = "MemberEnrolledInAccountRecovery"


class MemberWithdrewFromAccountRecoveryV1(_MemberEvent):
    """OrganizationUser_ResetPassword_Withdraw, 1507."""

    event_type = "MemberWithdrewFromAccountRecovery"


class CollectionCreatedV1(_OrgEvent):
    event_type = "CollectionCreated"

    collection_id: uuid.UUID
    name: str = Field(description="EncString under the org key.")
    external_id: str | None = None


class CollectionUpdatedV1(CollectionCreatedV1):
    event_type = "CollectionUpdated"


class CollectionDeletedV1(_OrgEvent):
    event_type = "CollectionDeleted"

    collection_id: uuid.UUID


class MemberAccess(ContractModel):
    """Effective access of one user to one collection (group grants already folded in)."""

    user_id: uuid.UUID
    read_only: bool = False
    hide_passwords: bool = False
    manage: bool = False


class CollectionAccessChangedV1(_OrgEvent):
    """The full, effective list of users who may use a collection; consumers replace what they had."""

    event_type = "CollectionAccessChanged"

    collection_id: uuid.UUID
    access: list[MemberAccess]


class PolicyUpdatedV1(_OrgEvent):
    event_type = "PolicyUpdated"

    policy_type: int
    enabled: bool


class OrganizationApiKeyRotatedV1(_OrgEvent):
    """The organization's API key (client id `organization.<id>`, scope `api.organization`) was made or rotated.
    Identity keeps the digest to check the secret at the token endpoint; tokens carry `key_stamp`, and the
    organization refuses any other stamp at once, so a rotated key's tokens stop working with the rotation."""

    event_type = "OrganizationApiKeyRotated"

    client_secret_digest: str = Field(description="SHA-256 (hex) of the client secret; the secret never travels.")
    key_stamp: str = Field(description="Changes with every rotation; access tokens carry it.")
