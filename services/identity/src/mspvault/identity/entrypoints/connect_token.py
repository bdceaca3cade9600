"""`POST /identity/connect/token`: the OAuth form, parsed by hand (it is tiny, and this spares a multipart
dependency), and OAuth-shaped errors, which the Bitwarden clients read instead of our usual error body."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mspvault.identity.domain.devices import DeviceInfo
from mspvault.identity.domain.refresh_tokens import RefreshTokenRejected
from mspvault.identity.entrypoints import bitwarden_json
from mspvault.identity.entrypoints.deps import Hasher, Issuer, Sessions
from mspvault.identity.service_layer.tokens import (
    SCOPE,
    InvalidCredentials,
    PasswordGrant,
    password_grant,
    refresh_grant,
)
from mspvault.shared.errors import DomainError
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.runtime import UoW

MAX_FORM_BYTES = 16_384

log = get_logger(__name__)
router = APIRouter(tags=["identity"])


class OAuthError(Exception):
    def __init__(self, error: str, description: str, message: str | None = None) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.message = message or description


def _form(raw: bytes) -> dict[str, str]:
    if len(raw) > MAX_FORM_BYTES:
        raise OAuthError("invalid_request", "The request body is too large.")
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
async def connect_token(request: Request, uow: UoW, sessions: Sessions, hasher: Hasher, issuer: Issuer) -> JSONResponse:
    try:
        form = _form(await request.body())
        grant_type = form.get("grant_type", "")
        if grant_type == "password":
            account, tokens = await password_grant(sessions, uow, hasher, issuer, _password_grant(form))
            log.info("login.succeeded", user_id=str(account.id))
            return JSONResponse(bitwarden_json.token_response(account, tokens))
        if grant_type == "refresh_token":
            tokens = await refresh_grant(uow, issuer, _required(form, "refresh_token"), form.get("client_id") or "")
            return JSONResponse(bitwarden_json.refresh_response(tokens))
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    except InvalidCredentials as error:
        log.info("login.failed")
        body = bitwarden_json.grant_error("invalid_grant", error.message, bitwarden_json.INVALID_CREDENTIALS)
    except RefreshTokenRejected as error:
        log.info("refresh.rejected", reason=type(error).__name__)
        body = bitwarden_json.grant_error("invalid_grant", error.message, error.message)
    except OAuthError as error:
        body = bitwarden_json.grant_error(error.error, error.description, error.message)
    return JSONResponse(body, status_code=400)
