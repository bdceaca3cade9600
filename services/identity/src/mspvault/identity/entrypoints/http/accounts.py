"""Accounts: registration and prelogin (public: they are how one gets a token), and the caller's own account."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from mspvault.identity.adapters import queries
from mspvault.identity.adapters.organization_directory import OrganizationUnavailable
from mspvault.identity.adapters.password_hasher import HashPoolSaturated
from mspvault.identity.entrypoints.http.deps import CallerAccount, Keys, Work
from mspvault.identity.entrypoints.http.requests import (
    KdfRequest,
    KeysRequest,
    PasswordRequest,
    PreloginRequest,
    RegisterRequest,
    SecretVerificationRequest,
    UpdateTempPasswordRequest,
    UserKeyIdRequest,
    VerifyEmailTokenRequest,
)
from mspvault.identity.entrypoints.http.responses import (
    KeysResponse,
    PreloginResponse,
    ProfileResponse,
    RegisterResponse,
)
from mspvault.identity.service_layer import accounts, api_keys, sessions
from mspvault.identity.service_layer.commands import (
    ChangeKdf,
    ChangeMasterPassword,
    DeleteAccount,
    LogOutEverywhere,
    RegisterAccount,
    SetKeyPair,
    SetUserKeyId,
    UpdateTempPassword,
    VerifyEmail,
    VerifySecret,
)
from mspvault.shared.auth.principal import Principal
from mspvault.shared.by_name import dataclass_by_name
from mspvault.shared.dates import epoch_ms
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ApiKeyResponse
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.runtime import ReadSession
from mspvault.shared.text import normalize_email

log = get_logger(__name__)
T = TypeVar("T")

public = APIRouter(tags=["identity"])


@public.post("/identity/accounts/register")
@public.post("/api/accounts/register", include_in_schema=False)
async def register(body: RegisterRequest, work: Work) -> RegisterResponse:
    command = dataclass_by_name(
        RegisterAccount,
        body,
        public_key=body.keys.public_key if body.keys else None,
        encrypted_private_key=body.keys.encrypted_private_key if body.keys else None,
    )
    account = await _busy_is_503(accounts.register(work, command))
    if account is None:
        # Answered as a new registration: the answer must not tell whether the email has an account (issue 11 #9).
        log.info("user.registration_of_a_taken_email")
    else:
        log.info("user.registered", user_id=str(account.id))
    return RegisterResponse()


@public.post("/identity/accounts/prelogin")
@public.post("/identity/accounts/prelogin/password")
@public.post("/api/accounts/prelogin", include_in_schema=False)
async def prelogin(body: PreloginRequest, session: ReadSession, keys: Keys) -> PreloginResponse:
    kdf = await queries.prelogin_kdf(session, body.email, keys.prelogin_secret)
    return PreloginResponse.of(kdf, salt=normalize_email(body.email))


@public.post("/api/accounts/verify-email-token", response_class=Response)
async def verify_email_token(body: VerifyEmailTokenRequest, work: Work) -> Response:
    """Open the link mailed by `POST /api/accounts/verify-email`: the account's email is verified from then on.
    Anyone holding the link may use it (it is the proof); a bad, expired or foreign one answers 400."""
    await accounts.verify_email(work, VerifyEmail(body.user_id, body.token))
    return Response(status_code=200)


# Every route below needs a valid bearer token (the dependency is on the router, so none can forget it).
router = APIRouter(prefix="/api/accounts", tags=["accounts"], dependencies=[Depends(authenticated)])


@router.get("/profile")
async def profile(account: CallerAccount, session: ReadSession) -> ProfileResponse:
    return ProfileResponse.of(account, two_factor_enabled=await queries.two_factor_enabled(session, account.id))


@router.get("/revision-date")
async def revision_date(account: CallerAccount) -> int:
    return epoch_ms(account.revision_date)


@router.post("/verify-email", response_class=Response)
async def send_verification_email(user: CurrentUser, work: Work, _account: CallerAccount) -> Response:
    """Mail the caller a link that verifies their email (400 when it already is verified)."""
    await accounts.send_verification_email(work, user)
    return Response(status_code=200)


@router.post("/key-management/user-key-id", response_class=Response)
async def set_user_key_id(body: UserKeyIdRequest, user: CurrentUser, work: Work) -> Response:
    await accounts.set_user_key_id(work, user, SetUserKeyId(body.user_key_id))
    return Response(status_code=200)


@router.post("/keys")
async def set_keys(body: KeysRequest, user: CurrentUser, work: Work) -> KeysResponse:
    account = await accounts.set_key_pair(work, user, SetKeyPair(body.public_key, body.encrypted_private_key))
    return KeysResponse.of(account)


@router.post("/api-key")
async def view_api_key(body: SecretVerificationRequest, user: CurrentUser, work: Work) -> ApiKeyResponse:
    """The personal API key's secret (client id `user.<id>`), after the master-password hash."""
    return ApiKeyResponse.of(await api_keys.view(work, user, VerifySecret(body.master_password_hash)))


