"""Vault text is an EncString of type 2 (AES-256-CBC + HMAC-SHA256 under a user or organization key): the server
checks the shape, with the shared validator every service uses, and never decrypts."""

from __future__ import annotations

from mspvault.shared.encstring import AES_CBC_HMAC, InvalidEncString, enc_string_problem, validate_enc_string

__all__ = ["InvalidEncString", "is_aes_cbc_hmac", "require_encstring"]


def is_aes_cbc_hmac(value: str) -> bool:
    return enc_string_problem(value, (AES_CBC_HMAC,)) is None


def require_encstring(value: str | None, field: str, *, optional: bool = False) -> None:
    """Raise `InvalidEncString` naming `field` unless `value` is a type-2 EncString (or None, when optional)."""
    if value is None:
        if optional:
            return
        raise InvalidEncString(f"{field} is required.", field=field)
    validate_enc_string(value, field=field, types=(AES_CBC_HMAC,))
