"""`POST /identity/connect/token`: the OAuth form, parsed by hand (it is tiny, and this spares a multipart
dependency), and OAuth-shaped errors, which the Bitwarden clients read instead of our usual error body."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mspvault.identity.adapters.password_hasher import HashPoolSaturated
from mspvault.identity.domain.access_tokens import SCOPE, IssuedTokens
from mspvault.identity.domain.api_keys import API_SCOPE
from mspvault.identity.domain.devices import DeviceInfo
from mspvault.identity.domain.organization_keys import ORGANIZATION_CLIENT_PREFIX, ORGANIZATION_SCOPE
from mspvault.identity.domain.refresh_tokens import RefreshTokenRejected
from mspvault.identity.entrypoints.http.deps import Work
from mspvault.identity.entrypoints.http.responses import (
    INVALID_CREDENTIALS,
    AccessTokenAnswer,
    GrantErrorResponse,
    LoginAnswer,
    RefreshResponse,
    TokenResponse,
    TwoFactorRequiredResponse,
)
from mspvault.identity.service_layer.commands import (
    ClientCredentialsGrant,
    PasswordGrant,
    RefreshGrant,
    TwoFactorAttempt,
)
from mspvault.identity.service_layer.tokens import (
    InvalidClient,
    InvalidCredentials,
    client_credentials_grant,
    organization_grant,
    password_grant,
    refresh_grant,
)
from mspvault.identity.service_layer.two_factor import InvalidTwoFactorCode, TwoFactorRequired
from mspvault.shared.errors import DomainError
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.text import MESSAGE as CONTROL_CHARACTERS
from mspvault.shared.text import has_control_characters

MAX_FORM_BYTES = 16_384
BUSY = "The server is busy. Try again in a moment."

log = get_logger(__name__)
router = APIRouter(tags=["identity"])


class OAuthError(Exception):
    def __init__(self, error: str, description: str, message: str | None = None, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.message = message or description
        self.status = status


def _too_large() -> OAuthError:
    return OAuthError("invalid_request", "The request body is too large.", status=413)


async def _bounded_body(request: Request) -> bytes:
    """The body, refused (413) before reading when its declared length is over the cap, and read no further than
    the cap when it has none: a login form is a few hundred bytes, and this endpoint is open to anyone."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_FORM_BYTES):
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _form(raw: bytes) -> dict[str, str]:
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except UnicodeDecodeError as error:
        raise OAuthError("invalid_request", "The request body is not UTF-8.") from error


def _field(form: dict[str, str], *names: str) -> str | None:
    """Bitwarden clients spell the device fields in camelCase, others in snake_case: accept both."""
    for name in names:
        value = form.get(name)
        if value:
            return value
    return None


def _required(form: dict[str, str], name: str) -> str:
    value = _field(form, name)
    if value is None:
        raise OAuthError("invalid_request", f"{name} cannot be blank")
    return value


def _device(form: dict[str, str]) -> DeviceInfo:
    try:
        return DeviceInfo.parse(
            _field(form, "deviceIdentifier", "device_identifier"),
            _field(form, "deviceType", "device_type"),
            _field(form, "deviceName", "device_name"),
        )
    except DomainError as error:
        raise OAuthError("invalid_request", error.message) from error


def _two_factor(form: dict[str, str]) -> TwoFactorAttempt | None:
    """`twoFactorToken`, `twoFactorProvider`, `twoFactorRemember` (1 to be remembered), as Bitwarden clients send."""
    token = _field(form, "twoFactorToken", "two_factor_token")
    if token is None:
        return None
    provider = (_field(form, "twoFactorProvider", "two_factor_provider") or "").strip()
    if not provider.isdigit() or len(provider) > 3:
        raise OAuthError("invalid_request", "twoFactorProvider must be a two-step login provider number.")
    remember = _field(form, "twoFactorRemember", "two_factor_remember") in {"1", "true", "True"}
    return TwoFactorAttempt(provider=int(provider), token=token[:256], remember=remember)


def _password_grant(form: dict[str, str]) -> PasswordGrant:
    scope = _field(form, "scope")
    if scope is not None and set(scope.split()) != set(SCOPE):
        raise OAuthError("invalid_scope", "Scope not supported")
    username = _required(form, "username")
    if has_control_characters(username):  # no account has one; a NUL would reach PostgreSQL's text lookup
        raise OAuthError("invalid_request", f"username {CONTROL_CHARACTERS}")
    return PasswordGrant(
        username=username,
        password=_required(form, "password"),
        client_id=_required(form, "client_id"),
        device=_device(form),
        two_factor=_two_factor(form),
    )


