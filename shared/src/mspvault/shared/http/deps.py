"""FastAPI dependencies every service uses: the verified caller. Put it on the router, so every route needs it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.stamps import StampMemory
from mspvault.shared.auth.verifier import InvalidTokenError, JwksVerifier


async def authenticated(request: Request) -> Principal:
    """A user's token. An organization's API-key token is refused (401) here: it speaks for no user, and only the
    routes that take `OrganizationClient` accept it."""
    principal = await verified_caller(request)
    if principal.organization_id is not None:
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    return principal


async def organization_client(request: Request) -> Principal:
    """An organization's API-key token (scope `api.organization`); a user's token is refused (401)."""
    principal = await verified_caller(request)
    if principal.organization_id is None:
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    return principal


async def verified_caller(request: Request) -> Principal:
    """Whoever the bearer token names, user or organization, once its signature, expiry and stamp check out."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "Authentication required", headers={"WWW-Authenticate": "Bearer"})
    verifier: JwksVerifier = request.app.state.verifier
    try:
        principal = await verifier.verify(token)
    except InvalidTokenError as error:
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"}) from error
    stamps: StampMemory | None = getattr(request.app.state, "security_stamps", None)
    if stamps is not None and stamps.refuses(principal):
        # The session ended (password changed, logged out everywhere, account recovered or deleted).
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(authenticated)]
OrganizationClient = Annotated[Principal, Depends(organization_client)]


async def operator_only(principal: CurrentUser) -> Principal:
    # Operator routes answer 404 to everyone else: their existence is not advertised.
    if not principal.operator:
        raise HTTPException(404, "Not found")
    return principal


Operator = Annotated[Principal, Depends(operator_only)]
