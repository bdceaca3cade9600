"""Small helpers for reading and writing the Bitwarden wire format."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, Protocol, TypedDict, Unpack
from urllib.parse import quote

JsonObject = dict[str, Any]


class UnexpectedResponse(Exception):
    """The server answered 2xx, but not with the shape this client needs."""


class RequestOptions(TypedDict, total=False):
    """What a request may carry besides its method and path; each is optional."""

    json: object  # a body sent as JSON
    form: Mapping[str, str]  # a body sent form-encoded (the token endpoint)
    params: Mapping[str, str]
    authenticated: bool  # send the session's bearer token (refreshed when due); True unless said


class RequestFn(Protocol):
    """The one way endpoint groups talk to the server (MSPVaultClient._request)."""

    def __call__(self, method: str, path: str, **options: Unpack[RequestOptions]) -> Awaitable[Any]: ...


def pick(obj: Mapping[str, Any], name: str) -> Any:
    """Read a field the way Bitwarden clients do: exact name, first letter's case flipped, all lower,
    all upper. The token endpoint answers in PascalCase, /api in camelCase; both must work."""
    for candidate in (name, name[:1].swapcase() + name[1:], name.lower(), name.upper()):
        if candidate in obj:
            return obj[candidate]
    return None


def require(obj: Any, name: str) -> Any:
    if not isinstance(obj, Mapping):
        raise UnexpectedResponse(f"expected an object holding {name!r}")
    value = pick(obj, name)
    if value is None:
        raise UnexpectedResponse(f"response lacks {name!r}")
    return value


def require_object(obj: Any, what: str) -> JsonObject:
    if not isinstance(obj, dict):
        raise UnexpectedResponse(f"expected {what} to be a JSON object")
    return obj


def list_data(body: Any) -> list[JsonObject]:
    """Bitwarden wraps lists as {"data": [...], "object": "list"}; accept a bare list too."""
    items = pick(body, "data") if isinstance(body, Mapping) else body
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnexpectedResponse("expected a list of objects")
    return items


def segment(value: str) -> str:
    """Quote an id for use as one path segment, so an id can never change the route."""
    if not value:
        raise ValueError("an id in a path must not be empty")
    return quote(value, safe="")
