"""The catch-all forwarder, registered last: a public path goes to the service that owns it, anything else
(including every `/internal/*` path) is a 404 that never leaves the gateway."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from mspvault.gateway.forwarding import forward
from mspvault.gateway.routing import (
    Service,
    is_public_api,
    needs_operator,
    needs_secret_check,
    needs_token,
    service_for,
)
from mspvault.gateway.secrets import verify_secret
from mspvault.gateway.state import get_gateway
from mspvault.shared.http.deps import authenticated, organization_client

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def forward_by_prefix(request: Request) -> Response:
    path: str = request.scope["path"]  # percent-decoded, as routing must judge it
    gateway = get_gateway(request)
    if is_public_api(path):
        await organization_client(request)  # an organization's API-key token; the service checks its stamp
    elif needs_token(path):
        principal = await authenticated(request)  # 401 in the shared error shape
        if needs_operator(path) and not await gateway.operators.confirm(request, principal):
            raise HTTPException(404, "Not found")
    service = service_for(path)
    if service is None:
        raise HTTPException(404, "Not found")
    await gateway.limiter.check(request, path)  # after the token: nobody anonymous spends an org's invites
    if needs_secret_check(request.method, path):
        await verify_secret(gateway.http, gateway.clients.of(Service.IDENTITY), request)
    return await forward(gateway.http, gateway.clients.of(service).base_url, request, service.value)


def install(app: FastAPI) -> None:
    # A plain Starlette route: no FastAPI dependency resolution or body parsing on the hot path.
    app.router.add_route("/{path:path}", forward_by_prefix, methods=METHODS, include_in_schema=False)
