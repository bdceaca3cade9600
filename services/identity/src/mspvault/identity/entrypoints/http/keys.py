"""Keys others need: the JWKS that verifies access tokens (public), and users' public keys (signed-in callers)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends

from mspvault.identity.adapters import queries
from mspvault.identity.entrypoints.http.deps import Keys
from mspvault.identity.entrypoints.http.responses import UserKeyResponse
from mspvault.shared.auth.verifier import JWKS_PATH
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

jwks_router = APIRouter(tags=["identity"])


@jwks_router.get(JWKS_PATH)
async def jwks(keys: Keys) -> dict[str, Any]:
    return keys.jwks()  # RFC 7517's shape, made by the key ring itself


router = APIRouter(tags=["accounts"], dependencies=[Depends(authenticated)])


@router.get("/api/users/{user_id}/public-key")
async def user_public_key(user_id: uuid.UUID, user: CurrentUser, session: ReadSession) -> UserKeyResponse:
    # Any signed-in user may read any public key: that is how keys are wrapped for someone (Bitwarden does so).
    key = await queries.public_key_of(session, user_id)
    return UserKeyResponse(user_id=str(user_id), public_key=key)
