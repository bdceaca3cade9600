"""Response bodies in Bitwarden's shapes (camelCase, an `object` tag), built from domain objects and query views.

Field order is the wire order Bitwarden's clients have always received from this service; keep it when adding.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from mspvault.organization.adapters.queries import (
    CollectionView,
    GroupView,
    Membership,
    MemberView,
    PolicyView,
)
from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.account_recovery import RecoveryTarget
from mspvault.organization.domain.members import BulkResult
from mspvault.organization.domain.organization import Organization, product_tier
from mspvault.organization.domain.roles import MemberType, Permissions
from mspvault.shared.by_name import model_by_name
from mspvault.shared.dates import BitwardenDate, epoch_ms
from mspvault.shared.http.responses import ApiResponse, ListResponse


# ---- organizations -----------------------------------------------------------------------------------------------
class Features(ApiResponse):
    """The organization's feature flags, in the order PostgreSQL's JSONB keeps them (shorter keys first)."""

    use2fa: bool = Field(alias="use2fa")  # not "use2Fa", as the camelCase generator would have it
    use_api: bool
    use_sso: bool
    use_scim: bool
    use_totp: bool
    self_host: bool
    use_events: bool
    use_groups: bool
    use_policies: bool
    use_directory: bool
    use_key_connector: bool
    users_get_premium: bool
    use_reset_password: bool
    use_secrets_manager: bool
    use_password_manager: bool
    use_custom_permissions: bool


def feature_flags(org: Organization) -> dict[str, Any]:
    """The organization's flags as keyword arguments for a response that carries them."""
    return {name: org.features.get(field.alias or name) for name, field in Features.model_fields.items()}


def organization_facts(org: Organization) -> dict[str, Any]:
    """What a response that shows the organization derives from it, beyond the fields it has by name."""
    return {
        **feature_flags(org),
        "product_tier_type": product_tier(org.plan_type),
        "has_public_and_private_keys": bool(org.public_key and org.encrypted_private_key),
    }


class OrganizationHead(ApiResponse):
    id: uuid.UUID
    name: str
    billing_email: str
    business_name: str | None = None
    plan_type: int
    product_tier_type: int
    seats: int | None
    max_collections: int | None
    max_storage_gb: int | None = None
    enabled: bool
    has_public_and_private_keys: bool
    provider_id: uuid.UUID | None
    creation_date: BitwardenDate | None
    revision_date: BitwardenDate | None


class OrganizationResponse(Features, OrganizationHead):  # fields: the head's, then the features'
    object: Literal["organization"] = "organization"

    @classmethod
    def of(cls, org: Organization) -> OrganizationResponse:
        return model_by_name(cls, org, **organization_facts(org))


class ProfileOrganizationResponse(Features):  # fields: the features first
    id: uuid.UUID
    name: str
    identifier: str | None = None
    seats: int | None
    max_collections: int | None
    max_storage_gb: int | None = None
    plan_type: int
    product_tier_type: int
    has_public_and_private_keys: bool
    organization_user_id: uuid.UUID
    user_id: uuid.UUID | None
    key: str | None
    status: int
    type: int
    enabled: bool
    permissions: dict[str, bool]
    access_secrets_manager: bool
    provider_id: uuid.UUID | None
    provider_name: str | None
    provider_type: int | None
    reset_password_enrolled: bool = False
    sso_bound: bool = False
    key_connector_enabled: bool = False
    key_connector_url: str | None = None
    family_sponsorship_friendly_name: str | None = None
    family_sponsorship_available: bool = False
    family_sponsorship_last_sync_date: str | None = None
    family_sponsorship_valid_until: str | None = None
    family_sponsorship_to_delete: bool | None = None
    limit_collection_creation: bool = False
    limit_collection_deletion: bool = False
    limit_item_deletion: bool = False
    allow_admin_access_to_all_collection_items: bool = True
    user_is_managed_by_organization: bool = False
    user_is_claimed_by_organization: bool = False
    object: Literal["profileOrganization"] = "profileOrganization"

    @classmethod
    def of(cls, m: Membership) -> ProfileOrganizationResponse:
        org, member = m.org, m.member
        linked = org.provider_id is not None
        return model_by_name(
            cls,
            org,
            **organization_facts(org),
            organization_user_id=member.id,
            user_id=member.user_id,
            key=member.key,
            reset_password_enrolled=member.reset_password_key is not None,
            status=int(member.status),
            type=int(member.type),
            permissions=Permissions.from_json(member.permissions).to_json(),
            access_secrets_manager=member.access_secrets_manager,
            provider_name=m.provider_name if linked else None,
            provider_type=(m.provider_type or 0) if linked else None,
        )


