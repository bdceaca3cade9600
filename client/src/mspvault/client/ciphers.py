"""Vault items in plaintext, and their encryption to and from the Bitwarden cipher JSON. Pure: no I/O.

Every user-visible string becomes a type-2 EncString under the user key (personal items) or the org key;
numbers, booleans, dates and ids stay in clear, as in Bitwarden (bw-cli-api.md §3.4, §3.8).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from mspvault.client.crypto import SymmetricKey, b64encode
from mspvault.client.wire import JsonObject, UnexpectedResponse


class CipherType(IntEnum):
    LOGIN = 1
    SECURE_NOTE = 2
    CARD = 3
    IDENTITY = 4
    SSH_KEY = 5


class FieldType(IntEnum):
    TEXT = 0
    HIDDEN = 1
    BOOLEAN = 2
    LINKED = 3


@dataclass
class LoginUri:
    uri: str
    match: int | None = None  # UriMatchType; None = the client's default


@dataclass
class Login:
    username: str | None = None
    password: str | None = None
    totp: str | None = None
    uris: list[LoginUri] = field(default_factory=list)
    password_revision_date: str | None = None
    autofill_on_page_load: bool | None = None


@dataclass
class SecureNote:
    note_type: int = 0  # Bitwarden has only "generic" (0)


@dataclass
class Card:
    cardholder_name: str | None = None
    brand: str | None = None
    number: str | None = None
    exp_month: str | None = None
    exp_year: str | None = None
    code: str | None = None


@dataclass
class Identity:
    title: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    address1: str | None = None
    address2: str | None = None
    address3: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    ssn: str | None = None
    username: str | None = None
    passport_number: str | None = None
    license_number: str | None = None


@dataclass
class SshKey:
    private_key: str | None = None
    public_key: str | None = None
    key_fingerprint: str | None = None


CipherContent = Login | SecureNote | Card | Identity | SshKey

_TYPE_OF: dict[type[Any], tuple[CipherType, str]] = {
    Login: (CipherType.LOGIN, "login"),
    SecureNote: (CipherType.SECURE_NOTE, "secureNote"),
    Card: (CipherType.CARD, "card"),
    Identity: (CipherType.IDENTITY, "identity"),
    SshKey: (CipherType.SSH_KEY, "sshKey"),
}
_CONTENT_OF: dict[CipherType, tuple[type[Any], str]] = {
    cipher_type: (cls, wire_name) for cls, (cipher_type, wire_name) in _TYPE_OF.items()
}


@dataclass
class CustomField:
    name: str | None = None
    value: str | None = None
    type: FieldType = FieldType.TEXT
    linked_id: int | None = None


@dataclass
class PasswordHistoryEntry:
    password: str
    last_used_date: str


@dataclass
class PlainCipher:
    """A vault item as the user sees it. `id` and `revision_date` come from the server; send
    `revision_date` back on update so the server can refuse a stale edit."""

    name: str
    content: CipherContent
    notes: str | None = None
    fields: list[CustomField] = field(default_factory=list)
    password_history: list[PasswordHistoryEntry] = field(default_factory=list)
    favorite: bool = False
    reprompt: int = 0
    folder_id: str | None = None
    organization_id: str | None = None
    collection_ids: list[str] = field(default_factory=list)
    id: str | None = None
    revision_date: str | None = None
    deleted_date: str | None = None

    @property
    def type(self) -> CipherType:
        return _TYPE_OF[type(self.content)][0]


# --- encrypt ----------------------------------------------------------------------------------------------


def encrypt_cipher(plain: PlainCipher, key: SymmetricKey, *, encrypted_for: str | None = None) -> JsonObject:
    """The request body for create/update. `key` must match `plain.organization_id` (user key or org key)."""
    cipher_type, wire_name = _TYPE_OF[type(plain.content)]
    body: JsonObject = {
        "type": int(cipher_type),
        "organizationId": plain.organization_id,
        "folderId": plain.folder_id,
        "name": _enc(key, plain.name),
        "notes": _enc(key, plain.notes),
        "favorite": plain.favorite,
        "reprompt": plain.reprompt,
        "key": None,  # no per-item key: items are encrypted directly with the user/org key
        "lastKnownRevisionDate": plain.revision_date,
        "fields": [_encrypt_field(key, f) for f in plain.fields],
        "passwordHistory": [
            {"password": _enc(key, entry.password), "lastUsedDate": entry.last_used_date}
            for entry in plain.password_history
        ],
        wire_name: _encrypt_content(plain.content, key),
    }
    if encrypted_for is not None:
        body["encryptedFor"] = encrypted_for
    return body


def _encrypt_content(content: CipherContent, key: SymmetricKey) -> JsonObject:
    if isinstance(content, SecureNote):
        return {"type": content.note_type}
    if isinstance(content, Login):
        return {
            "username": _enc(key, content.username),
            "password": _enc(key, content.password),
            "totp": _enc(key, content.totp),
            "passwordRevisionDate": content.password_revision_date,
            "autofillOnPageLoad": content.autofill_on_page_load,
            "uris": [
                {"uri": _enc(key, u.uri), "uriChecksum": _enc(key, uri_checksum(u.uri)), "match": u.match}
                for u in content.uris
            ],
        }
    # Card, Identity, SshKey: every field is an optional string, and every one is encrypted.
    return {_camel(f.name): _enc(key, getattr(content, f.name)) for f in dataclasses.fields(content)}


def _encrypt_field(key: SymmetricKey, custom: CustomField) -> JsonObject:
    return {
        "type": int(custom.type),
        "name": _enc(key, custom.name),
        "value": _enc(key, custom.value),
        "linkedId": custom.linked_id,
    }


def uri_checksum(uri: str) -> str:
    """Bitwarden stores base64(SHA-256(uri)) beside each URI so clients can detect a swapped URI."""
    return b64encode(hashlib.sha256(uri.encode("utf-8")).digest())


# --- decrypt ----------------------------------------------------------------------------------------------


def decrypt_cipher(body: JsonObject, key: SymmetricKey) -> PlainCipher:
    """Decrypt a cipher(Details) object. `key` is the user or org key; a per-item key, if present,
    is opened with it first."""
    item_key = SymmetricKey.from_bytes(key.decrypt(body["key"])) if body.get("key") else key
    try:
        cipher_type = CipherType(body["type"])
    except (KeyError, ValueError) as exc:
        raise UnexpectedResponse("cipher has no supported type") from exc
    content = _decrypt_content(cipher_type, body, item_key)
    return PlainCipher(
        id=body.get("id"),
        name=_dec(item_key, body.get("name")) or "",
        content=content,
        notes=_dec(item_key, body.get("notes")),
        fields=[_decrypt_field(item_key, f) for f in body.get("fields") or []],
        password_history=[
            PasswordHistoryEntry(_dec(item_key, h.get("password")) or "", h.get("lastUsedDate", ""))
            for h in body.get("passwordHistory") or []
        ],
        favorite=bool(body.get("favorite")),
        reprompt=body.get("reprompt") or 0,
        folder_id=body.get("folderId"),
        organization_id=body.get("organizationId"),
        collection_ids=list(body.get("collectionIds") or []),
        revision_date=body.get("revisionDate"),
        deleted_date=body.get("deletedDate"),
    )


def _decrypt_field(key: SymmetricKey, wire: JsonObject) -> CustomField:
    try:
        field_type = FieldType(wire.get("type", 0))
    except ValueError as exc:
        raise UnexpectedResponse("custom field has an unknown type") from exc
    return CustomField(
        name=_dec(key, wire.get("name")),
        value=_dec(key, wire.get("value")),
        type=field_type,
        linked_id=wire.get("linkedId"),
    )


def _decrypt_content(cipher_type: CipherType, body: JsonObject, key: SymmetricKey) -> CipherContent:
    content_class, wire_name = _CONTENT_OF[cipher_type]
    wire = body.get(wire_name) or {}
    if content_class is SecureNote:
        return SecureNote(note_type=wire.get("type") or 0)
    if content_class is Login:
        uris = []
        for entry in wire.get("uris") or []:
            uri = _dec(key, entry.get("uri")) or ""
            checksum = _dec(key, entry.get("uriChecksum"))
            if checksum is not None and checksum != uri_checksum(uri):
                raise UnexpectedResponse("login URI does not match its checksum")
            uris.append(LoginUri(uri, entry.get("match")))
        return Login(
            username=_dec(key, wire.get("username")),
            password=_dec(key, wire.get("password")),
            totp=_dec(key, wire.get("totp")),
            uris=uris,
            password_revision_date=wire.get("passwordRevisionDate"),
            autofill_on_page_load=wire.get("autofillOnPageLoad"),
        )
    values = {f.name: _dec(key, wire.get(_camel(f.name))) for f in dataclasses.fields(content_class)}
    content: CipherContent = content_class(**values)
    return content


# --- helpers ----------------------------------------------------------------------------------------------


def _enc(key: SymmetricKey, value: str | None) -> str | None:
    return None if value is None else str(key.encrypt_str(value))


def _dec(key: SymmetricKey, value: str | None) -> str | None:
    return None if value is None else key.decrypt_str(value)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.capitalize() for part in rest)
