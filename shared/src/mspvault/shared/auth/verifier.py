"""Verify RS256 access tokens against identity's JWKS, fetched over HTTP and cached by key id.

An unknown `kid` triggers a refetch (identity may have rotated its key), at most once per `refetch_interval`, so
tokens with made-up key ids cannot turn into load on identity. A fetched JWKS replaces the fetched keys (never
merged), and the set is re-read once it is older than `key_max_age`: a key identity retired stops verifying even
if no new key id ever shows up. Keys given with `add_jwks` (identity's own, tests) are pinned and never dropped;
a failed periodic re-read keeps the keys it has (identity restarting must not log everyone out).

A token verified once is remembered by its string until it expires, with the key that verified it: every request
of a client carries the same token, and the gateway and the service each verify it, so the RS256 check (~0.2 ms of
CPU, ~1 µs remembered) is done once per token and process. A remembered token counts only while the key that
verified it is still the one trusted under its id and the key set is not due for its re-read, so a key identity
retired stops its tokens as before; a session ended early is the stamp check's business (`StampMemory`), which runs
on every request after this.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from jwt.algorithms import RSAAlgorithm

from mspvault.shared.auth.principal import Principal

JWKS_PATH = "/identity/.well-known/jwks"
AUDIENCE = "mspvault-api"
REMEMBERED_TOKENS = 4096  # a bound on memory (~1 KB each); past it the expired go, then all if none had


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    kid: str
    key: Any  # the key that verified it: a remembered token counts only while that key is still trusted
    expires: float  # `exp`, seconds since the epoch


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
        key_max_age: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ):
        self._jwks_url = identity_url.rstrip("/") + JWKS_PATH
        self._issuer = issuer
        self._http = http
        self._pinned: dict[str, Any] = {}
        self._fetched: dict[str, Any] = {}
        self._lock = asyncio.Lock()
        self._refetch_interval = refetch_interval
        self._key_max_age = key_max_age
        self._clock = clock
        self._last_fetch = -float("inf")  # last attempt (throttles unknown key ids)
        self._fetched_at: float | None = None  # last success (ages the fetched keys)
        self._wall_clock = wall_clock
        self._verified: dict[str, _Verified] = {}

    def add_jwks(self, jwks: dict[str, Any]) -> None:
        self._pinned.update(_parse(jwks))

    def _key(self, kid: str) -> Any:
        return self._pinned.get(kid) or self._fetched.get(kid)

    def _stale(self) -> bool:
        return self._fetched_at is not None and self._clock() - self._fetched_at >= self._key_max_age

    async def _refresh(self, *, force: bool = False) -> None:
        async with self._lock:
            now = self._clock()
            if now - self._last_fetch < self._refetch_interval:
                return  # at most one fetch per interval, whatever asks for it
            if force and not self._stale():
                return  # another task re-read them while this one waited
            self._last_fetch = now
            client = self._http or httpx.AsyncClient(timeout=5.0)
            try:
                response = await client.get(self._jwks_url)
                response.raise_for_status()
                self._fetched = _parse(response.json())
                self._fetched_at = now
            finally:
                if self._http is None:
                    await client.aclose()

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and self._still_valid(known):
            return known.principal
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidTokenError("malformed token") from error
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidTokenError("token has no key id")
        if self._stale():
            # On failure keep the keys we have until identity answers again.
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                await self._refresh(force=True)
        if self._key(kid) is None:
            try:
                await self._refresh()
            except (httpx.HTTPError, ValueError, KeyError) as error:
                raise InvalidTokenError("signing keys unavailable") from error
        key = self._key(kid)
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
        principal = _principal(claims)
        self._remember(token, _Verified(principal, kid, key, float(claims["exp"])))
        return principal

    def _still_valid(self, known: _Verified) -> bool:
        """Unexpired, and its key still the one trusted under its id (a stale key set is re-read by the full
        check first)."""
        return known.expires > self._wall_clock() and not self._stale() and self._key(known.kid) is known.key

    def _remember(self, token: str, verified: _Verified) -> None:
        if len(self._verified) >= REMEMBERED_TOKENS:
            now = self._wall_clock()
            self._verified = {t: v for t, v in self._verified.items() if v.expires > now}
            if len(self._verified) >= REMEMBERED_TOKENS:
                self._verified.clear()
        self._verified[token] = verified


def _principal(claims: dict[str, Any]) -> Principal:
    scope = claims.get("scope") or []
    organization = ORGANIZATION_SCOPE in scope if isinstance(scope, list) else scope == ORGANIZATION_SCOPE
    return Principal(
        organization_id=uuid.UUID(claims["sub"]) if organization else None,
        user_id=uuid.UUID(claims["sub"]),
        email=claims.get("email", ""),
        name=claims.get("name"),
        security_stamp=claims.get("sstamp"),
        device_type=_int_or_none(claims.get("devicetype")),
        operator=bool(claims.get("operator", False)),
    )


ORGANIZATION_SCOPE = "api.organization"


def _parse(jwks: dict[str, Any]) -> dict[str, Any]:
    return {jwk["kid"]: RSAAlgorithm.from_jwk(json.dumps(jwk)) for jwk in jwks.get("keys", [])}


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