def _organization_grant(form: dict[str, str]) -> tuple[str, str]:
    scope = _field(form, "scope")
    if scope is not None and set(scope.split()) != set(ORGANIZATION_SCOPE):
        raise OAuthError("invalid_scope", "Scope not supported")
    return _required(form, "client_id"), _required(form, "client_secret")


def _client_credentials_grant(form: dict[str, str]) -> ClientCredentialsGrant:
    scope = _field(form, "scope")
    if scope is not None and set(scope.split()) != set(API_SCOPE):
        raise OAuthError("invalid_scope", "Scope not supported")
    return ClientCredentialsGrant(
        client_id=_required(form, "client_id"),
        client_secret=_required(form, "client_secret"),
        device=_device(form),
    )


@router.post("/identity/connect/token", responses={200: {"model": LoginAnswer | AccessTokenAnswer}})
async def connect_token(request: Request, work: Work) -> JSONResponse:
    try:
        form = _form(await _bounded_body(request))
        grant_type = form.get("grant_type", "")
        if grant_type == "password":
            account, tokens = await password_grant(work, _password_grant(form))
            log.info("login.succeeded", user_id=str(account.id))
            return _login_json(TokenResponse.of_login(account, tokens), tokens)
        if grant_type == "client_credentials" and form.get("client_id", "").startswith(ORGANIZATION_CLIENT_PREFIX):
            tokens = await organization_grant(work, *_organization_grant(form))
            log.info("login.organization_api_key")
            return _json(RefreshResponse.of(tokens), drop_refresh_token=True)
        if grant_type == "client_credentials":
            account, tokens = await client_credentials_grant(work, _client_credentials_grant(form))
            log.info("login.api_key", user_id=str(account.id))
            return _login_json(TokenResponse.of_login(account, tokens), tokens)
        if grant_type == "refresh_token":
            grant = RefreshGrant(_required(form, "refresh_token"), form.get("client_id") or "")
            return _json(RefreshResponse.of(await refresh_grant(work, grant)))
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    except InvalidCredentials as error:
        log.info("login.failed")
        body = GrantErrorResponse.of("invalid_grant", error.message, INVALID_CREDENTIALS)
    except TwoFactorRequired as required:
        log.info("login.two_factor_required")
        return _json(TwoFactorRequiredResponse.of(required.providers), status_code=400)
    except InvalidTwoFactorCode as error:
        log.info("login.two_factor_failed")
        body = GrantErrorResponse.of("invalid_grant", error.message, error.message)
    except InvalidClient as error:
        log.info("login.api_key_failed")
        body = GrantErrorResponse.of("invalid_client", error.message, error.message)
    except RefreshTokenRejected as error:
        log.info("refresh.rejected", reason=type(error).__name__)
        body = GrantErrorResponse.of("invalid_grant", error.message, error.message)
    except HashPoolSaturated as error:
        log.warning("login.busy")
        response = _json(GrantErrorResponse.of("temporarily_unavailable", BUSY, BUSY), status_code=503)
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response
    except OAuthError as error:
        return _json(GrantErrorResponse.of(error.error, error.description, error.message), status_code=error.status)
    return _json(body, status_code=400)


def _login_json(body: TokenResponse, tokens: IssuedTokens) -> JSONResponse:
    """A login's answer: no refresh token for an API key (it logs in again), and the remember-device token when
    the second step asked for one (`TwoFactorToken`, as Bitwarden names it)."""
    data = body.model_dump(mode="json", by_alias=True)
    if not tokens.refresh_token:
        data.pop("refresh_token", None)
    if tokens.two_factor_token is not None:
        data["TwoFactorToken"] = tokens.two_factor_token
    return JSONResponse(data)


def _json(body: BaseModel, status_code: int = 200, *, drop_refresh_token: bool = False) -> JSONResponse:
    # A JSONResponse (not a response model): the errors answer 400 with OAuth's shape, not our error body.
    data = body.model_dump(mode="json", by_alias=True)
    if drop_refresh_token:
        data.pop("refresh_token", None)
    return JSONResponse(data, status_code=status_code)
