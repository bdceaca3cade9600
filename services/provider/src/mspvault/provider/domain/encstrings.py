"""Shape checks for the EncStrings clients send; the server never decrypts them, it only refuses malformed ones."""

from __future__ import annotations

import base64
import binascii

from mspvault.provider.domain.errors import InvalidEncString


def _is_base64(part: str) -> bool:
    if not part:
        return False
    try:
        base64.b64decode(part, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def require_symmetric(value: str, field: str) -> str:
    """`2.iv|ct|mac`: AES-256-CBC + HMAC-SHA256, how an org key is wrapped by the provider key."""
    head, dot, body = value.partition(".")
    parts = body.split("|")
    if head != "2" or not dot or len(parts) != 3 or not all(_is_base64(part) for part in parts):
        raise InvalidEncString(field, "2 (AES-CBC-HMAC)")
    return value


def require_rsa(value: str, field: str) -> str:
    """`4.<base64>`: RSA-OAEP under a user's public key, how the provider key reaches each provider user."""
    head, dot, body = value.partition(".")
    if head != "4" or not dot or "|" in body or not _is_base64(body):
        raise InvalidEncString(field, "4 (RSA-OAEP)")
    return value
