"""The provider service: the caller's providers and the client organizations they reach through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient, UpstreamError
from mspvault.gateway.parts import EMPTY_RAW_PROVIDER_PART, MalformedPart, RawProviderPart


@dataclass(frozen=True)
class ProviderClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> RawProviderPart:
        """The part with its client organizations written from the provider's compact rows (parts.py)."""
        answer = await self.internal_json("/internal/sync", headers, missing_ok=True)
        if answer is None:
            return EMPTY_RAW_PROVIDER_PART
        try:
            return RawProviderPart.of(answer)
        except MalformedPart as error:
            raise UpstreamError(502, f"The {self.service} service sent a malformed sync part: {error}") from error
