"""The vault service: the caller's folders and every cipher they may see (personal and organization)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mspvault.gateway.clients.base import ServiceClient, UpstreamError
from mspvault.gateway.parts import (
    EMPTY_RAW_VAULT_PART,
    RawVaultPart,
    VaultPart,
    empty_vault_part,
    looks_like_object,
)


@dataclass(frozen=True)
class VaultClient(ServiceClient):
    async def sync_part(self, headers: Mapping[str, str]) -> VaultPart:
        body = await self.internal_json("/internal/sync", headers, missing_ok=True)
        if body is None:
            return empty_vault_part()
        body = self.object_of(body)
        return {"folders": self.list_of(body, "folders"), "ciphers": self.list_of(body, "ciphers")}

    async def raw_sync_part(self, headers: Mapping[str, str]) -> RawVaultPart:
        """The same part, unparsed: only its outline is checked (a JSON object), the items pass through."""
        body = await self.internal_body("/internal/sync", headers, missing_ok=True)
        if body is None:
            return EMPTY_RAW_VAULT_PART
        if not looks_like_object(body):
            raise UpstreamError(502, f"The {self.service} service sent a malformed answer")
        return RawVaultPart(body)
