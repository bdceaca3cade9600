"""The master-password hash for routes whose service cannot check it: an organization's API key is the
organization service's, the password is identity's. Before forwarding, the gateway asks identity
(`POST /internal/verify-secret`, as the caller, with the body's `masterPasswordHash`); a wrong or missing hash is
answered 400 here, and the request never reaches the organization service."""

from __future__ import annotations

import json

import httpx
from fastapi import HTTPException
from starlette.requests import Request

from mspvault.gateway.clients import ServiceClient
from mspvault.gateway.forwarding import internal_headers
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

MAX_BODY_BYTES = 16_384  # a master-password hash and a type: a few hundred bytes
FAILED = "User verification failed."


async def verify_secret(http: httpx.AsyncClient, identity: ServiceClient, request: Request) -> None:
    """Raise 400 unless identity confirms the body's master-password hash is the caller's."""
    body = await request.body()  # kept by Starlette: the forwarder sends the same bytes on
    secret = None
    if len(body) <= MAX_BODY_BYTES:
        try:
            parsed = json.loads(body or b"{}")
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("masterPasswordHash"), str):
            secret = parsed["masterPasswordHash"]
    if not secret:
        raise HTTPException(400, FAILED)
    try:
        answer = await http.post(
            identity.base_url + "/internal/verify-secret",
            json={"masterPasswordHash": secret},
            headers=internal_headers(request),
        )
    except httpx.HTTPError as error:
        log.warning("secret.unverified", error=type(error).__name__)
        raise HTTPException(503, "The server is busy. Try again in a moment.") from error
    if answer.status_code == 401:
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    if answer.status_code != 200:
        raise HTTPException(400, FAILED)
