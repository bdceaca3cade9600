"""A cipher's content as the server keeps it: validated in shape, cleaned of client noise, otherwise opaque.

`CipherInput` is what a client sent; `validated()` turns it into the `CipherContent` that is stored.

The type sub-object (`login`, `card`, …), custom fields and password history are stored as the client sent them,
minus the `"response": null` keys some clients serialize, and with the few repairs that keep other clients from
crashing on them (a numeric field type, a secure-note type, the legacy top-level login `uri`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from mspvault.shared.dates import bitwarden_date
from mspvault.vault.domain.encstring import require_encstring
from mspvault.vault.domain.errors import (
    CipherDataMissing,
    InvalidCipherType,
    NotEncryptedForCaller,
    NotesTooLong,
)
from mspvault.vault.domain.limits import (
    FIELD_LIMITS,
    HISTORY_LIMITS,
    MAX_KEY_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    TYPE_FIELD_LIMITS,
    check_item_size,
    check_length,
    check_list,
    check_object,
)

EPOCH_DATE = "1970-01-01T00:00:00.000000Z"


class CipherType(IntEnum):
    LOGIN = 1
    SECURE_NOTE = 2
    CARD = 3
    IDENTITY = 4
    SSH_KEY = 5

    @property
    def wire_name(self) -> str:
        return _WIRE_NAMES[self]


_WIRE_NAMES = {
    CipherType.LOGIN: "login",
    CipherType.SECURE_NOTE: "secureNote",
    CipherType.CARD: "card",
    CipherType.IDENTITY: "identity",
    CipherType.SSH_KEY: "sshKey",
}
TYPE_FIELDS: tuple[str, ...] = tuple(_WIRE_NAMES.values())


class Reprompt(IntEnum):
    NONE = 0
    PASSWORD = 1


@dataclass(frozen=True)
class CipherContent:
    """Everything a client may set on a cipher itself (per-user folder and favorite live elsewhere)."""

    type: CipherType
    name: str
    notes: str | None
    key: str | None
    reprompt: int
    data: dict[str, Any]
    fields: list[dict[str, Any]] | None
    password_history: list[dict[str, Any]] | None


@dataclass(frozen=True)
class CipherInput:
    """A cipher's content as a client sends it for create, update or share (bw-cli-api.md §3.8), not yet checked."""

    type: int
    name: str
    notes: str | None = None
    key: str | None = None
    reprompt: int | None = None
    type_data: Mapping[str, Any] = field(default_factory=dict)  # wire name (`login`, …) → what was sent
    fields: list[Any] | None = None
    password_history: list[Any] | None = None
    encrypted_for: uuid.UUID | None = None  # newer clients name the user whose keys encrypted the item

    def validated(self, user_id: uuid.UUID) -> CipherContent:
        """The content to store, encrypted for `user_id`; raises a named error for anything malformed."""
        if self.encrypted_for is not None and self.encrypted_for != user_id:
            raise NotEncryptedForCaller()  # another user's copy would be unreadable
        return build_content(
            type=self.type,
            name=self.name,
            notes=self.notes,
            key=self.key,
            reprompt=self.reprompt,
            type_data=self.type_data,
            fields=self.fields,
            password_history=self.password_history,
        )


def cipher_type_of(value: int) -> CipherType:
    try:
        return CipherType(value)
    except ValueError as error:
        raise InvalidCipherType() from error


