"""Signed invite tokens: HMAC-SHA256 over (provider user id, email, nonce, issue time), valid for 5 days.

Single use comes from the nonce: the provider user row keeps the nonce of its one live invite; accepting clears it
and a reinvite replaces it, so an old or used token no longer matches anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mspvault.provider.domain.errors import InvalidInviteToken

INVITE_LIFETIME = timedelta(days=5)
_PURPOSE = "ProviderUserInvite"


@dataclass(frozen=True)
class InviteClaims:
    provider_user_id: uuid.UUID
    email: str
    nonce: str
    issued_at: datetime


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class InviteTokens:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"{_PURPOSE}:{secret}".encode()).digest()

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, provider_user_id: uuid.UUID, email: str, nonce: str, now: datetime) -> str:
        body = {"pu": str(provider_user_id), "em": email, "n": nonce, "iat": int(now.timestamp())}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def verify(self, token: str, now: datetime) -> InviteClaims:
        """The token's claims if its signature holds and it has not expired; raises InvalidInviteToken otherwise."""
        payload, dot, mac = token.partition(".")
        if not dot or not hmac.compare_digest(mac, self._mac(payload)):
            raise InvalidInviteToken()
        try:
            body = json.loads(_unb64(payload))
            claims = InviteClaims(
                provider_user_id=uuid.UUID(body["pu"]),
                email=str(body["em"]),
                nonce=str(body["n"]),
                issued_at=datetime.fromtimestamp(int(body["iat"]), tz=now.tzinfo),
            )
        except (binascii.Error, ValueError, KeyError, TypeError) as error:
            raise InvalidInviteToken() from error
        if now - claims.issued_at > INVITE_LIFETIME:
            raise InvalidInviteToken("Invite token has expired.")
        return claims
