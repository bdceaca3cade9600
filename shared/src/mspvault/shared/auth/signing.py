"""RS256 signing keys and access-token minting: identity uses it to issue tokens, tests to mint their own."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from mspvault.shared.auth.verifier import AUDIENCE


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(kid=uuid.uuid4().hex, private_key=rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def from_pem(cls, kid: str, pem: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("signing key must be RSA")
        return cls(kid=kid, private_key=key)

    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk()]}

    def mint(
        self,
        *,
        user_id: uuid.UUID,
        email: str,
        name: str | None = None,
        issuer: str = "mspvault",
        lifetime_seconds: int = 3600,
        extra: dict[str, Any] | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "email": email,
            "name": name,
            "email_verified": True,
            "premium": True,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime_seconds,
            "scope": ["api", "offline_access"],
            "amr": ["Application"],
            **(extra or {}),
        }
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})
