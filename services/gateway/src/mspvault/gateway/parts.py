"""What each service's `GET /internal/sync` answers (docs/architecture.md), as the gateway reads it.

Items stay plain JSON: the gateway composes them and never looks inside, so validating thousands of ciphers
with pydantic would only cost time. A part whose top-level shape is wrong is refused (502) by the clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

JsonObject = dict[str, Any]


class IdentityPart(TypedDict):
    profile: JsonObject
    userDecryption: JsonObject | None


class ProviderPart(TypedDict):
    providers: list[JsonObject]
    providerOrganizations: list[JsonObject]


class OrganizationPart(TypedDict):
    organizations: list[JsonObject]
    collections: list[JsonObject]
    policies: list[JsonObject]


class VaultPart(TypedDict):
    folders: list[JsonObject]
    ciphers: list[JsonObject]


@dataclass(frozen=True)
class RawVaultPart:
    """The vault's answer as bytes: a JSON object whose members (`folders`, `ciphers`) belong at the top level of
    the sync unchanged. Splicing them in verbatim spares parsing and re-encoding megabytes of ciphers."""

    body: bytes

    def members(self) -> bytes:
        """The object's members without its braces (empty for `{}`)."""
        return self.body.strip()[1:-1].strip()


EMPTY_RAW_VAULT_PART = RawVaultPart(b'{"folders":[],"ciphers":[]}')


def empty_provider_part() -> ProviderPart:
    return {"providers": [], "providerOrganizations": []}


def empty_organization_part() -> OrganizationPart:
    return {"organizations": [], "collections": [], "policies": []}


def empty_vault_part() -> VaultPart:
    return {"folders": [], "ciphers": []}
