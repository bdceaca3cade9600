"""Response bodies in Bitwarden's shapes (bw-cli-api.md §3.4, §3.7): pydantic models with camelCase aliases.

Items are the exception, on a measured hot path: a sync carries up to 15,000 of them (`make bench BENCH=sync`:
p50 1.21 s for 15,001 items, bench/README.md), so `cipher_details` writes each one as JSON text from a template
instead of building a model, and the opaque parts (type data, fields, password history) go out as the database's
JSON text, never decoded. Every other string goes through the JSON string encoder. `CipherDetailsResponse`
documents that shape in the OpenAPI document, and a unit test holds the template to it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii as _quote  # the C encoder, a JSON string literal with its quotes
from typing import Any, Literal

from fastapi import Response

from mspvault.shared.by_name import model_by_name
from mspvault.shared.dates import BitwardenDate, bitwarden_date
from mspvault.shared.http.responses import ApiResponse
from mspvault.vault.adapters.queries import SyncDocument
from mspvault.vault.domain.cipher import CipherView
from mspvault.vault.domain.content import TYPE_FIELDS, CipherType
from mspvault.vault.domain.folder import Folder


class FolderResponse(ApiResponse):
    id: uuid.UUID
    revision_date: BitwardenDate
    name: str
    object: Literal["folder"] = "folder"

    @classmethod
    def of(cls, folder: Folder) -> FolderResponse:
        return model_by_name(cls, folder, revision_date=folder.updated_at)


class RevisionDateResponse(ApiResponse):
    revision_date: int  # epoch milliseconds


class ImportCheckResponse(ApiResponse):
    cipher_count: int


class PermissionsResponse(ApiResponse):
    delete: bool
    restore: bool


class CipherDetailsResponse(ApiResponse):
    """The shape `cipher_details` writes (documentation only; see the module docstring)."""

    object: Literal["cipherDetails"] = "cipherDetails"
    id: uuid.UUID
    type: int
    organization_id: uuid.UUID | None
    folder_id: uuid.UUID | None
    favorite: bool
    edit: bool
    view_password: bool
    permissions: PermissionsResponse
    name: str
    notes: str | None
    key: str | None
    reprompt: int
    creation_date: str
    revision_date: str
    deleted_date: str | None
    archived_date: str | None
    collection_ids: list[uuid.UUID]
    attachments: None = None
    organization_use_totp: bool = True
    login: dict[str, Any] | None = None
    secure_note: dict[str, Any] | None = None
    card: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None
    ssh_key: dict[str, Any] | None = None
    fields: list[dict[str, Any]]
    password_history: list[dict[str, Any]]


class OptionalCipherDetailsResponse(ApiResponse):
    """`collections_v2`: "unavailable" when the caller no longer sees the item once it left their collections."""

    object: Literal["optionalCipherDetails"] = "optionalCipherDetails"
    unavailable: bool
    cipher: CipherDetailsResponse | None


# --- items, pre-serialized ------------------------------------------------------------------------------------------

_BOOL = ("false", "true")

# Exactly one type sub-object is filled; the others are null, as the clients expect.
_TYPE_PARTS = {
    int(kind): ",".join(f'"{name}":{{data}}' if name == kind.wire_name else f'"{name}":null' for name in TYPE_FIELDS)
    for kind in CipherType
}

_CIPHER_DETAILS = (
    '{{"object":"cipherDetails","id":"{id}","type":{type},"organizationId":{organization_id},'
    '"folderId":{folder_id},"favorite":{favorite},"edit":{edit},"viewPassword":{view_password},'
    '"permissions":{{"delete":{delete},"restore":{restore}}},"name":{name},"notes":{notes},"key":{key},'
    '"reprompt":{reprompt},"creationDate":"{created}","revisionDate":"{revised}","deletedDate":{deleted},'
    '"archivedDate":{archived},"collectionIds":[{collection_ids}],"attachments":null,"organizationUseTotp":true,'
    '{type_part},"fields":{fields},"passwordHistory":{password_history}}}'
)


def _text(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _id(value: object | None) -> str:
    return "null" if value is None else f'"{value}"'


def _date(value: Any) -> str:
    return "null" if value is None else f'"{bitwarden_date(value)}"'


def _json_list(text: str | None) -> str:
    return text if text is not None and text != "null" else "[]"


def cipher_details(view: CipherView) -> str:
    """One cipherDetails object: the caller's access and prefs around the stored, still-encrypted item."""
    cipher, access, prefs = view.cipher, view.access, view.prefs
    can_write = _BOOL[access.can_write]
    return _CIPHER_DETAILS.format(
        id=cipher.id,
        type=cipher.type,
        organization_id=_id(cipher.organization_id),
        folder_id=_id(prefs.folder_id),
        favorite=_BOOL[prefs.favorite],
        edit=_BOOL[access.edit],
        view_password=_BOOL[access.view_password],
        delete=can_write,
        restore=can_write,
        name=_quote(cipher.name),
        notes=_text(cipher.notes),
        key=_text(cipher.key),
        reprompt=cipher.reprompt,
        created=bitwarden_date(cipher.created_at),
        revised=bitwarden_date(cipher.updated_at),
        deleted=_date(cipher.deleted_at),
        archived=_date(prefs.archived_at),
        collection_ids=",".join(sorted(f'"{cid}"' for cid in access.collection_ids)),
        type_part=_TYPE_PARTS[cipher.type].format(data=cipher.data_json),
        fields=_json_list(cipher.fields_json),
        password_history=_json_list(cipher.password_history_json),
    )


def json_array(items: Iterable[str]) -> str:
    return f"[{','.join(items)}]"


def cipher_list(views: Iterable[CipherView]) -> str:
    return f'{{"data":{json_array(cipher_details(view) for view in views)},"object":"list","continuationToken":null}}'


def optional_cipher_details(view: CipherView | None) -> str:
    cipher = cipher_details(view) if view is not None else "null"
    return f'{{"object":"optionalCipherDetails","unavailable":{_BOOL[view is None]},"cipher":{cipher}}}'


def sync_part(folders: Iterable[Folder], views: Iterable[CipherView]) -> str:
    """The vault's part of `/api/sync`, which the gateway merges with the other services' parts."""
    folders_json = json_array(FolderResponse.of(folder).model_dump_json() for folder in folders)
    return f'{{"folders":{folders_json},"ciphers":{json_array(cipher_details(view) for view in views)}}}'


def sync_document(document: SyncDocument) -> str:
    """A cipherDetails object from the members PostgreSQL wrote and the access the caller has (`cipher_details`'s
    values, in another key order)."""
    access = document.access
    can_write = _BOOL[access.can_write]
    collection_ids = ",".join(sorted(f'"{cid}"' for cid in access.collection_ids))
    return (
        f'{{"object":"cipherDetails","edit":{_BOOL[access.edit]},"viewPassword":{_BOOL[access.view_password]},'
        f'"permissions":{{"delete":{can_write},"restore":{can_write}}},"collectionIds":[{collection_ids}],'
        f"{document.members}"
    )


def sync_part_of_documents(folders: Iterable[Folder], documents: Iterable[SyncDocument]) -> str:
    folders_json = json_array(FolderResponse.of(folder).model_dump_json() for folder in folders)
    return f'{{"folders":{folders_json},"ciphers":{json_array(sync_document(document) for document in documents)}}}'


def json_response(text: str) -> Response:
    return Response(text.encode(), media_type="application/json")


def empty_response() -> Response:
    """200 with no body, where Bitwarden and Vaultwarden answer so (the clients accept it)."""
    return Response(status_code=200)
