"""Where a request came from (the device type Bitwarden clients send, and the caller's address), kept in a context
variable for the actors of the events its handler publishes.

`RequestOriginMiddleware` sets it for every request of a service (installed by `runtime.create_app` beside the
correlation id), so no route can forget it; `acting(user_id, provider_id)` reads it.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.observability.asgi import HttpMiddleware


@dataclass(frozen=True)
class RequestOrigin:
    device_type: int | None = None
    ip: str | None = None


request_origin: ContextVar[RequestOrigin | None] = ContextVar("request_origin", default=None)


def origin_of(headers: Mapping[str, str]) -> RequestOrigin:
    """The device type (the `Device-Type` header Bitwarden clients send) and the caller's address.

    The address is the one the gateway saw: it replaces any `X-Forwarded-For` a caller sends, and the services are
    not reachable from outside. A request without it did not come through the gateway (a test, an internal tool)
    and has no caller address worth recording; the socket's peer would only be the gateway. Malformed values are
    dropped, never stored.
    """
    forwarded = headers.get("x-forwarded-for", "").split(",")[0].strip()
    return RequestOrigin(device_type=_device_type(headers.get("device-type")), ip=_ip(forwarded))


def _device_type(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value)
    return number if number < 1000 else None


def _ip(value: str) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class RequestOriginMiddleware(HttpMiddleware):
    """The request's origin, for as long as the request runs."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = request_origin.set(origin_of(Headers(scope=scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            request_origin.reset(token)


def acting(user_id: uuid.UUID | None, provider_id: uuid.UUID | None = None) -> Actor:
    """The actor of an event caused by the current request, with its device type and address (audit logs show them)."""
    origin = request_origin.get() or RequestOrigin()
    return Actor(user_id=user_id, provider_id=provider_id, device_type=origin.device_type, ip=origin.ip)
