"""Signed invite tokens: HMAC-SHA256 over (org, member, email, nonce, issue time), valid for 5 days.

Single use comes from the nonce: the member row keeps the nonce of its one live invite; accepting clears it and a
reinvite replaces it, so a used or superseded token matches nothing.
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

from mspvault.organization.domain.errors import InvalidInviteToken

INVITE_LIFETIME = timedelta(days=5)
_PURPOSE = "OrganizationUserInvite"


@dataclass(frozen=True)
class InviteClaims:
    organization_id: uuid.UUID
    member_id: uuid.UUID
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

    def issue(self, organization_id: uuid.UUID, member_id: uuid.UUID, email: str, nonce: str, now: datetime) -> str:
        body = {"o": str(organization_id), "m": str(member_id), "em": email, "n": nonce, "iat": int(now.timestamp())}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def verify(self, token: str, now: datetime) -> InviteClaims:
        payload, dot, mac = token.partition(".")
        if not dot or not hmac.compare_digest(mac, self._mac(payload)):
            raise InvalidInviteToken()
        try:
            body = json.loads(_unb64(payload))
            claims = InviteClaims(
                organization_id=uuid.UUID(body["o"]),
                member_id=uuid.UUID(body["m"]),
                email=str(body["em"]),
                nonce=str(body["n"]),
                issued_at=datetime.fromtimestamp(int(body["iat"]), tz=now.tzinfo),
            )
        except (binascii.Error, ValueError, KeyError, TypeError) as error:
            raise InvalidInviteToken() from error
        if now - claims.issued_at > INVITE_LIFETIME:
            raise InvalidInviteToken("The invitation has expired.")
        return claims

    def check(self, claims: InviteClaims, organization_id: uuid.UUID, member_id: uuid.UUID, nonce: str | None) -> None:
        """The token names this invite, and the invite is still the live one."""
        if claims.organization_id != organization_id or claims.member_id != member_id:
            raise InvalidInviteToken()
        if nonce is None or not hmac.compare_digest(claims.nonce, nonce):
            raise InvalidInviteToken("This invitation was already used or replaced by a newer one.")
