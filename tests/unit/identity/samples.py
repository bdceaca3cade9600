"""Well-formed wire values for identity tests: right shapes, random bytes (the server never decrypts them)."""

from __future__ import annotations

import base64
import os
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def enc_string_2(ciphertext_blocks: int = 5) -> str:
    return f"2.{b64(os.urandom(16))}|{b64(os.urandom(16 * ciphertext_blocks))}|{b64(os.urandom(32))}"


def enc_string_4() -> str:
    return f"4.{b64(os.urandom(256))}"


_PUBLIC_KEY: list[str] = []


def public_key() -> str:
    """A real SPKI DER public key (generated once: RSA generation is slow)."""
    if not _PUBLIC_KEY:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        der = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _PUBLIC_KEY.append(b64(der))
    return _PUBLIC_KEY[0]


def random_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.test"


def user_key_id() -> str:
    return uuid.uuid4().hex
