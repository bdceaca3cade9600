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
    RawOrganizationPart,
    RawProviderPart,
    RawVaultPart,
    VaultPart,
)

T = TypeVar("T")
# A composed answer as pieces written one after another (joined or compressed once, by the route): a provider
# user's profile is ~40 MB, mostly the provider's bytes, so every copy avoided counts.
Chunks = list[bytes | memoryview]


def merge_profile(profile: Mapping[str, Any], provider: ProviderPart, organization: OrganizationPart) -> JsonObject:
    """Identity's profile, with the memberships the other services own put where Bitwarden clients read them."""
    return {
        **profile,
        "organizations": with_client_organizations(organization["organizations"], provider["providerOrganizations"]),
        "providers": provider["providers"],
        "providerOrganizations": provider["providerOrganizations"],
        "object": "profile",
    }


def profile_chunks(profile: Mapping[str, Any], provider: RawProviderPart, organization: OrganizationPart) -> Chunks:
    """`merge_profile` rendered, as pieces to be written one after another: the provider's client organizations
    as the gateway wrote them from the provider's rows (twice: as they are, and as member-like copies)."""
    memberships = organization["organizations"]
    copies = provider.client_copies({org["id"] for org in memberships})
    head = {
        **profile,
        "organizations": SLOT,
        "providers": provider.providers,
        "providerOrganizations": SLOT,
        "object": "profile",
    }
    items: Chunks = [b"[", *provider.provider_organizations(), b"]"]
    return splice(head, _with_items(render(memberships), copies), items)


def _with_items(array: bytes, items: list[bytes]) -> Chunks:
    """A rendered JSON array with more items (rendered, without brackets, as pieces) after its own."""
    if not items:
        return [array]
    return [array[:-1], b"," if len(array) > 2 else b"", *items, b"]"]


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
    provider: ProviderPart,
    organization: OrganizationPart,
    vault: VaultPart,
    *,
    exclude_domains: bool,
) -> JsonObject:
    profile = merge_profile(identity["profile"], provider, organization)
    return sync_object(
        profile,
        identity,
        folders=vault["folders"],
        collections=organization["collections"],
        ciphers=vault["ciphers"],
        policies=organization["policies"],
        exclude_domains=exclude_domains,
    )


def sync_object(
    profile: object,
    identity: IdentityPart,
    *,
    folders: object,
    collections: object,
    ciphers: object,
    policies: object,
    exclude_domains: bool,
) -> JsonObject:
    return {
        "profile": profile,
        "folders": folders,
        "collections": collections,
        "ciphers": ciphers,
        "policies": policies,
        "sends": [],
        "domains": None if exclude_domains else empty_domains(),
        "userDecryption": identity["userDecryption"],
        "object": "sync",
    }


def render_sync(
    identity: IdentityPart,
    provider: RawProviderPart,
    organization: RawOrganizationPart,
    vault: RawVaultPart,
    *,
    exclude_domains: bool,
) -> Chunks:
    """`merge_sync` rendered, as pieces: the profile's (`profile_chunks`), the organization's collections and the
    vault's members as the services wrote them."""
    head = sync_object(
        SLOT,
        identity,
        folders=[],
        collections=SLOT,
        ciphers=[],
        policies=organization.policies,
        exclude_domains=exclude_domains,
    )
    members = vault.members()
    if len(members):
        del head["folders"], head["ciphers"]
    profile = profile_chunks(identity["profile"], provider, organization.memberships())
    chunks = splice(head, profile, [b"[", organization.collections, b"]"])
    if len(members):
        chunks[-1:] = [chunks[-1][:-1], b",", members, b"}"]  # the object's closing brace moves after them
    return chunks


# A one-byte placeholder for a value written later: orjson never writes a raw NUL (it escapes it in strings).
SLOT = orjson.Fragment(b"\x00")


def splice(value: JsonObject, *fills: Chunks) -> Chunks:
    """`value` rendered, with each `SLOT` in it (in document order) replaced by the pieces of the next fill."""
    pieces = render(value).split(b"\x00")
    if len(pieces) != len(fills) + 1:
        raise ValueError(f"{len(pieces) - 1} slots for {len(fills)} fills")
    chunks: Chunks = [pieces[0]]
    for fill, after in zip(fills, pieces[1:], strict=True):
        chunks += [*fill, after]
    return chunks


def empty_domains() -> JsonObject:
    return {"equivalentDomains": [], "globalEquivalentDomains": [], "object": "domains"}


@dataclass(frozen=True)
class SyncComposer:
    clients: ServiceClients

    async def sync(self, headers: Mapping[str, str], *, exclude_domains: bool) -> Chunks:
        identity, provider, organization, vault = await asyncio.gather(
            self.clients.identity.sync_part(headers),
            self.clients.provider.sync_part(headers),
            self.clients.organization.sync_part(headers),
            self.clients.vault.raw_sync_part(headers),
            return_exceptions=True,
        )
        raise_worst(identity, provider, organization, vault)
        return render_sync(ok(identity), ok(provider), ok(organization), ok(vault), exclude_domains=exclude_domains)

    async def profile(self, headers: Mapping[str, str]) -> Chunks:
        identity, provider, organization = await asyncio.gather(
            self.clients.identity.sync_part(headers),
            self.clients.provider.sync_part(headers),
            self.clients.organization.profile_part(headers),
            return_exceptions=True,
        )
        raise_worst(identity, provider, organization)
        return profile_chunks(ok(identity)["profile"], ok(provider), ok(organization))

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