@router.post("/rotate-api-key")
async def rotate_api_key(body: SecretVerificationRequest, user: CurrentUser, work: Work) -> ApiKeyResponse:
    """A new secret; the old one stops working at once."""
    return ApiKeyResponse.of(await api_keys.rotate(work, user, VerifySecret(body.master_password_hash)))


# Session control: each needs the master-password hash and ends every session of the account (service_layer/sessions).
@router.post(
    "/password",
    summary="Change the master password (new hash, the user key re-wrapped); ends every session",
    response_class=Response,
)
async def change_password(body: PasswordRequest, user: CurrentUser, work: Work) -> Response:
    command = dataclass_by_name(ChangeMasterPassword, body)
    return await _sessions_ended(user, "user.password_changed", sessions.change_master_password(work, user, command))


@router.put(
    "/update-temp-password",
    summary="After an account recovery: the user's own master password replaces the admin's; ends every session",
    response_class=Response,
)
async def update_temp_password(body: UpdateTempPasswordRequest, user: CurrentUser, work: Work) -> Response:
    command = dataclass_by_name(UpdateTempPassword, body)
    return await _sessions_ended(user, "user.temp_password_updated", sessions.update_temp_password(work, user, command))


@router.post(
    "/kdf",
    summary="Change the KDF settings (new hash, the user key re-wrapped); ends every session",
    response_class=Response,
)
async def change_kdf(body: KdfRequest, user: CurrentUser, work: Work) -> Response:
    command = dataclass_by_name(ChangeKdf, body)
    return await _sessions_ended(user, "user.kdf_changed", sessions.change_kdf(work, user, command))


@router.post(
    "/security-stamp",
    summary="Log out everywhere: every access and refresh token of the account ends",
    response_class=Response,
)
async def security_stamp(body: SecretVerificationRequest, user: CurrentUser, work: Work) -> Response:
    command = LogOutEverywhere(body.master_password_hash)
    return await _sessions_ended(user, "user.logged_out_everywhere", sessions.log_out_everywhere(work, user, command))


@router.delete(
    "", summary="Delete the account (its memberships and personal items go with it)", response_class=Response
)
@router.post("/delete", summary="Delete the account (as DELETE /api/accounts)", response_class=Response)
async def delete_account(body: SecretVerificationRequest, user: CurrentUser, work: Work, request: Request) -> Response:
    bearer = request.headers.get("authorization", "").partition(" ")[2]  # verified by the router's dependency
    try:
        await _busy_is_503(sessions.delete_account(work, user, DeleteAccount(body.master_password_hash, bearer)))
    except OrganizationUnavailable as error:
        raise HTTPException(503, "Account deletion is unavailable; try again.", headers={"Retry-After": "5"}) from error
    log.info("user.deleted", user_id=str(user.user_id))
    return Response(status_code=200)


async def _sessions_ended(user: Principal, event: str, step: Awaitable[None]) -> Response:
    """Run a session-control step (every session of the account ends with it), log it, answer 200 without a body."""
    await _busy_is_503(step)
    log.info(event, user_id=str(user.user_id))
    return Response(status_code=200)


async def _busy_is_503(step: Awaitable[T]) -> T:
    try:
        return await step
    except HashPoolSaturated as error:
        headers = {"Retry-After": str(error.retry_after_seconds)}
        raise HTTPException(503, "The server is busy. Try again in a moment.", headers=headers) from error
