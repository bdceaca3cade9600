"""The provider service: the caller's providers and the client organizations they reach through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient
from mspvault.gateway.parts import ProviderPart, empty_provider_part


@dataclass(frozen=True)
class ProviderClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> ProviderPart:
        body = await self.internal_json("/internal/sync", headers, missing_ok=True)
        if body is None:
            return empty_provider_part()
        body = self.object_of(body)
        return {
            "providers": self.list_of(body, "providers"),
            "providerOrganizations": self.list_of(body, "providerOrganizations"),
        }
