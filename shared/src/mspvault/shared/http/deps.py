"""FastAPI dependencies every service uses: the verified caller. Put it on the router, so every route needs it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.stamps import SecurityStamps
from mspvault.shared.auth.verifier import InvalidTokenError, JwksVerifier


async def authenticated(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "Authentication required", headers={"WWW-Authenticate": "Bearer"})
    verifier: JwksVerifier = request.app.state.verifier
    try:
        principal = await verifier.verify(token)
    except InvalidTokenError as error:
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"}) from error
    stamps: SecurityStamps | None = getattr(request.app.state, "security_stamps", None)
    if stamps is not None and stamps.refuses(principal):
        # The session ended (password changed, logged out everywhere, account recovered or deleted).
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(authenticated)]


async def operator_only(principal: CurrentUser) -> Principal:
    # Operator routes answer 404 to everyone else: their existence is not advertised.
    if not principal.operator:
        raise HTTPException(404, "Not found")
    return principal


Operator = Annotated[Principal, Depends(operator_only)]