def build_content(
    *,
    type: int,
    name: str,
    notes: str | None,
    key: str | None,
    reprompt: int | None,
    type_data: Mapping[str, Any],
    fields: list[Any] | None,
    password_history: list[Any] | None,
) -> CipherContent:
    """Validate and clean what a client sent; `type_data` maps wire names (`login`, …) to what was sent for each."""
    cipher_type = cipher_type_of(type)
    check_length(name, "name", MAX_NAME_LENGTH)
    require_encstring(name, "name")
    if notes is not None and len(notes) > MAX_NOTES_LENGTH:
        raise NotesTooLong(MAX_NOTES_LENGTH)
    require_encstring(notes, "notes", optional=True)
    check_length(key, "key", MAX_KEY_LENGTH)
    raw = type_data.get(cipher_type.wire_name)
    if not isinstance(raw, dict):
        raise CipherDataMissing(cipher_type.wire_name)
    _check_limits(cipher_type, raw, fields, password_history)
    content = CipherContent(
        type=cipher_type,
        name=name,
        notes=notes,
        key=key,
        reprompt=reprompt if reprompt in (Reprompt.NONE, Reprompt.PASSWORD) else Reprompt.NONE,
        data=clean_type_data(cipher_type, raw),
        fields=None if fields is None else clean_fields(fields),
        password_history=None if password_history is None else clean_password_history(password_history),
    )
    check_item_size(
        {"name": name, "notes": notes, "key": key, "data": content.data, "fields": content.fields,
         "passwordHistory": content.password_history}
    )  # fmt: skip
    return content


def _check_limits(
    cipher_type: CipherType, raw: Mapping[str, Any], fields: list[Any] | None, history: list[Any] | None
) -> None:
    """Bitwarden's per-field limits, and bounded lists, before anything is cleaned or stored (issue 11 #4)."""
    wire = cipher_type.wire_name
    check_object(raw, wire, TYPE_FIELD_LIMITS[wire])
    check_list(fields, "fields")
    for index, entry in enumerate(fields or ()):
        check_object(entry, f"fields[{index}]", FIELD_LIMITS, depth=2)
    check_list(history, "passwordHistory")
    for index, entry in enumerate(history or ()):
        check_object(entry, f"passwordHistory[{index}]", HISTORY_LIMITS, depth=2)


def _without_response(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != "response"}


def clean_type_data(cipher_type: CipherType, raw: Mapping[str, Any]) -> dict[str, Any]:
    data = _without_response(raw)
    if cipher_type is CipherType.LOGIN:
        uris = data.get("uris")
        if isinstance(uris, list):
            data["uris"] = [_clean_uri(uri) for uri in uris if isinstance(uri, dict)]
            # Several (mobile) clients still read the legacy top-level `uri`.
            data["uri"] = data["uris"][0].get("uri") if data["uris"] else None
        else:
            data["uri"] = None
    elif cipher_type is CipherType.SECURE_NOTE and not isinstance(data.get("type"), int):
        data = {**data, "type": 0}
    return data


def _clean_uri(uri: dict[str, Any]) -> dict[str, Any]:
    cleaned = _without_response(uri)
    match = cleaned.get("match")
    if isinstance(match, str):
        # Clients accept only a number or null here.
        cleaned["match"] = int(match) if match.isdigit() else None
    return cleaned


def clean_fields(fields: list[Any]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    for item in fields:
        if not isinstance(item, dict):
            continue
        entry = _without_response(item)
        kind = entry.get("type")
        if isinstance(kind, bool) or not isinstance(kind, int):
            # A string type breaks some clients; unknown means hidden, so nothing shows by accident.
            entry["type"] = int(kind) if isinstance(kind, str) and kind.isdigit() else 1
        cleaned.append(entry)
    return cleaned


def clean_password_history(history: list[Any]) -> list[dict[str, Any]]:
    """Entries without a string password break newer clients; a missing date becomes the epoch."""
    cleaned: list[dict[str, Any]] = []
    for item in history:
        if not isinstance(item, dict) or not isinstance(item.get("password"), str):
            continue
        entry = _without_response(item)
        used = parse_client_date(entry.get("lastUsedDate"))
        entry["lastUsedDate"] = bitwarden_date(used) if used is not None else EPOCH_DATE
        cleaned.append(entry)
    return cleaned


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_client_date(value: object) -> datetime | None:
    """An ISO-8601 date from a client (.NET sends 7 fractional digits; some send no zone: UTC), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value.strip()))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
