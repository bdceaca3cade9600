"""The provider service: the caller's providers and the client organizations they reach through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient
from mspvault.gateway.parts import EMPTY_RAW_PROVIDER_PART, RawProviderPart


@dataclass(frozen=True)
class ProviderClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> RawProviderPart:
        """The part with its client organizations unparsed when the provider wrote them in its usual layout (the
        bytes pass through); parsed and written in that layout otherwise."""
        body = await self.internal_body("/internal/sync", headers, missing_ok=True)
        if body is None:
            return EMPTY_RAW_PROVIDER_PART
        raw = RawProviderPart.of(body)
        if raw is not None:
            return raw
        parsed = self.object_of(self.json_of(body))
        return RawProviderPart.of_parsed(
            {
                "providers": self.list_of(parsed, "providers"),
                "providerOrganizations": self.list_of(parsed, "providerOrganizations"),
            }
        )
