"""Identity's HTTP routes: public (register, prelogin, token, JWKS), the caller's account, and /internal."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Response

from mspvault.identity.domain.account import normalize_email
from mspvault.identity.entrypoints import bitwarden_json
from mspvault.identity.entrypoints.api_models import KeysRequest, PreloginRequest, RegisterRequest, UserKeyIdRequest
from mspvault.identity.entrypoints.connect_token import router as token_router
from mspvault.identity.entrypoints.deps import CallerAccount, Hasher, Keys
from mspvault.identity.service_layer import accounts, queries
from mspvault.shared.auth.verifier import JWKS_PATH
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.runtime import ReadSession, UoW

log = get_logger(__name__)

# Anyone may call these: they are how one gets a token in the first place.
public = APIRouter(tags=["identity"])


@public.post("/identity/accounts/register")
@public.post("/api/accounts/register", include_in_schema=False)
async def register(body: RegisterRequest, uow: UoW, hasher: Hasher) -> dict[str, Any]:
    command = accounts.RegisterAccount(
        email=body.email,
        name=body.name,
        master_password_hash=body.master_password_hash,
        master_password_hint=body.master_password_hint,
        key=body.key,
        public_key=body.keys.public_key if body.keys else None,
        encrypted_private_key=body.keys.encrypted_private_key if body.keys else None,
        kdf=body.kdf,
        kdf_iterations=body.kdf_iterations,
        kdf_memory=body.kdf_memory,
        kdf_parallelism=body.kdf_parallelism,
    )
    account = await accounts.register(uow, hasher, command)
    log.info("user.registered", user_id=str(account.id))
    return {"object": "register", "captchaBypassToken": ""}


@public.post("/identity/accounts/prelogin")
@public.post("/identity/accounts/prelogin/password")
@public.post("/api/accounts/prelogin", include_in_schema=False)
async def prelogin(body: PreloginRequest, session: ReadSession) -> dict[str, Any]:
    kdf = await queries.prelogin_kdf(session, body.email)
    return bitwarden_json.prelogin_response(kdf, salt=normalize_email(body.email))


@public.get(JWKS_PATH)
async def jwks(keys: Keys) -> dict[str, Any]:
    return keys.jwks()


# Every route below needs a valid bearer token (the dependency is on the router, so none can forget it).
account_routes = APIRouter(tags=["accounts"], dependencies=[Depends(authenticated)])


@account_routes.get("/api/accounts/profile")
async def profile(account: CallerAccount) -> dict[str, Any]:
    return bitwarden_json.profile(account)


@account_routes.get("/api/accounts/revision-date")
async def revision_date(account: CallerAccount) -> int:
    return bitwarden_json.epoch_ms(account.revision_date)


@account_routes.post("/api/accounts/key-management/user-key-id")
async def set_user_key_id(body: UserKeyIdRequest, user: CurrentUser, uow: UoW) -> Response:
    await accounts.set_user_key_id(uow, user.user_id, body.user_key_id)
    return Response(status_code=200)


@account_routes.post("/api/accounts/keys")
async def set_keys(body: KeysRequest, user: CurrentUser, uow: UoW) -> dict[str, Any]:
    account = await accounts.set_key_pair(uow, user.user_id, body.public_key, body.encrypted_private_key)
    return bitwarden_json.keys(account)


@account_routes.get("/api/users/{user_id}/public-key")
async def user_public_key(user_id: uuid.UUID, user: CurrentUser, session: ReadSession) -> dict[str, Any]:
    # Any signed-in user may read any public key: that is how keys are wrapped for someone (Bitwarden does so).
    key = await queries.public_key_of(session, user_id)
    return bitwarden_json.public_key(str(user_id), key)


# Service-to-gateway; never exposed by the gateway, and still answering for the caller only.
internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@internal.get("/revision-date")
async def internal_revision_date(account: CallerAccount) -> dict[str, int]:
    return {"revisionDate": bitwarden_json.epoch_ms(account.revision_date)}


@internal.get("/sync")
async def internal_sync(account: CallerAccount) -> dict[str, Any]:
    return bitwarden_json.internal_sync(account)


routers = (public, token_router, account_routes, internal)
