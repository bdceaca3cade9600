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
    the sync unchanged. Splicing them in verbatim spares parsing and re-encoding megabytes of ciphers; slicing a
    memoryview spares copying them on the way."""

    body: bytes

    def members(self) -> memoryview:
        """The object's members without its braces and surrounding whitespace (empty for `{}`)."""
        view = memoryview(self.body)
        start, end = _skip_space(self.body, 0, 1), _skip_space(self.body, len(self.body) - 1, -1)
        # body[start] is "{" and body[end] is "}" (checked by the client); trim the whitespace inside them
        inner_start, inner_end = _skip_space(self.body, start + 1, 1), _skip_space(self.body, end - 1, -1)
        return view[inner_start : inner_end + 1] if inner_start <= inner_end else view[0:0]


_SPACE = frozenset(b" \t\r\n")


def looks_like_object(body: bytes) -> bool:
    """The outline of a JSON object: `{` … `}` around optional whitespace (no copy of the body is made)."""
    start, end = _skip_space(body, 0, 1), _skip_space(body, len(body) - 1, -1)
    return start < end and body[start] == ord("{") and body[end] == ord("}")


def _skip_space(body: bytes, index: int, step: int) -> int:
    while 0 <= index < len(body) and body[index] in _SPACE:
        index += step
    return index


EMPTY_RAW_VAULT_PART = RawVaultPart(b'{"folders":[],"ciphers":[]}')


def empty_provider_part() -> ProviderPart:
    return {"providers": [], "providerOrganizations": []}


def empty_organization_part() -> OrganizationPart:
    return {"organizations": [], "collections": [], "policies": []}


def empty_vault_part() -> VaultPart:
    return {"folders": [], "ciphers": []}
