"""Response bodies in Bitwarden's shapes (bw-cli-api.md §3.4, §3.7): cipherDetails, folder, list.

Bodies are written as JSON text rather than handed to FastAPI's per-field encoder: a sync can carry 15,000 items.
The opaque parts of an item (type data, fields, password history) go out as the database's JSON text, never
decoded; every other string goes through the JSON string encoder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii as _quote  # the C encoder, a JSON string literal with its quotes
from typing import Any

from fastapi import Response

from mspvault.vault.adapters.repository import StoredFolder
from mspvault.vault.domain.cipher import TYPE_FIELDS, CipherType, format_date
from mspvault.vault.service_layer.views import CipherView

_dumps = json.JSONEncoder(separators=(",", ":")).encode
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
    return "null" if value is None else f'"{format_date(value)}"'


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
        created=format_date(cipher.created_at),
        revised=format_date(cipher.updated_at),
        deleted=_date(cipher.deleted_at),
        archived=_date(prefs.archived_at),
        collection_ids=",".join(sorted(f'"{cid}"' for cid in access.collection_ids)),
        type_part=_TYPE_PARTS[cipher.type].format(data=cipher.data_json),
        fields=_json_list(cipher.fields_json),
        password_history=_json_list(cipher.password_history_json),
    )


def folder(stored: StoredFolder) -> str:
    return _dumps(
        {"id": str(stored.id), "revisionDate": format_date(stored.updated_at), "name": stored.name, "object": "folder"}
    )


def json_array(items: Iterable[str]) -> str:
    return f"[{','.join(items)}]"


def listing(items: Iterable[str]) -> str:
    return f'{{"data":{json_array(items)},"object":"list","continuationToken":null}}'


def json_value(value: Any) -> str:
    return _dumps(value)


def json_response(text: str) -> Response:
    return Response(text.encode(), media_type="application/json")


def empty_response() -> Response:
    """200 with no body, where Bitwarden and Vaultwarden answer so (the clients accept it)."""
    return Response(status_code=200)
