"""Response bodies in Bitwarden's shapes (camelCase, an `object` tag), built from domain objects and queries."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator
from pydantic.alias_generators import to_camel

from mspvault.provider.adapters.queries import (
    AddableOrganization,
    ClientDetails,
    ClientKind,
    ClientListing,
    MyClient,
    MyProvider,
    ProviderUserDetails,
)
from mspvault.provider.domain.client import ClientSettings
from mspvault.provider.domain.enums import ENTERPRISE_PLANS, ORG_STATUS_MANAGED, is_enterprise, plan_name
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import BulkResult, ProviderUser
from mspvault.shared.by_name import model_by_name
from mspvault.shared.dates import BitwardenDate

T = TypeVar("T")

OWNER = 0


class ApiResponse(BaseModel):
    # from_attributes: a response whose fields all line up with a domain object or view is `model_validate(it)`.
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True, from_attributes=True
    )


class ListResponse(ApiResponse, Generic[T]):
    data: list[T]
    object: Literal["list"] = "list"
    continuation_token: str | None = None


def permissions() -> dict[str, bool]:
    """Bitwarden's Permissions object; provider users hold no custom permissions."""
    names = (
        "accessEventLogs accessImportExport accessReports createNewCollections editAnyCollection deleteAnyCollection "
        "editAssignedCollections deleteAssignedCollections manageGroups managePolicies manageSso manageUsers "
        "manageResetPassword manageScim"
    )
    return dict.fromkeys(names.split(), False)


class NullResponse(RootModel[None]):
    """The JSON `null` an action answers with 200 when it has nothing to show (Bitwarden's clients read no body)."""


DONE: dict[int | str, dict[str, Any]] = {200: {"model": NullResponse, "description": "Done"}}


# ---- providers ---------------------------------------------------------------------------------------------------
class ProviderResponse(ApiResponse):
    id: uuid.UUID
    name: str
    business_name: str | None
    business_address1: str | None = None
    business_address2: str | None = None
    business_address3: str | None = None
    business_country: str | None = None
    business_tax_number: str | None = None
    billing_email: str | None
    creation_date: BitwardenDate
    type: int
    status: int
    enabled: bool
    use_events: bool
    object: Literal["provider"] = "provider"


class AdminProviderResponse(ProviderResponse):
    teams_seat_minimum: int
    enterprise_seat_minimum: int

    @classmethod
    def of(cls, provider: Provider) -> AdminProviderResponse:
        return model_by_name(
            cls,
            provider,
            teams_seat_minimum=provider.seat_minimum_teams,
            enterprise_seat_minimum=provider.seat_minimum_enterprise,
        )


class CreatedProviderResponse(AdminProviderResponse):
    owner_provider_user_id: uuid.UUID


# ---- provider users ----------------------------------------------------------------------------------------------
class ProviderUserResponse(ApiResponse):
    id: uuid.UUID
    user_id: uuid.UUID | None
    type: int
    status: int
    permissions: dict[str, bool]
    object: str = "providerUser"

    @classmethod
    def of(cls, user: ProviderUser) -> ProviderUserResponse:
        return model_by_name(cls, user, permissions=permissions())


class ProviderUserDetailsResponse(ProviderUserResponse):
    name: str | None
    email: str
    object: str = "providerUserUserDetails"

    @classmethod
    def of_details(cls, details: ProviderUserDetails) -> ProviderUserDetailsResponse:
        return model_by_name(cls, details.user, permissions=permissions(), name=details.name, email=details.email)


class BulkResponse(ApiResponse):
    id: uuid.UUID
    error: str
    object: Literal["providerUserBulkResponseModel"] = "providerUserBulkResponseModel"


def bulk(results: Iterable[BulkResult]) -> ListResponse[BulkResponse]:
    """Per-id results of a bulk action: an empty error where it succeeded."""
    return ListResponse(data=[BulkResponse(id=result.id, error=result.error or "") for result in results])


class PublicKeyResponse(ApiResponse):
    id: uuid.UUID
    user_id: uuid.UUID
    key: str
    object: Literal["providerUserPublicKeyResponseModel"] = "providerUserPublicKeyResponseModel"


# ---- clients -----------------------------------------------------------------------------------------------------
class ProviderOrganizationResponse(ApiResponse):
    id: uuid.UUID
    provider_id: uuid.UUID
    organization_id: uuid.UUID
    key: str | None
    settings: str
    creation_date: BitwardenDate
    revision_date: BitwardenDate
    object: str = "providerOrganization"

    @field_validator("settings", mode="before")
    @classmethod
    def _settings_as_text(cls, settings: Any) -> Any:
        # Bitwarden sends a client's settings as JSON text; a ClientLink holds them as ClientSettings.
        return json.dumps(settings.to_json()) if isinstance(settings, ClientSettings) else settings


