"""The documented bodies of the gateway's own answers, for the OpenAPI document only: no request builds, validates
or serializes these. `/api/sync` and the profile are a measured hot path composed from the services' pre-serialized
parts (sync.py); the routes declare these models with `responses=`, and their bytes go out as they were composed.

The composed answers carry items the services wrote, passed through untouched: those are the owner's own schema
(`service_schema`, resolved to its merged name by openapi.py), so each shape has one source. A contract test
validates real answers against the merged document (tests/e2e/test_api_fuzz.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, RootModel, WithJsonSchema

from mspvault.gateway.openapi import service_schema
from mspvault.shared.http.responses import ApiResponse


def _owned_by(service: str, name: str) -> WithJsonSchema:
    return WithJsonSchema(service_schema(service, name))


Folder = Annotated[dict[str, Any], _owned_by("vault", "FolderResponse")]
Cipher = Annotated[dict[str, Any], _owned_by("vault", "CipherDetailsResponse")]
Collection = Annotated[dict[str, Any], _owned_by("organization", "CollectionResponse")]
CollectionDetails = Annotated[dict[str, Any], _owned_by("organization", "CollectionDetailsResponse")]
Policy = Annotated[dict[str, Any], _owned_by("organization", "PolicyResponse")]
UserDecryption = Annotated[dict[str, Any], _owned_by("identity", "UserDecryption")]
ProfileProvider = Annotated[dict[str, Any], _owned_by("provider", "ProfileProviderResponse")]
ProviderClient = Annotated[dict[str, Any], _owned_by("provider", "ProfileProviderOrganizationResponse")]
# The caller's memberships, then the clients they administer without being a member (sync.with_client_organizations).
ProfileOrganization = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "anyOf": [
                service_schema("organization", "ProfileOrganizationResponse"),
                service_schema("provider", "ProfileProviderOrganizationResponse"),
            ]
        }
    ),
]


class ComposedProfile(ApiResponse):
    """Identity's profile (its every member) with the memberships the provider and organization services own."""

    model_config = ConfigDict(json_schema_extra={"allOf": [service_schema("identity", "SyncProfile")]})

    organizations: list[ProfileOrganization]
    providers: list[ProfileProvider]
    provider_organizations: list[ProviderClient]
    object: Literal["profile"]


class Domains(ApiResponse):
    equivalent_domains: list[list[str]]
    global_equivalent_domains: list[dict[str, Any]]  # always empty: no global equivalent domains here
    object: Literal["domains"]


class ComposedSync(ApiResponse):
    profile: ComposedProfile
    folders: list[Folder]
    collections: list[CollectionDetails]
    ciphers: list[Cipher]
    policies: list[Policy]
    sends: list[dict[str, Any]]  # always empty: Sends are not offered
    domains: Domains | None  # null with `excludeDomains=true`
    user_decryption: UserDecryption | None
    object: Literal["sync"]


class OrganizationExport(ApiResponse):
    collections: list[Collection]
    ciphers: list[Cipher]
    object: Literal["organizationExport"]


class ServerName(ApiResponse):
    name: str
    url: str


class ServerSettings(ApiResponse):
    disable_user_registration: bool


class ServerEnvironment(ApiResponse):
    vault: str
    api: str
    identity: str
    notifications: str
    sso: str
    cloud_region: str | None


class PushSettings(ApiResponse):
    push_technology: int
    vapid_public_key: str | None


class ServerConfig(ApiResponse):
    """`GET /api/config` (config.server_config), Bitwarden's ConfigResponseModel."""

    version: str
    git_hash: str
    server: ServerName
    settings: ServerSettings
    environment: ServerEnvironment
    push: PushSettings
    feature_states: dict[str, Any]
    communication: dict[str, Any] | None
    object: Literal["config"]


class ServerTime(RootModel[AwareDatetime]):
    """The server's current time as a JSON string, ISO 8601 in UTC (`2026-12-03T12:00:00.123456Z`)."""


class RevisionDate(RootModel[int]):
    """Epoch milliseconds of the last change the caller can see."""
