"""Shape checks for the EncStrings clients send, with the shared validator; the server never decrypts them.

Form and base64 only (`exact_sizes=False`), as this service has always checked; errors keep this service's wording.
"""

from __future__ import annotations

from mspvault.organization.domain.errors import InvalidEncString
from mspvault.shared.encstring import AES_CBC_HMAC, RSA_OAEP, enc_string_problem, is_base64


def is_symmetric(value: str) -> bool:
    return enc_string_problem(value, (AES_CBC_HMAC,), exact_sizes=False) is None


def is_rsa(value: str) -> bool:
    return enc_string_problem(value, (RSA_OAEP,), exact_sizes=False) is None


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
    if not is_base64(value):
        raise InvalidEncString(field, "base64 SPKI DER")
    return value
