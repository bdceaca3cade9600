"""The identity service: the caller's profile and key material (the rest of its API is forwarded as is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient, UpstreamError
from mspvault.gateway.parts import IdentityPart


@dataclass(frozen=True)
class IdentityClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> IdentityPart:
        # Required: without the profile and its keys a sync is useless, so a 404 is the caller's answer.
        body = self.object_of(await self.internal_json("/internal/sync", headers, missing_ok=False))
        profile = body.get("profile")
        decryption = body.get("userDecryption")
        if not isinstance(profile, dict) or not (decryption is None or isinstance(decryption, dict)):
            raise UpstreamError(502, f"The {self.service} service sent a malformed profile")
        return {"profile": profile, "userDecryption": decryption}
