"""Well-formed wire values for tests, the one factory every service's tests use: right shapes, random bytes (the
server stores and never decrypts them), and a real RSA public key where one must parse."""

from __future__ import annotations

import base64
import os
import uuid
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

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
