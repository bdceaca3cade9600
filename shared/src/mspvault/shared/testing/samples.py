"""Well-formed wire values for tests, the one factory every service's tests use: right shapes, random bytes (the
server stores and never decrypts them), and a real RSA public key where one must parse."""

from __future__ import annotations

import base64
import os
import uuid
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mspvault.shared.contracts.provider import ClientOrgCreatedV1

# A fixed type-2 EncString, for tests that compare what they sent with what comes back.
FIXED_ENC_STRING = "2.AAAAAAAAAAAAAAAAAAAAAA==|Y2lwaGVydGV4dA==|bWFjbWFjbWFj"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def enc_string(blocks: int = 2) -> str:
    """A type-2 EncString, `2.<iv>|<ciphertext>|<mac>` (AES-256-CBC + HMAC-SHA256), of `blocks` AES blocks."""
    return f"2.{b64(os.urandom(16))}|{b64(os.urandom(16 * blocks))}|{b64(os.urandom(32))}"


def rsa_enc_string() -> str:
    """A type-4 EncString, `4.<ciphertext>` (RSA-2048-OAEP)."""
    return f"4.{b64(os.urandom(256))}"


@cache
def public_key() -> str:
    """A real SPKI DER public key, base64 (generated once per process: RSA generation is slow)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return b64(der)


def random_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.test"


def client_org_created(provider_id: uuid.UUID, owner_email: str, **overrides: Any) -> ClientOrgCreatedV1:
    """A provider's new client organization "Contoso" (10 seats, a default collection), as the provider publishes it."""
    values: dict[str, Any] = {
        "organization_id": uuid.uuid4(),
        "provider_name": "Acme MSP",
        "name": "Contoso",
        "billing_email": "billing@contoso.test",
        "plan_type": 20,
        "seats": 10,
        "public_key": b64(os.urandom(294)),
        "encrypted_private_key": enc_string(),
        "collection_name": enc_string(),
    }
    return ClientOrgCreatedV1(provider_id=provider_id, owner_email=owner_email, **(values | overrides))
