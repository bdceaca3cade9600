"""Shape checks for the EncStrings clients send, with the shared validator; the server never decrypts them.

Form and base64 only (`exact_sizes=False`), as this service has always checked; errors keep this service's wording.
"""

from __future__ import annotations

from mspvault.provider.domain.errors import InvalidEncString
from mspvault.shared.encstring import AES_CBC_HMAC, RSA_OAEP, enc_string_problem


def require_symmetric(value: str, field: str) -> str:
    """`2.iv|ct|mac`: AES-256-CBC + HMAC-SHA256, how an org key is wrapped by the provider key."""
    if enc_string_problem(value, (AES_CBC_HMAC,), exact_sizes=False) is not None:
        raise InvalidEncString(field, "2 (AES-CBC-HMAC)")
    return value


def require_rsa(value: str, field: str) -> str:
    """`4.<base64>`: RSA-OAEP under a user's public key, how the provider key reaches each provider user."""
    if enc_string_problem(value, (RSA_OAEP,), exact_sizes=False) is not None:
        raise InvalidEncString(field, "4 (RSA-OAEP)")
    return value
