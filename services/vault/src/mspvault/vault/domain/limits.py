"""How big a cipher may be: Bitwarden's per-field limits, plus bounds on lists and on the whole item, so one item
cannot inflate every sync of everyone who sees it (issue 11 #4).

Lengths are in encrypted characters (the EncString as sent), as Bitwarden's `[EncryptedStringLength(n)]`
attributes count them on `CipherRequestModel` and its login, card, identity, SSH key, field and password-history
models. What Bitwarden does not bound (how many URIs, custom fields or history entries; keys a newer client adds)
is bounded here generously: no real item comes near, and the largest item allowed stays a few hundred kilobytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mspvault.shared.errors import DomainError

MAX_NAME_LENGTH = 1_000
MAX_NOTES_LENGTH = 10_000
MAX_KEY_LENGTH = 1_000
# Any other string in an item (a field Bitwarden does not list, or one a newer client adds): the longest Bitwarden
# allows anywhere on an item.
MAX_OTHER_STRING_LENGTH = 10_000
MAX_LIST_ENTRIES = 100  # URIs, custom fields, password history, passkeys: each
MAX_ITEM_CHARACTERS = 200_000  # the whole item's content, as JSON
MAX_DEPTH = 6  # nesting of objects and lists inside an item (the deepest real one, a login's URI, is 3)

_1K, _5K, _10K = 1_000, 5_000, 10_000
TYPE_FIELD_LIMITS: Mapping[str, Mapping[str, int]] = {
    "login": {"username": _1K, "password": _5K, "totp": _1K, "uri": _10K},
    "card": {"cardholderName": _1K, "brand": _1K, "number": _1K, "expMonth": _1K, "expYear": _1K, "code": _1K},
    "identity": {
        name: _1K
        for name in [
            "title",
            "firstName",
            "middleName",
            "lastName",
            "address1",
            "address2",
            "address3",
            "city",
            "state",
            "postalCode",
            "country",
            "company",
            "email",
            "phone",
            "ssn",
            "username",
            "passportNumber",
            "licenseNumber",
        ]
    },
    "sshKey": {"privateKey": _5K, "publicKey": _5K, "keyFingerprint": _1K},
    "secureNote": {},
}
URI_LIMITS: Mapping[str, int] = {"uri": _10K, "uriChecksum": _1K}
FIELD_LIMITS: Mapping[str, int] = {"name": _1K, "value": _5K}
HISTORY_LIMITS: Mapping[str, int] = {"password": _5K}


class CipherFieldTooLong(DomainError):
    """Worded like Bitwarden's model-state error, naming the field as the clients print it."""

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(
            f"The field {field} exceeds the maximum encrypted value length of {limit} characters.", field=field
        )


class CipherListTooLong(DomainError):
    def __init__(self, field: str, limit: int) -> None:
        super().__init__(f"The field {field} has more than {limit} entries.", field=field)


class CipherTooLarge(DomainError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"The item is too large: {problem}.", field=field)


def check_length(value: Any, field: str, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        raise CipherFieldTooLong(field, limit)


def check_list(value: Any, field: str) -> None:
    if isinstance(value, list) and len(value) > MAX_LIST_ENTRIES:
        raise CipherListTooLong(field, MAX_LIST_ENTRIES)


def check_object(value: Any, field: str, limits: Mapping[str, int], depth: int = 1) -> None:
    """Every string of `value` (an object from the client) within its own limit or the general one; lists and
    nesting bounded. `field` is where `value` sits, for the error (`login.uris[2].uri`)."""
    if depth > MAX_DEPTH:
        raise CipherTooLarge(field, f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, Mapping):
        for key, inner in value.items():
            where = f"{field}.{key}" if field else str(key)
            check_length(key, where, MAX_NAME_LENGTH)
            if isinstance(inner, str):
                check_length(inner, where, limits.get(str(key), MAX_OTHER_STRING_LENGTH))
            elif isinstance(inner, list | Mapping):
                check_object(inner, where, _limits_of(str(key)), depth + 1)
    elif isinstance(value, list):
        check_list(value, field)
        for index, inner in enumerate(value):
            where = f"{field}[{index}]"
            if isinstance(inner, str):
                check_length(inner, where, MAX_OTHER_STRING_LENGTH)
            elif isinstance(inner, list | Mapping):
                check_object(inner, where, limits, depth + 1)


def _limits_of(key: str) -> Mapping[str, int]:
    """The limits for entries of a list or object under `key` (URIs have their own)."""
    return URI_LIMITS if key == "uris" else {}


def check_item_size(content: Mapping[str, Any]) -> None:
    size = len(json.dumps(content, separators=(",", ":"), ensure_ascii=False, default=str))
    if size > MAX_ITEM_CHARACTERS:
        raise CipherTooLarge("cipher", f"{size:,} characters, at most {MAX_ITEM_CHARACTERS:,}")
