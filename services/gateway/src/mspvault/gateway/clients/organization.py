"""The organization service: the caller's memberships, the collections they may see, and policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient
from mspvault.gateway.parts import (
    EMPTY_RAW_ORGANIZATION_PART,
    OrganizationPart,
    RawOrganizationPart,
    empty_organization_part,
)


@dataclass(frozen=True)
class OrganizationClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> RawOrganizationPart:
        """The part with its collections unparsed when the service wrote them in its usual layout (the bytes pass
        through); parsed and written in that layout otherwise."""
        body = await self.internal_body("/internal/sync", headers, missing_ok=True)
        if body is None:
            return EMPTY_RAW_ORGANIZATION_PART
        return RawOrganizationPart.of(body) or RawOrganizationPart.of_parsed(self._part(self.json_of(body)))

    async def profile_part(self, headers: Mapping[str, str]) -> OrganizationPart:
        """The memberships alone (no collections or policies: a profile shows none); the whole part from a service
        that does not serve this read yet."""
        body = await self.internal_json("/internal/profile", headers, missing_ok=True)
        return (await self.sync_part(headers)).memberships() if body is None else self._part(body)

    def _part(self, body: object) -> OrganizationPart:
        if body is None:
            return empty_organization_part()
        body = self.object_of(body)
        return {
            "organizations": self.list_of(body, "organizations"),
            "collections": self.list_of(body, "collections"),
            "policies": self.list_of(body, "policies"),
        }
