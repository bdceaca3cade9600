"""Verify RS256 access tokens against identity's JWKS, fetched over HTTP and cached by key id.

An unknown `kid` triggers a refetch (identity may have rotated its key), at most once per `refetch_interval`, so
tokens with made-up key ids cannot turn into load on identity.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import jwt
from jwt.algorithms import RSAAlgorithm

from mspvault.shared.auth.principal import Principal

JWKS_PATH = "/identity/.well-known/jwks"
AUDIENCE = "mspvault-api"


class InvalidTokenError(Exception):
    pass


class JwksVerifier:
    def __init__(
        self,
        identity_url: str,
        *,
        issuer: str = "mspvault",
        http: httpx.AsyncClient | None = None,
        refetch_interval: float = 30.0,
    ):
        self._jwks_url = identity_url.rstrip("/") + JWKS_PATH
        self._issuer = issuer
        self._http = http
        self._keys: dict[str, Any] = {}
        self._lock = asyncio.Lock()
        self._refetch_interval = refetch_interval
        self._last_fetch = -float("inf")

    def add_jwks(self, jwks: dict[str, Any]) -> None:
        for jwk in jwks.get("keys", []):
            self._keys[jwk["kid"]] = RSAAlgorithm.from_jwk(json.dumps(jwk))

    async def _refresh(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if now - self._last_fetch < self._refetch_interval:
                return
            self._last_fetch = now
            client = self._http or httpx.AsyncClient(timeout=5.0)
            try:
                response = await client.get(self._jwks_url)
                response.raise_for_status()
                self.add_jwks(response.json())
            finally:
                if self._http is None:
                    await client.aclose()

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidTokenError("malformed token") from error
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidTokenError("token has no key id")
        if kid not in self._keys:
            try:
                await self._refresh()
            except httpx.HTTPError as error:
                raise InvalidTokenError("signing keys unavailable") from error
        key = self._keys.get(kid)
        if key is None:
            raise InvalidTokenError("unknown signing key")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=self._issuer,
                options={"require": ["exp", "sub", "iat"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidTokenError(str(error)) from error
        return Principal(
            user_id=uuid.UUID(claims["sub"]),
            email=claims.get("email", ""),
            name=claims.get("name"),
            security_stamp=claims.get("sstamp"),
            device_type=_int_or_none(claims.get("devicetype")),
            operator=bool(claims.get("operator", False)),
        )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
