"""Refresh-token families: one per login, rotated on every use, expiring absolutely.

Every refresh answers with a new token and spends the old one. A spent token coming back means two parties hold
the family (a stolen token, replayed), so the whole family is revoked: the thief and the victim both log in again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mspvault.shared.errors import DomainError

TOKEN_BYTES = 48


class RefreshTokenRejected(DomainError):
    """Any refresh-token failure; the HTTP edge answers every one with the same invalid_grant."""


class RefreshTokenUnknown(RefreshTokenRejected, message="Refresh token is not valid."): ...


class RefreshTokenExpired(RefreshTokenRejected, message="Refresh token has expired."): ...


class RefreshTokenRevoked(RefreshTokenRejected, message="Refresh token was revoked."): ...


class RefreshTokenReused(RefreshTokenRejected, message="Refresh token was already used; the session was revoked."): ...


def new_refresh_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """Only digests are stored. The token has 384 random bits, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class RefreshTokenFamily:
    id: uuid.UUID
    user_id: uuid.UUID
    device_id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    current_digest: str
    revoked_at: datetime | None = None

    @classmethod
    def start(
        cls, *, user_id: uuid.UUID, device_id: uuid.UUID, first_digest: str, now: datetime, lifetime: timedelta
    ) -> RefreshTokenFamily:
        return cls(uuid.uuid4(), user_id, device_id, now, now + lifetime, first_digest)

    def rotate(self, presented_digest: str, next_digest: str, now: datetime) -> None:
        """Spend the presented token and make `next_digest` current.

        Raises RefreshTokenReused after revoking the family: the caller must persist that revocation.
        """
        if self.revoked_at is not None:
            raise RefreshTokenRevoked()
        if now >= self.expires_at:
            raise RefreshTokenExpired()
        if not hmac.compare_digest(presented_digest, self.current_digest):
            self.revoked_at = now
            raise RefreshTokenReused()
        self.current_digest = next_digest