# ---- members -----------------------------------------------------------------------------------------------------
class SelectionResponse(ApiResponse):
    """One collection grant: `{id, readOnly, hidePasswords, manage}` (a collection, a member or a group)."""

    id: uuid.UUID
    read_only: bool
    hide_passwords: bool
    manage: bool

    @classmethod
    def of(cls, item_id: uuid.UUID, grant: Grant) -> SelectionResponse:
        return model_by_name(cls, grant, id=item_id)


def selections(items: Iterable[tuple[uuid.UUID, Grant]]) -> list[SelectionResponse]:
    return [SelectionResponse.of(item_id, grant) for item_id, grant in items]


class MemberDetailsResponse(ApiResponse):
    id: uuid.UUID
    user_id: uuid.UUID | None
    name: str | None
    email: str
    external_id: str | None
    avatar_color: str | None = None
    groups: list[uuid.UUID]
    collections: list[SelectionResponse]
    status: int
    type: int
    access_all: bool
    two_factor_enabled: bool = False
    reset_password_enrolled: bool = False
    has_master_password: bool
    permissions: dict[str, bool]
    sso_bound: bool = False
    managed_by_organization: bool = False
    claimed_by_organization: bool = False
    uses_key_connector: bool = False
    access_secrets_manager: bool
    object: Literal["organizationUserUserDetails"] = "organizationUserUserDetails"

    @classmethod
    def of(cls, view: MemberView) -> MemberDetailsResponse:
        member = view.member
        return model_by_name(
            cls,
            member,
            name=view.name,
            groups=view.groups,
            collections=selections(view.collections),
            access_all=member.type in (MemberType.OWNER, MemberType.ADMIN),
            reset_password_enrolled=member.reset_password_key is not None,
            has_master_password=member.user_id is not None,
            permissions=Permissions.from_json(member.permissions).to_json(),
        )


class PublicKeyResponse(ApiResponse):
    id: uuid.UUID
    user_id: uuid.UUID
    key: str
    object: Literal["organizationUserPublicKeyResponseModel"] = "organizationUserPublicKeyResponseModel"


class OrganizationPublicKeyResponse(ApiResponse):
    public_key: str
    object: Literal["organizationPublicKey"] = "organizationPublicKey"


class BulkResultResponse(ApiResponse):
    id: uuid.UUID
    error: str
    object: Literal["OrganizationBulkConfirmResponseModel"] = "OrganizationBulkConfirmResponseModel"


def bulk(results: Iterable[BulkResult]) -> ListResponse[BulkResultResponse]:
    return ListResponse(data=[BulkResultResponse(id=r.id, error=r.error) for r in results])


# ---- collections -------------------------------------------------------------------------------------------------
class CollectionResponse(ApiResponse):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    external_id: str | None
    type: int = 0
    default_user_collection_email: str | None = None
    object: Literal["collection", "collectionDetails", "collectionAccessDetails"] = "collection"

    @classmethod
    def of(cls, view: CollectionView) -> CollectionResponse:
        return cls.model_validate(view, from_attributes=True)


class CollectionDetailsResponse(CollectionResponse):
    """The collection with the caller's own rights on it."""

    object: Literal["collection", "collectionDetails", "collectionAccessDetails"] = "collectionDetails"
    read_only: bool
    hide_passwords: bool
    manage: bool

    @classmethod
    def of(cls, view: CollectionView) -> CollectionDetailsResponse:
        return model_by_name(cls, view, **_caller_rights(view))


class CollectionAccessDetailsResponse(CollectionDetailsResponse):
    """With who has access, for those who may change it."""

    object: Literal["collection", "collectionDetails", "collectionAccessDetails"] = "collectionAccessDetails"
    assigned: bool
    unmanaged: bool = False
    users: list[SelectionResponse]
    groups: list[SelectionResponse]

    @classmethod
    def of(cls, view: CollectionView) -> CollectionAccessDetailsResponse:
        return model_by_name(
            cls, view, **_caller_rights(view), users=selections(view.users), groups=selections(view.groups)
        )


def _caller_rights(view: CollectionView) -> dict[str, bool]:
    grant = view.grant or _NO_GRANT
    return {"read_only": grant.read_only, "hide_passwords": grant.hide_passwords, "manage": grant.manage}


# ---- groups ------------------------------------------------------------------------------------------------------
class GroupResponse(ApiResponse):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    external_id: str | None
    access_all: bool = False
    object: Literal["group", "groupDetails"] = "group"

    @classmethod
    def of(cls, view: GroupView) -> GroupResponse:
        return cls.model_validate(view, from_attributes=True)


