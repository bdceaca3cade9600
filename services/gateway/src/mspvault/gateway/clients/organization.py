"""The organization service: the caller's memberships, the collections they may see, and policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient
from mspvault.gateway.parts import OrganizationPart, empty_organization_part


@dataclass(frozen=True)
class OrganizationClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> OrganizationPart:
        body = await self.internal_json("/internal/sync", headers, missing_ok=True)
        if body is None:
            return empty_organization_part()
        body = self.object_of(body)
        return {
            "organizations": self.list_of(body, "organizations"),
            "collections": self.list_of(body, "collections"),
            "policies": self.list_of(body, "policies"),
        }
