"""Plaintext names and addresses: no control characters and no line breaks (issue 11 #3).

They end up in mail headers, logs and other people's screens; a `\\n` or `\\x85` in a name broke the mail loop.
EncStrings are opaque and checked by their own shape, not here.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import AfterValidator

# Cc: C0 and C1 controls (\n, \r, \t, \x00, \x1b, \x85...); Zl/Zp: U+2028 LINE and U+2029 PARAGRAPH SEPARATOR.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
MESSAGE = "must not contain control characters or line breaks"


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in value)


def refuse_control_characters(value: Any) -> Any:
    """A pydantic after-validator (a ValueError becomes the shared 400 naming the field); None passes."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValueError(MESSAGE)
    return value


PlainText = AfterValidator(refuse_control_characters)


def normalize_email(email: str) -> str:
    """The one stored and compared form of an email address in every service: trimmed and lower-cased (also the KDF
    salt Bitwarden clients derive with, so identity must store exactly this)."""
    return email.strip().lower()
