"""`POST /identity/connect/token`: the OAuth form, parsed by hand (it is tiny, and this spares a multipart
dependency), and OAuth-shaped errors, which the Bitwarden clients read instead of our usual error body."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mspvault.identity.adapters.password_hasher import HashPoolSaturated
from mspvault.identity.domain.access_tokens import SCOPE
from mspvault.identity.domain.devices import DeviceInfo
from mspvault.identity.domain.refresh_tokens import RefreshTokenRejected
from mspvault.identity.entrypoints.http.deps import Work
from mspvault.identity.entrypoints.http.responses import (
    INVALID_CREDENTIALS,
    GrantErrorResponse,
    RefreshResponse,
    TokenResponse,
)
from mspvault.identity.service_layer.commands import PasswordGrant, RefreshGrant
from mspvault.identity.service_layer.tokens import InvalidCredentials, password_grant, refresh_grant
from mspvault.shared.errors import DomainError
from mspvault.shared.observability.logging import get_logger

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


def _password_grant(form: dict[str, str]) -> PasswordGrant:
    scope = _field(form, "scope")
    if scope is not None and set(scope.split()) != set(SCOPE):
        raise OAuthError("invalid_scope", "Scope not supported")
    try:
        device = DeviceInfo.parse(
            _field(form, "deviceIdentifier", "device_identifier"),
            _field(form, "deviceType", "device_type"),
            _field(form, "deviceName", "device_name"),
        )
    except DomainError as error:
        raise OAuthError("invalid_request", error.message) from error
    return PasswordGrant(
        username=_required(form, "username"),
        password=_required(form, "password"),
        client_id=_required(form, "client_id"),
        device=device,
    )


@router.post("/identity/connect/token")
async def connect_token(request: Request, work: Work) -> JSONResponse:
    try:
        form = _form(await _bounded_body(request))
        grant_type = form.get("grant_type", "")
        if grant_type == "password":
            account, tokens = await password_grant(work, _password_grant(form))
            log.info("login.succeeded", user_id=str(account.id))
            return _json(TokenResponse.of_login(account, tokens))
        if grant_type == "refresh_token":
            grant = RefreshGrant(_required(form, "refresh_token"), form.get("client_id") or "")
            return _json(RefreshResponse.of(await refresh_grant(work, grant)))
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    except InvalidCredentials as error:
        log.info("login.failed")
        body = GrantErrorResponse.of("invalid_grant", error.message, INVALID_CREDENTIALS)
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


def _json(body: BaseModel, status_code: int = 200) -> JSONResponse:
    # A JSONResponse (not a response model): the errors answer 400 with OAuth's shape, not our error body.
    return JSONResponse(body.model_dump(mode="json", by_alias=True), status_code=status_code)
