"""The secret of a Bitwarden API key, made the same way by every service that issues one (identity for a user's
key, organization for an organization's): 30 letters and digits, Bitwarden's length and alphabet."""

from __future__ import annotations

import secrets
import string

SECRET_CHARS = 30
_ALPHABET = string.ascii_letters + string.digits


def new_client_secret() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_CHARS))
