"""What each service's `GET /internal/sync` answers (docs/architecture.md), as the gateway reads it.

Items stay plain JSON: the gateway composes them and never looks inside, so validating thousands of ciphers
with pydantic would only cost time. A part whose top-level shape is wrong is refused (502) by the clients.
"""

from __future__ import annotations

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
    length = len(body.rstrip())  # trailing space only: each rstrip copies the body (a 10,000-collection sync: 3.7 MB)
    end = body.rfind(b"]}", 0, length)
    if start < 0 or end < start or end + 2 != length:
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


class MalformedPart(ValueError):
    """A service's part is not in the form its contract says."""


@dataclass(frozen=True)
class RawProviderPart:
    """The provider's answer with its client organizations written here as bytes, never as dicts. The provider
    sends `providers` (a handful, parsed), the text of each kind of client's item cut at its values
    (`clientKinds`: five chunks) and each client as a compact row, `[kind, organization id, name, key, seats]`
    (`clients`, in the order they are listed). A provider user may reach 10,000 clients of ~1.9 KB each, listed
    twice in a profile (below, and as member-like copies in `organizations`): the provider sends only the values
    (~250 bytes a client) and each item is written once, here, from its row between its kind's chunks.

    Each item is kept without its tail (`"isMember":false,"object":"profileProviderOrganization"}`, which every
    kind's last chunk must end with): the two lists write it differently."""

    providers: list[JsonObject]
    client_ids: list[str]
    client_items: list[bytes]  # each written up to its tail, in the provider's order

    @classmethod
    def of(cls, answer: object) -> RawProviderPart:
        """The part from the provider's parsed answer; MalformedPart when it is not in that form."""
        if not isinstance(answer, dict):
            raise MalformedPart("not an object")
        providers, kinds, clients = answer.get("providers"), answer.get("clientKinds"), answer.get("clients")
        if not (isinstance(providers, list) and isinstance(kinds, list) and isinstance(clients, list)):
            raise MalformedPart("providers, clientKinds and clients must be lists")
        chunks = [_kind_chunks(kind) for kind in kinds]
        ids: list[str] = []
        items: list[bytes] = []
        dumps = orjson.dumps
        for row in clients:
            if not isinstance(row, list) or len(row) != 5:
                raise MalformedPart("a client row is [kind, organization id, name, key, seats]")
            kind, org_id, name, key, seats = row
            if not (type(kind) is int and 0 <= kind < len(chunks) and type(org_id) is str and type(name) is str):
                raise MalformedPart("a client row's kind, organization id or name is malformed")
            if not ((key is None or type(key) is str) and type(seats) is int):
                raise MalformedPart("a client row's key or seats is malformed")
            c0, c1, c2, c3, c4 = chunks[kind]
            ids.append(org_id)
            items.append(b"".join((c0, dumps(org_id), c1, dumps(name), c2, dumps(key), c3, b"%d" % seats, c4)))
        return cls(providers, ids, items)

    def provider_organizations(self) -> list[bytes]:
        """The `providerOrganizations` items, joined by commas, without brackets (as pieces)."""
        return _joined(self.client_items, _PROVIDER_TAIL)

    def client_copies(self, member_of: set[str]) -> list[bytes]:
        """The items as `profileOrganization`s (sync.with_client_organizations), but for the organizations the
        caller is a member of (listed once, as that membership)."""
        if member_of.isdisjoint(self.client_ids):
            return _joined(self.client_items, _MEMBER_TAIL)
        rows = zip(self.client_ids, self.client_items, strict=True)
        return _joined([item for org_id, item in rows if org_id not in member_of], _MEMBER_TAIL)

    def parsed(self) -> ProviderPart:
        items: list[JsonObject] = orjson.loads(b"".join([b"[", *self.provider_organizations(), b"]"]))
        return {"providers": self.providers, "providerOrganizations": items}


def _kind_chunks(kind: object) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    if not (isinstance(kind, list) and len(kind) == 5 and all(isinstance(chunk, str) for chunk in kind)):
        raise MalformedPart("a client kind is five chunks of text")
    last = kind[4].encode()
    if not last.endswith(_PROVIDER_TAIL):
        raise MalformedPart("a client kind's last chunk does not end with the item's tail")
    return kind[0].encode(), kind[1].encode(), kind[2].encode(), kind[3].encode(), last[: -len(_PROVIDER_TAIL)]


def _joined(items: list[bytes], tail: bytes) -> list[bytes]:
    """Each item closed by `tail`, joined by commas, as two pieces: the last tail is not appended to the joined
    bytes, which would copy all of them again (~18 MB for 10,000 clients: a third of a profile's composition)."""
    return [(tail + b",").join(items), tail] if items else []


# Where Bitwarden's provider and member shapes of a client differ: `with_client_organizations` sets these two keys
# of each copy, which are the item's last two.
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


EMPTY_RAW_PROVIDER_PART = RawProviderPart([], [], [])
EMPTY_RAW_VAULT_PART = RawVaultPart(b'{"folders":[],"ciphers":[]}')
EMPTY_RAW_ORGANIZATION_PART = RawOrganizationPart([], [], b"")


def empty_provider_part() -> ProviderPart:
    return {"providers": [], "providerOrganizations": []}


def empty_organization_part() -> OrganizationPart:
    return {"organizations": [], "collections": [], "policies": []}


def empty_vault_part() -> VaultPart:
    return {"folders": [], "ciphers": []}
