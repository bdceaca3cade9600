"""The RS256 keys identity signs access tokens with: created on first start, kept in identity's database."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.identity.adapters.orm import signing_keys
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.signed_tokens import SignedTokens, VerifiedToken

# Serializes the "no key yet, create one" step when several replicas start at once.
_CREATE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('mspvault.identity.signing_keys'))"


async def load_or_create_signing_keys(session: AsyncSession) -> list[SigningKey]:
    """Every stored key, newest first (the newest signs); adds the first key when there is none.

    The caller commits (the advisory lock is held until then)."""
    await session.execute(text(_CREATE_LOCK))
    rows = (await session.execute(select(signing_keys).order_by(signing_keys.c.created_at.desc()))).all()
    if not rows:
        key = SigningKey.generate()
        await session.execute(
            insert(signing_keys).values(
                kid=key.kid, private_pem=key.private_pem().decode(), created_at=datetime.now(UTC)
            )
        )
        return [key]
    return [SigningKey.from_pem(row.kid, row.private_pem.encode()) for row in rows]


class KeyRing:
    """The keys loaded at start: the newest signs, all of them verify. Empty until the service has started."""

    def __init__(self) -> None:
        self._keys: list[SigningKey] = []

    def load(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = list(keys)

    @property
    def current(self) -> SigningKey:
        if not self._keys:
            raise RuntimeError("signing keys are not loaded yet")
        return self._keys[0]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self._keys]}

    @property
    def prelogin_secret(self) -> bytes:
        """The secret behind prelogin's answers for unknown emails (`kdf.fake_kdf`): derived from the oldest stored
        key, which every replica shares and which outlives restarts, so the answers stay the same."""
        if not self._keys:
            raise RuntimeError("signing keys are not loaded yet")
        return hashlib.sha256(b"mspvault.prelogin-kdf\0" + self._keys[-1].private_pem()).digest()

    @property
    def email_verification_secret(self) -> str:
        """The key of email verification links (`SignedTokens`), derived like `prelogin_secret`: shared by replicas,
        stable across restarts, never sent; and for its own purpose only."""
        if not self._keys:
            raise RuntimeError("signing keys are not loaded yet")
        return hashlib.sha256(b"mspvault.verify-email\0" + self._keys[-1].private_pem()).hexdigest()


class EmailVerificationTokens:
    """Signed tokens of email verification links, under the key ring's secret, read when used (the ring loads at
    start-up; the command line builds a work without it and never mints a link)."""

    PURPOSE = "verify-email"

    def __init__(self, ring: KeyRing, lifetime: timedelta) -> None:
        self._ring = ring
        self._lifetime = lifetime

    def _tokens(self) -> SignedTokens:
        return SignedTokens(self._ring.email_verification_secret, self.PURPOSE, lifetime=self._lifetime)

    def issue(self, claims: Mapping[str, str], now: datetime) -> str:
        return self._tokens().issue(claims, now)

    def verify(self, token: str, now: datetime) -> VerifiedToken:
        return self._tokens().verify(token, now)
