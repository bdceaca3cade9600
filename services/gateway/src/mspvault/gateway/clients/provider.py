"""The provider service: the caller's providers and the client organizations they reach through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient, UpstreamError
from mspvault.gateway.jsonbody import parse
from mspvault.gateway.parts import EMPTY_RAW_PROVIDER_PART, RawProviderPart


@dataclass(frozen=True)
class ProviderClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> RawProviderPart:
        """The part with its client organizations unparsed when the provider wrote them in its usual layout (the
        bytes pass through); parsed and written in that layout otherwise."""
        response = await self.get("/internal/sync", headers)
        if response.status_code != 200:
            self.raise_for(response, "/internal/sync", missing_ok=True)
            return EMPTY_RAW_PROVIDER_PART
        raw = RawProviderPart.of(response.content)
        if raw is not None:
            return raw
        try:
            body = self.object_of(parse(response.content))
        except ValueError as error:
            raise UpstreamError(502, f"The {self.service} service answered with invalid JSON") from error
        return RawProviderPart.of_parsed(
            {
                "providers": self.list_of(body, "providers"),
                "providerOrganizations": self.list_of(body, "providerOrganizations"),
            }
        )