class GroupDetailsResponse(GroupResponse):
    object: Literal["group", "groupDetails"] = "groupDetails"
    collections: list[SelectionResponse]
    users: list[uuid.UUID]

    @classmethod
    def of(cls, view: GroupView) -> GroupDetailsResponse:
        return model_by_name(cls, view, collections=selections(view.collections), users=view.member_ids)


# ---- policies and sync -------------------------------------------------------------------------------------------
class PolicyResponse(ApiResponse):
    id: uuid.UUID | None
    organization_id: uuid.UUID
    type: int
    data: Any
    enabled: bool
    revision_date: datetime | None = None
    object: Literal["policy"] = "policy"

    @classmethod
    def of(cls, view: PolicyView) -> PolicyResponse:
        return cls.model_validate(view, from_attributes=True)


class SyncResponse(BaseModel):
    """What the gateway composes into `/api/sync` (organizations, collections and policies of the caller)."""

    organizations: list[ProfileOrganizationResponse]
    collections: list[CollectionDetailsResponse]
    policies: list[PolicyResponse]


def sync_json(memberships: Iterable[Membership], collections: str, policies: Iterable[PolicyView]) -> bytes:
    """`SyncResponse` as JSON around the collections PostgreSQL wrote (`queries.sync_documents`, the array's items
    closed with `rights_json`): a provider user's sync lists every client's collections (10,000). The collections
    come last, so the gateway can pass them through as bytes (gateway/parts.py, RawOrganizationPart)."""
    organizations = [ProfileOrganizationResponse.of(m).model_dump(mode="json") for m in memberships]
    return "".join(
        (
            '{"organizations":',
            json.dumps(organizations, separators=(",", ":")),
            ',"policies":',
            json.dumps([PolicyResponse.of(p).model_dump(mode="json") for p in policies], separators=(",", ":")),
            ',"collections":[',
            collections,
            "]}",
        )
    ).encode()


@functools.cache
def rights_json(grant: Grant) -> str:
    """The last members of a collection as `collection_details_json` writes them (the caller's rights), with the
    object's closing brace: a handful of distinct grants, each written once."""
    rights = {"readOnly", "hidePasswords", "manage"}
    written = collection_details_json(CollectionView(uuid.UUID(int=0), uuid.UUID(int=0), "", None, grant, False))
    return json.dumps({key: value for key, value in written.items() if key in rights}, separators=(",", ":"))[1:]


def collection_details_json(view: CollectionView) -> dict[str, Any]:
    """`CollectionDetailsResponse.of(view)` dumped, member for member (a unit test holds the two together)."""
    grant = view.grant or _NO_GRANT
    return {
        "id": str(view.id),
        "organizationId": str(view.organization_id),
        "name": view.name,
        "externalId": view.external_id,
        "type": 0,
        "defaultUserCollectionEmail": None,
        "object": "collectionDetails",
        "readOnly": grant.read_only,
        "hidePasswords": grant.hide_passwords,
        "manage": grant.manage,
    }


_NO_GRANT = Grant(read_only=False, hide_passwords=False, manage=False)


class RevisionDateResponse(ApiResponse):
    revision_date: int  # milliseconds since the epoch; 0 when nothing was ever bumped

    @classmethod
    def of(cls, revised: datetime | None) -> RevisionDateResponse:
        return cls(revision_date=epoch_ms(revised) if revised else 0)


class AccountRecoveryTargetResponse(ApiResponse):
    """`/internal/…/account-recovery`: what identity needs to serve reset-password-details and apply a recovery."""

    organization_user_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    reset_password_key: str
    encrypted_private_key: str

    @classmethod
    def of(cls, target: RecoveryTarget) -> AccountRecoveryTargetResponse:
        member = target.member
        assert member.user_id is not None  # a recoverable member is confirmed, hence has an account
        return model_by_name(cls, target, organization_user_id=member.id, user_id=member.user_id, email=member.email)


# ---- the organization's API key and the public API it opens ------------------------------------------------------
class PublicMemberResponse(ApiResponse):
    """Bitwarden's public API `MemberResponseModel` (the fields an automation reads)."""

    object: Literal["member"] = "member"
    id: str
    user_id: str | None
    name: str | None
    email: str
    type: int
    status: int
    external_id: str | None
    reset_password_enrolled: bool = False
    collections: list[dict[str, Any]] = Field(default_factory=list)

    @classmethod
    def of(cls, view: MemberView) -> PublicMemberResponse:
        member = view.member
        return cls(
            id=str(member.id),
            user_id=str(member.user_id) if member.user_id else None,
            name=view.name,
            email=member.email,
            type=int(member.type),
            status=int(member.status),
            external_id=member.external_id,
        )
