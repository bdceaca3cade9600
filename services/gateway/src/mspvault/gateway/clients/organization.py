"""The organization service: the caller's memberships, the collections they may see, and policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient, UpstreamError
from mspvault.gateway.jsonbody import parse
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
        response = await self.get("/internal/sync", headers)
        if response.status_code != 200:
            self.raise_for(response, "/internal/sync", missing_ok=True)
            return EMPTY_RAW_ORGANIZATION_PART
        raw = RawOrganizationPart.of(response.content)
        if raw is not None:
            return raw
        try:
            body = parse(response.content)
        except ValueError as error:
            raise UpstreamError(502, f"The {self.service} service answered with invalid JSON") from error
        return RawOrganizationPart.of_parsed(self._part(body))

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