class ClientDetailsResponse(ProviderOrganizationResponse):
    organization_name: str
    user_count: int
    seats: int
    occupied_seats: int
    remaining_seats: int
    plan: str
    plan_type: int
    status: int
    object: str = "providerOrganizationOrganizationDetails"

    @classmethod
    def of_details(cls, details: ClientDetails) -> ClientDetailsResponse:
        link = details.link
        return model_by_name(
            cls,
            link,
            user_count=details.user_count,
            occupied_seats=details.occupied_seats,
            remaining_seats=max(link.seats - details.occupied_seats, 0),
            plan=plan_name(link.plan_type),
            status=ORG_STATUS_MANAGED,
        )


class ClientListResponse(ApiResponse):
    """The client list (documentation of what `client_list_json` writes): `count` only for a page."""

    data: list[ClientDetailsResponse]
    object: Literal["list"] = "list"
    continuation_token: str | None = None
    count: int | None = None


def client_list_json(listing: ClientListing) -> list[bytes]:
    """`ClientListResponse` around the clients' JSON as PostgreSQL wrote it (`queries.list_clients`; the test of the
    listing holds each client to `ClientDetailsResponse`), in pieces: a provider's 10,000 clients pass as one value,
    never copied into a joined body when the answer is compressed."""
    tail = {
        "object": "list",
        "continuationToken": listing.next.token() if listing.next is not None else None,
        **({"count": listing.count} if listing.count is not None else {}),
    }
    return [b'{"data":[', listing.items, b"],", json.dumps(tail)[1:].encode()]


class AddableOrganizationResponse(ApiResponse):
    id: uuid.UUID
    name: str
    plan: str
    seats: int | None
    disabled: bool = False

    @classmethod
    def of(cls, org: AddableOrganization) -> AddableOrganizationResponse:
        return model_by_name(cls, org, plan=plan_name(org.plan_type))


# ---- sync --------------------------------------------------------------------------------------------------------
# Documentation of what `profile_provider` and `profile_provider_organization` write (the OpenAPI document, which
# the gateway's `/api/sync` and profile refer to); a unit test holds the writers to these models.
class ProfileProviderResponse(ApiResponse):
    id: uuid.UUID
    name: str
    key: str | None  # the provider key wrapped to the user; null until they are confirmed
    status: int
    type: int
    enabled: bool
    permissions: dict[str, bool]
    user_id: uuid.UUID
    use_events: bool
    provider_status: int
    provider_type: int
    object: Literal["profileProvider"]


class ProfileProviderOrganizationResponse(ApiResponse):
    """A client organization as Bitwarden's profileProviderOrganization. The gateway also lists it among the
    caller's organizations (`object` `profileOrganization`, `isMember` true) when they are not a member of it."""

    id: uuid.UUID
    name: str
    key: str | None  # the organization key under the provider key
    status: int
    type: int
    enabled: bool
    user_id: uuid.UUID
    organization_user_id: None
    permissions: dict[str, bool]
    use2fa: bool = Field(alias="use2fa")  # not "use2Fa", as the camelCase generator would have it
    use_totp: bool
    use_policies: bool
    use_api: bool
    use_groups: bool
    use_events: bool
    use_directory: bool
    use_sso: bool
    use_key_connector: bool
    use_scim: bool
    use_reset_password: bool
    use_secrets_manager: bool
    use_password_manager: bool
    use_custom_permissions: bool
    use_activate_autofill_policy: bool
    self_host: bool
    users_get_premium: bool
    seats: int | None
    max_collections: int | None
    max_storage_gb: int | None
    product_tier_type: int
    has_public_and_private_keys: bool
    limit_collection_creation: bool
    limit_collection_deletion: bool
    limit_item_deletion: bool
    allow_admin_access_to_all_collection_items: bool
    user_is_claimed_by_organization: bool
    identifier: str | None
    reset_password_enrolled: bool
    sso_bound: bool
    family_sponsorship_friendly_name: str | None
    family_sponsorship_available: bool
    family_sponsorship_last_sync_date: str | None
    family_sponsorship_valid_until: str | None
    family_sponsorship_to_delete: bool | None
    plan_product_type: int
    key_connector_enabled: bool
    key_connector_url: str | None
    access_secrets_manager: bool
    provider_id: uuid.UUID
    provider_name: str
    provider_type: int
    is_provider_user: bool
    is_member: bool
    object: Literal["profileProviderOrganization", "profileOrganization"]


# kind (an index into clientKinds), organization id, name, key, seats
ClientRow = tuple[int, uuid.UUID, str, str | None, int]


class ProviderSyncResponse(ApiResponse):
    """`/internal/sync`'s answer (`provider_sync_json`): the caller's providers, and their clients compactly. Each
    client's `profileProviderOrganization` is its kind's chunks with its values between them, in the order of
    `ClientRow` (id, name, key as JSON values, seats); the gateway writes the items (and their member-like copies,
    each kind's last chunk ending `"isMember":false,"object":"profileProviderOrganization"}`)."""

    providers: list[ProfileProviderResponse]
    client_kinds: list[tuple[str, str, str, str, str]]
    clients: list[ClientRow]


