"""Signed, expiring tokens for links sent by mail (invites): the claims ride in the token itself, so checking one
needs no table of issued tokens.

Format: base64url(compact JSON of the claims plus `iat`, the issue time in Unix seconds) "." base64url(HMAC-SHA256
of that first part). Keep it stable: tokens already in someone's inbox must keep verifying after an upgrade. The
key is derived from the secret *and* a purpose, so a token minted for one kind of link is worthless for another.
Claims are signed, not encrypted: never put a secret in them.

Single use is the caller's business: put a `new_nonce()` in the claims, keep the live nonce on the row, and clear or
replace it when the link is used or reissued.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from mspvault.shared.errors import DomainError

_ISSUED_AT = "iat"


class InvalidSignedToken(DomainError):
    """Malformed, or not signed with this secret for this purpose."""

    def __init__(self, message: str = "Invalid token.") -> None:
        super().__init__(message, field="token")


class ExpiredSignedToken(InvalidSignedToken):
    """Signed by us, but older than the token's lifetime."""

    def __init__(self) -> None:
        super().__init__("Token has expired.")


@dataclass(frozen=True)
class VerifiedToken:
    claims: dict[str, str]
    issued_at: datetime


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SignedTokens:
    def __init__(self, secret: str, purpose: str, *, lifetime: timedelta) -> None:
        self._key = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
        self._lifetime = lifetime

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, claims: Mapping[str, str], now: datetime) -> str:
        if _ISSUED_AT in claims:
            raise ValueError(f"{_ISSUED_AT!r} is reserved for the issue time")
        body = {**claims, _ISSUED_AT: int(now.timestamp())}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def verify(self, token: str, now: datetime) -> VerifiedToken:
        """The claims if the signature holds and the token is not older than its lifetime.

        Raises `ExpiredSignedToken` for an old token and `InvalidSignedToken` for anything else wrong with it.
        """
        payload, dot, mac = token.partition(".")
        # Compared as bytes: compare_digest refuses non-ASCII str, and the token comes from outside.
        if not dot or not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            raise InvalidSignedToken()
        try:
            body = json.loads(_unb64(payload))
            issued_at = datetime.fromtimestamp(int(body.pop(_ISSUED_AT)), tz=now.tzinfo)
        except (binascii.Error, ValueError, KeyError, TypeError, AttributeError, OverflowError, OSError) as error:
            raise InvalidSignedToken() from error
        if not all(isinstance(value, str) for value in body.values()):
            raise InvalidSignedToken()
        if now - issued_at > self._lifetime:
            raise ExpiredSignedToken()
        return VerifiedToken(claims=body, issued_at=issued_at)
