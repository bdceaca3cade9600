"""What each service's `GET /internal/sync` answers (docs/architecture.md), as the gateway reads it.

Items stay plain JSON: the gateway composes them and never looks inside, so validating thousands of ciphers
with pydantic would only cost time. A part whose top-level shape is wrong is refused (502) by the clients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypedDict

import orjson

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


def _split_last_array(body: bytes, marker: bytes, head_keys: list[str]) -> tuple[JsonObject, bytes] | None:
    """A JSON object whose last member is the array `marker` (`,"key":[`) opens: its other members parsed (exactly
    `head_keys`, each a list) and the array's items as they are, without brackets; None for any other layout. A
    quote never appears raw inside a JSON string, so the marker can only be structure; one met inside an earlier
    member's value leaves the head unbalanced, and unparsable."""
    start = body.find(marker)
    end = body.rstrip().rfind(b"]}")
    if start < 0 or end < start or end + 2 != len(body.rstrip()):
        return None
    try:
        head = orjson.loads(body[:start] + b"}")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(head, dict) or list(head) != head_keys or not all(isinstance(head[k], list) for k in head):
        return None
    return head, body[start + len(marker) : end].strip()


def _skip_space(body: bytes, index: int, step: int) -> int:
    while 0 <= index < len(body) and body[index] in _SPACE:
        index += step
    return index


@dataclass(frozen=True)
class RawProviderPart:
    """The provider's answer with its large member unparsed: `providers` (a handful) parsed, the
    `providerOrganizations` items kept as the provider wrote them. A provider user may reach 10,000 clients of
    ~1.9 KB each, listed twice in a profile (below and as member-like copies in `organizations`): parsing them,
    copying 10,000 dicts and encoding them again was most of the gateway's time for such a profile.

    The provider writes `{"providers":[…],"providerOrganizations":[…]}` (provider_sync_json) with each item's
    `"isMember":false,"object":"profileProviderOrganization"` last; `of` answers None for anything else, and
    `client_copies` None when the items are not all in that form, so the caller parses instead: the bytes path
    is only ever a faster way to the same answer."""

    providers: list[JsonObject]
    items: bytes  # the array's items, without its brackets
    # False for a part rendered here from another layout: its items are in no known form, so never copied as bytes.
    writers_form: bool = True

    @classmethod
    def of(cls, body: bytes) -> RawProviderPart | None:
        split = _split_last_array(body, _ITEMS_KEY, ["providers"])
        return None if split is None else cls(split[0]["providers"], split[1])

    @classmethod
    def of_parsed(cls, part: ProviderPart) -> RawProviderPart:
        """A part that came in another layout, rendered back into this one."""
        return cls(part["providers"], orjson.dumps(part["providerOrganizations"])[1:-1], writers_form=False)

    def parsed(self) -> ProviderPart:
        items: list[JsonObject] = orjson.loads(b"[" + self.items + b"]")
        return {"providers": self.providers, "providerOrganizations": items}

    def provider_organizations(self) -> orjson.Fragment:
        return orjson.Fragment(b"[" + self.items + b"]")

    def client_copies(self, member_of: set[str]) -> bytes | None:
        """The items as `profileOrganization`s (sync.with_client_organizations), for a caller who is a member of
        none of them; None when they are not all in the provider's form or the caller is a member of one."""
        if not self.items:
            return b""
        if not self.writers_form:
            return None
        if self.items.count(_ITEM_START) != self.items.count(_PROVIDER_TAIL) or self._lists_any(member_of):
            return None
        return self.items.replace(_PROVIDER_TAIL, _MEMBER_TAIL)

    def _lists_any(self, organization_ids: set[str]) -> bool:
        # A member of a few organizations (the usual case) is looked up one id at a time, each a fast byte search;
        # a member of many, by reading every item's id once.
        if len(organization_ids) <= _FEW:
            return any(b'{"id":"%s"' % org_id.encode() in self.items for org_id in organization_ids)
        return not organization_ids.isdisjoint(i.decode() for i in _ITEM_ID.findall(self.items))


_ITEMS_KEY = b',"providerOrganizations":['
_ITEM_START = b'{"id":"'
_ITEM_ID = re.compile(rb'\{"id":"([0-9a-f-]{36})"')
_FEW = 32
_PROVIDER_TAIL = b'"isMember":false,"object":"profileProviderOrganization"}'
_MEMBER_TAIL = b'"isMember":true,"object":"profileOrganization"}'


@dataclass(frozen=True)
class RawOrganizationPart:
    """The organization service's answer with its collections unparsed: `organizations` (the caller's memberships,
    which the profile merge reads) and `policies` parsed, the `collections` items kept as the service wrote them. A
    provider user's sync lists every client's collections (10,000): parsed and encoded again, they cost the gateway
    more than the service spent writing them.

    The service writes `{"organizations":[…],"policies":[…],"collections":[…]}` (sync_json), collections last; `of`
    answers None for anything else, so the caller parses instead: the same answer either way."""

    organizations: list[JsonObject]
    policies: list[JsonObject]
    collections: bytes  # the array's items, without its brackets

    @classmethod
    def of(cls, body: bytes) -> RawOrganizationPart | None:
        split = _split_last_array(body, _COLLECTIONS_KEY, ["organizations", "policies"])
        return None if split is None else cls(split[0]["organizations"], split[0]["policies"], split[1])

    @classmethod
    def of_parsed(cls, part: OrganizationPart) -> RawOrganizationPart:
        """A part that came in another layout, rendered back into this one."""
        return cls(part["organizations"], part["policies"], orjson.dumps(part["collections"])[1:-1])

    def parsed(self) -> OrganizationPart:
        collections: list[JsonObject] = orjson.loads(b"[" + self.collections + b"]")
        return {"organizations": self.organizations, "collections": collections, "policies": self.policies}

    def memberships(self) -> OrganizationPart:
        """The part as a profile reads it: the memberships alone."""
        return {"organizations": self.organizations, "collections": [], "policies": []}


_COLLECTIONS_KEY = b',"collections":['


EMPTY_RAW_PROVIDER_PART = RawProviderPart([], b"")
EMPTY_RAW_VAULT_PART = RawVaultPart(b'{"folders":[],"ciphers":[]}')
EMPTY_RAW_ORGANIZATION_PART = RawOrganizationPart([], [], b"")


def empty_provider_part() -> ProviderPart:
    return {"providers": [], "providerOrganizations": []}


def empty_organization_part() -> OrganizationPart:
    return {"organizations": [], "collections": [], "policies": []}


def empty_vault_part() -> VaultPart:
    return {"folders": [], "ciphers": []}
