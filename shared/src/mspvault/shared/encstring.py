"""The *shape* of Bitwarden EncStrings and public keys. The server stores them and never decrypts, but refusing a
malformed value at the door keeps a buggy client from saving data that no client could ever open again.

Pure and dependency-free: every service validates with this one module.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection

from mspvault.shared.errors import DomainError

AES_CBC_HMAC = 2  # "2.<iv>|<ciphertext>|<mac>": AES-256-CBC + HMAC-SHA256
RSA_OAEP = 4  # "4.<ciphertext>": RSA-2048-OAEP-SHA1
IV_BYTES = 16
MAC_BYTES = 32
AES_BLOCK = 16
MAX_ENC_STRING_CHARS = 100_000
MAX_PUBLIC_KEY_CHARS = 4_096


class InvalidEncString(DomainError):
    """A value that should be an EncString is not one."""


class InvalidPublicKey(DomainError):
    """A public key that is not base64 DER."""


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def is_base64(text: str) -> bool:
    """Non-empty, strict (no whitespace, correct padding) standard base64."""
    return bool(_b64(text))


def enc_string_problem(
    value: str, types: Collection[int] = (AES_CBC_HMAC, RSA_OAEP), *, exact_sizes: bool = True
) -> str | None:
    """What is wrong with `value` as an EncString of one of `types`, or None if its shape is right.

    `exact_sizes=False` checks only the form and the base64 of each (non-empty) part, not the IV, MAC and block
    sizes of type 2. The reason never quotes the value: it may be key material.
    """
    if len(value) > MAX_ENC_STRING_CHARS:
        return "is too long"
    header, dot, body = value.partition(".")
    # Compared as text: int() would also take "02" or non-ASCII digits.
    if not dot or header not in {str(t) for t in types}:
        allowed = " or ".join(f"type {t}" for t in sorted(types))
        return f"must be an EncString of {allowed}"
    parts = body.split("|")
    if int(header) == AES_CBC_HMAC:
        if len(parts) != 3:
            return "must have the form 2.iv|data|mac"
        iv, data, mac = (_b64(part) for part in parts)
        if iv is None or data is None or mac is None:
            return "must hold base64 parts"
        if not exact_sizes:
            return None if iv and data and mac else "must hold base64 parts"
        if len(iv) != IV_BYTES or len(mac) != MAC_BYTES or not data or len(data) % AES_BLOCK:
            return "has parts of the wrong size"
        return None
    if len(parts) != 1:
        return "must have the form 4.data"
    data = _b64(parts[0])
    if not data:
        return "must hold a base64 ciphertext"
    return None


def validate_enc_string(value: str, *, field: str, types: Collection[int] = (AES_CBC_HMAC, RSA_OAEP)) -> str:
    problem = enc_string_problem(value, types)
    if problem is not None:
        raise InvalidEncString(f"{field} {problem}.", field=field)
    return value


def validate_public_key(value: str, *, field: str) -> str:
    """Base64 of a DER SubjectPublicKeyInfo: checked for base64 and a DER SEQUENCE, not parsed further."""
    der = _b64(value) if len(value) <= MAX_PUBLIC_KEY_CHARS else None
    if not der or der[0] != 0x30:
        raise InvalidPublicKey(f"{field} must be a base64 DER public key.", field=field)
    return value
