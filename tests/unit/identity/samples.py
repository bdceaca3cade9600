"""Identity's names for the shared sample values (mspvault.shared.testing.samples)."""

from __future__ import annotations

import uuid

from mspvault.shared.testing.samples import b64, public_key, random_email, rsa_enc_string
from mspvault.shared.testing.samples import enc_string as _enc_string

__all__ = ["b64", "enc_string_2", "enc_string_4", "public_key", "random_email", "user_key_id"]

enc_string_4 = rsa_enc_string


def enc_string_2(ciphertext_blocks: int = 5) -> str:
    return _enc_string(ciphertext_blocks)


def user_key_id() -> str:
    return uuid.uuid4().hex