def profile_provider(item: MyProvider) -> dict[str, Any]:
    provider, membership = item.provider, item.membership
    return {
        "id": str(provider.id),
        "name": provider.name,
        "key": membership.key,
        "status": int(membership.status),
        "type": int(membership.type),
        "enabled": provider.enabled,
        "permissions": permissions(),
        "userId": str(membership.user_id),
        "useEvents": provider.use_events,
        "providerStatus": int(provider.status),
        "providerType": int(provider.type),
        "object": "profileProvider",
    }


def profile_provider_organization(item: MyProvider, client: MyClient) -> dict[str, Any]:
    """profileOrganization's shape; the key is the org key under the provider key, and the role is Owner.

    Feature flags follow the plan: the provider service does not keep each organization's own flags.
    """
    provider = item.provider
    enterprise = is_enterprise(client.plan_type)
    return {
        "id": client.organization_id,
        "name": client.name,
        "key": client.key,
        "status": 2,
        "type": OWNER,
        "enabled": client.enabled and provider.enabled,
        "userId": str(item.membership.user_id),
        "organizationUserId": None,
        "permissions": permissions(),
        "use2fa": True,
        "useTotp": True,
        "usePolicies": True,
        "useApi": True,
        "useGroups": True,
        "useEvents": True,
        "useDirectory": True,
        "useSso": enterprise,
        "useKeyConnector": enterprise,
        "useScim": enterprise,
        "useResetPassword": enterprise,
        "useSecretsManager": False,
        "usePasswordManager": True,
        "useCustomPermissions": enterprise,
        "useActivateAutofillPolicy": enterprise,
        "selfHost": False,
        "usersGetPremium": True,
        "seats": client.seats,
        "maxCollections": None,
        "maxStorageGb": 1,
        "productTierType": 3 if enterprise else 2,
        "hasPublicAndPrivateKeys": True,
        "limitCollectionCreation": False,
        "limitCollectionDeletion": False,
        "limitItemDeletion": False,
        "allowAdminAccessToAllCollectionItems": client.access_to_items,
        "userIsClaimedByOrganization": False,
        "identifier": None,
        "resetPasswordEnrolled": False,
        "ssoBound": False,
        "familySponsorshipFriendlyName": None,
        "familySponsorshipAvailable": False,
        "familySponsorshipLastSyncDate": None,
        "familySponsorshipValidUntil": None,
        "familySponsorshipToDelete": None,
        "planProductType": 3 if enterprise else 2,
        "keyConnectorEnabled": False,
        "keyConnectorUrl": None,
        "accessSecretsManager": False,
        "providerId": str(provider.id),
        "providerName": provider.name,
        "providerType": int(provider.type),
        "isProviderUser": True,
        "isMember": False,
        "object": "profileProviderOrganization",
    }


def provider_sync_json(mine: list[MyProvider], kinds: Sequence[ClientKind], clients: bytes) -> bytes:
    """`/internal/sync`'s answer around its clients' rows as PostgreSQL wrote them (`queries.my_client_rows`, from
    `kinds`, which are `client_kinds(mine)`)."""
    providers = [profile_provider(item) for item in mine]
    head = {"providers": providers, "clientKinds": [kind.chunks for kind in kinds]}
    return b"".join((json.dumps(head, separators=(",", ":"))[:-1].encode(), b',"clients":[', clients, b"]}"))


def client_kinds(mine: Sequence[MyProvider]) -> list[ClientKind]:
    """Every kind of client of each provider (plan family, enabled, item access), each with the text of its JSON
    cut out of `profile_provider_organization` itself at the values each client has of its own, so the shape has
    one source (a test holds what PostgreSQL writes from these to it)."""
    return [
        ClientKind(item.provider.id, enterprise, enabled, access, _client_chunks(item, enterprise, enabled, access))
        for item in mine
        for enterprise, enabled, access in itertools.product((False, True), repeat=3)
    ]


_MARKS = ("id", "name", "key", "seats")


def _client_chunks(
    item: MyProvider, enterprise: bool, enabled: bool, access_to_items: bool
) -> tuple[str, str, str, str, str]:
    """A profileProviderOrganization as JSON text cut at the per-client values (`_MARKS`), in that order, each a
    JSON value between two chunks."""
    marked = MyClient(
        organization_id="\u0001id",
        name="\u0001name",
        key="\u0001key",
        seats=0,
        plan_type=next(iter(ENTERPRISE_PLANS)) if enterprise else 0,
        enabled=enabled,
        access_to_items=access_to_items,
    )
    shape = profile_provider_organization(item, marked)
    shape["seats"] = "\u0001seats"
    # Unescaped, as the gateway's encoder writes the values between the chunks.
    text = json.dumps(shape, separators=(",", ":"), ensure_ascii=False)
    chunks: list[str] = []
    for mark in _MARKS:
        before, text = text.split(json.dumps(f"\u0001{mark}"), 1)
        chunks.append(before)
    return (chunks[0], chunks[1], chunks[2], chunks[3], text)
