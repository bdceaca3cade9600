"""`GET /api/sync` and `GET /api/accounts/profile`: one answer composed from four services (bw-cli-api.md §3.4).

The merge functions are pure; `SyncComposer` fans out to the services concurrently with the caller's token and
correlation id, so a sync costs the slowest service, not the sum.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from mspvault.gateway.clients import ServiceClients, UpstreamError
from mspvault.gateway.jsonbody import render
from mspvault.gateway.parts import (
    IdentityPart,
    JsonObject,
    OrganizationPart,
    ProviderPart,
    RawProviderPart,
    RawVaultPart,
    VaultPart,
    empty_vault_part,
)

T = TypeVar("T")


def merge_profile(profile: Mapping[str, Any], provider: ProviderPart, organization: OrganizationPart) -> JsonObject:
    """Identity's profile, with the memberships the other services own put where Bitwarden clients read them."""
    return {
        **profile,
        "organizations": with_client_organizations(organization["organizations"], provider["providerOrganizations"]),
        "providers": provider["providers"],
        "providerOrganizations": provider["providerOrganizations"],
        "object": "profile",
    }


def merge_raw_profile(
    profile: Mapping[str, Any], provider: ProviderPart | RawProviderPart, organization: OrganizationPart
) -> JsonObject:
    """`merge_profile` with the provider's client organizations passed through as bytes (orjson fragments) when
    they can be: the same JSON once rendered."""
    if isinstance(provider, dict):
        return merge_profile(profile, provider, organization)
    memberships = organization["organizations"]
    copies = provider.client_copies({org["id"] for org in memberships})
    if copies is None:
        return merge_profile(profile, provider.parsed(), organization)
    return {
        **profile,
        "organizations": orjson.Fragment(_join_items(render(memberships), copies)),
        "providers": provider.providers,
        "providerOrganizations": provider.provider_organizations(),
        "object": "profile",
    }


def _join_items(array: bytes, items: bytes) -> bytes:
    """A rendered JSON array with more items (rendered, without brackets) appended."""
    if not items:
        return array
    return b"".join((array[:-1], b"," if len(array) > 2 else b"", items, b"]"))


def with_client_organizations(
    memberships: list[JsonObject], client_organizations: list[JsonObject]
) -> list[JsonObject]:
    """Member organizations, plus every client organization a provider user administers that they are not a member of.

    Bitwarden lists client orgs only under `providerOrganizations`, and its CLI's `bw list organizations` shows only
    `organizations`; MSPVault's provider users must see their clients there too. The copy keeps the
    provider-wrapped key (`2.`): clients open it through the `providerOrganizations` entry of the same id.
    """
    member_of = {org["id"] for org in memberships}
    extra = [
        {**client, "object": "profileOrganization", "isMember": True}
        for client in client_organizations
        if client["id"] not in member_of
    ]
    return [*memberships, *extra] if extra else memberships


def merge_sync(
    identity: IdentityPart,
    provider: ProviderPart | RawProviderPart,
    organization: OrganizationPart,
    vault: VaultPart,
    *,
    exclude_domains: bool,
) -> JsonObject:
    return {
        "profile": merge_raw_profile(identity["profile"], provider, organization),
        "folders": vault["folders"],
        "collections": organization["collections"],
        "ciphers": vault["ciphers"],
        "policies": organization["policies"],
        "sends": [],
        "domains": None if exclude_domains else empty_domains(),
        "userDecryption": identity["userDecryption"],
        "object": "sync",
    }


def render_sync(
    identity: IdentityPart,
    provider: ProviderPart | RawProviderPart,
    organization: OrganizationPart,
    vault: RawVaultPart,
    *,
    exclude_domains: bool,
) -> bytes:
    """`merge_sync` rendered to JSON, with the vault's members spliced in as the vault wrote them."""
    head = merge_sync(identity, provider, organization, empty_vault_part(), exclude_domains=exclude_domains)
    members = vault.members()
    if not len(members):
        return render(head)
    del head["folders"], head["ciphers"]
    encoded = render(head)
    return b"".join((encoded[:-1], b",", members, b"}"))


def empty_domains() -> JsonObject:
    return {"equivalentDomains": [], "globalEquivalentDomains": [], "object": "domains"}


@dataclass(frozen=True)
class SyncComposer:
    clients: ServiceClients

    async def sync(self, headers: Mapping[str, str], *, exclude_domains: bool) -> bytes:
        identity, provider, organization, vault = await asyncio.gather(
            self.clients.identity.sync_part(headers),
            self.clients.provider.sync_part(headers),
            self.clients.organization.sync_part(headers),
            self.clients.vault.raw_sync_part(headers),
            return_exceptions=True,
        )
        raise_worst(identity, provider, organization, vault)
        return render_sync(ok(identity), ok(provider), ok(organization), ok(vault), exclude_domains=exclude_domains)

    async def profile(self, headers: Mapping[str, str]) -> JsonObject:
        identity, provider, organization = await asyncio.gather(
            self.clients.identity.sync_part(headers),
            self.clients.provider.sync_part(headers),
            self.clients.organization.sync_part(headers),
            return_exceptions=True,
        )
        raise_worst(identity, provider, organization)
        return merge_raw_profile(ok(identity)["profile"], ok(provider), ok(organization))

    async def revision_date(self, headers: Mapping[str, str]) -> int:
        """The last change anywhere the caller can see: the max over the services (epoch ms)."""
        dates = await asyncio.gather(
            *(client.revision_date(headers) for client in self.clients.all()), return_exceptions=True
        )
        raise_worst(*dates)
        known = [date for date in map(ok, dates) if date is not None]
        if not known:
            raise UpstreamError(502, "No service reported a revision date")
        return max(known)


def raise_worst(*results: object) -> None:
    """After every call has finished (none is left to fail unobserved), raise the failure that matters most to
    the caller: an unexpected error first, then a refused token, then the worst upstream status."""
    failures = [result for result in results if isinstance(result, BaseException)]
    if not failures:
        return
    unexpected = [failure for failure in failures if not isinstance(failure, UpstreamError)]
    if unexpected:
        raise unexpected[0]
    upstream = [failure for failure in failures if isinstance(failure, UpstreamError)]
    raise min(upstream, key=lambda error: (error.status != 401, -error.status))


def ok(result: T | BaseException) -> T:
    if isinstance(result, BaseException):
        raise result
    return result
