"""Response bodies in Bitwarden's shapes (camelCase, `object` tags), built from query results.

Plain dicts rather than pydantic models: the sync of a provider user may hold thousands of entries.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from mspvault.organization.adapters.queries import (
    CollectionView,
    GroupView,
    Membership,
    MemberView,
    PolicyView,
)
from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.members import BulkResult, Member
from mspvault.organization.domain.organization import Organization, product_tier
from mspvault.organization.domain.roles import MemberType, Permissions


def s(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def listing(data: Sequence[Any]) -> dict[str, Any]:
    return {"data": list(data), "object": "list", "continuationToken": None}


def _features(org: Organization) -> dict[str, Any]:
    return dict(org.features)


def organization(org: Organization) -> dict[str, Any]:
    return {
        "id": s(org.id),
        "name": org.name,
        "billingEmail": org.billing_email,
        "businessName": None,
        "planType": org.plan_type,
        "productTierType": product_tier(org.plan_type),
        "seats": org.seats,
        "maxCollections": org.max_collections,
        "maxStorageGb": None,
        "enabled": org.enabled,
        "hasPublicAndPrivateKeys": bool(org.public_key and org.encrypted_private_key),
        "providerId": s(org.provider_id),
        "creationDate": iso(org.creation_date),
        "revisionDate": iso(org.revision_date),
        **_features(org),
        "object": "organization",
    }


def profile_organization(m: Membership) -> dict[str, Any]:
    org, member = m.org, m.member
    return {
        **_features(org),
        "id": s(org.id),
        "name": org.name,
        "identifier": None,
        "seats": org.seats,
        "maxCollections": org.max_collections,
        "maxStorageGb": None,
        "planType": org.plan_type,
        "productTierType": product_tier(org.plan_type),
        "hasPublicAndPrivateKeys": bool(org.public_key and org.encrypted_private_key),
        "organizationUserId": s(member.id),
        "userId": s(member.user_id),
        "key": member.key,
        "status": int(member.status),
        "type": int(member.type),
        "enabled": org.enabled,
        "permissions": Permissions.from_json(member.permissions).to_json(),
        "accessSecretsManager": member.access_secrets_manager,
        "providerId": s(org.provider_id),
        "providerName": m.provider_name if org.provider_id else None,
        "providerType": (m.provider_type or 0) if org.provider_id else None,
        "resetPasswordEnrolled": False,
        "ssoBound": False,
        "keyConnectorEnabled": False,
        "keyConnectorUrl": None,
        "familySponsorshipFriendlyName": None,
        "familySponsorshipAvailable": False,
        "familySponsorshipLastSyncDate": None,
        "familySponsorshipValidUntil": None,
        "familySponsorshipToDelete": None,
        "limitCollectionCreation": False,
        "limitCollectionDeletion": False,
        "limitItemDeletion": False,
        "allowAdminAccessToAllCollectionItems": True,
        "userIsManagedByOrganization": False,
        "userIsClaimedByOrganization": False,
        "object": "profileOrganization",
    }


def selection(item_id: uuid.UUID, grant: Grant) -> dict[str, Any]:
    return {
        "id": s(item_id),
        "readOnly": grant.read_only,
        "hidePasswords": grant.hide_passwords,
        "manage": grant.manage,
    }


def member_details(view: MemberView) -> dict[str, Any]:
    member: Member = view.member
    return {
        "id": s(member.id),
        "userId": s(member.user_id),
        "name": view.name,
        "email": member.email,
        "externalId": member.external_id,
        "avatarColor": None,
        "groups": [s(g) for g in view.groups],
        "collections": [selection(cid, grant) for cid, grant in view.collections],
        "status": int(member.status),
        "type": int(member.type),
        "accessAll": member.type in (MemberType.OWNER, MemberType.ADMIN),
        "twoFactorEnabled": False,
        "resetPasswordEnrolled": False,
        "hasMasterPassword": member.user_id is not None,
        "permissions": Permissions.from_json(member.permissions).to_json(),
        "ssoBound": False,
        "managedByOrganization": False,
        "claimedByOrganization": False,
        "usesKeyConnector": False,
        "accessSecretsManager": member.access_secrets_manager,
        "object": "organizationUserUserDetails",
    }


def collection(view: CollectionView) -> dict[str, Any]:
    return {
        "id": s(view.id),
        "organizationId": s(view.organization_id),
        "name": view.name,
        "externalId": view.external_id,
        "type": 0,
        "defaultUserCollectionEmail": None,
        "object": "collection",
    }


def collection_details(view: CollectionView) -> dict[str, Any]:
    grant = view.grant or Grant(read_only=False, hide_passwords=False, manage=False)
    return {
        **collection(view),
        "readOnly": grant.read_only,
        "hidePasswords": grant.hide_passwords,
        "manage": grant.manage,
        "object": "collectionDetails",
    }


def collection_access_details(view: CollectionView) -> dict[str, Any]:
    return {
        **collection_details(view),
        "assigned": view.assigned,
        "unmanaged": False,
        "users": [selection(mid, grant) for mid, grant in view.users],
        "groups": [selection(gid, grant) for gid, grant in view.groups],
        "object": "collectionAccessDetails",
    }


def group(view: GroupView) -> dict[str, Any]:
    return {
        "id": s(view.id),
        "organizationId": s(view.organization_id),
        "name": view.name,
        "externalId": view.external_id,
        "accessAll": False,
        "object": "group",
    }


def group_details(view: GroupView) -> dict[str, Any]:
    return {
        **group(view),
        "collections": [selection(cid, grant) for cid, grant in view.collections],
        "users": [s(m) for m in view.member_ids],
        "object": "groupDetails",
    }


def policy(view: PolicyView) -> dict[str, Any]:
    return {
        "id": s(view.id),
        "organizationId": s(view.organization_id),
        "type": view.type,
        "data": view.data,
        "enabled": view.enabled,
        "revisionDate": None,
        "object": "policy",
    }


def bulk(results: Iterable[BulkResult]) -> dict[str, Any]:
    return listing(
        [{"id": s(r.id), "error": r.error, "object": "OrganizationBulkConfirmResponseModel"} for r in results]
    )
