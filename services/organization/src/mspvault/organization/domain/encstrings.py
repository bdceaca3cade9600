"""Shape checks for the EncStrings clients send; the server never decrypts, it only refuses malformed values."""

from __future__ import annotations

import base64
import binascii

from mspvault.organization.domain.errors import InvalidEncString


def _is_base64(part: str) -> bool:
    if not part:
        return False
    try:
        base64.b64decode(part, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def is_symmetric(value: str) -> bool:
    head, dot, body = value.partition(".")
    parts = body.split("|")
    return head == "2" and bool(dot) and len(parts) == 3 and all(_is_base64(part) for part in parts)


def is_rsa(value: str) -> bool:
    head, dot, body = value.partition(".")
    return head == "4" and bool(dot) and "|" not in body and _is_base64(body)


def require_symmetric(value: str, field: str) -> str:
    """`2.iv|ct|mac` (AES-256-CBC + HMAC-SHA256): collection names, the org private key."""
    if not is_symmetric(value):
        raise InvalidEncString(field, "2 (AES-CBC-HMAC)")
    return value


def require_rsa(value: str, field: str) -> str:
    """`4.<base64>` (RSA-OAEP under the member's public key): the org key handed to a member."""
    if not is_rsa(value):
        raise InvalidEncString(field, "4 (RSA-OAEP)")
    return value


def require_public_key(value: str, field: str) -> str:
    if not _is_base64(value):
        raise InvalidEncString(field, "base64 SPKI DER")
    return value
