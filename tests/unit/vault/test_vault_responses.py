"""Response bodies: the pre-serialized item template keeps the documented shape, key for key, and the pydantic
models write Bitwarden's field names and dates."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from mspvault.shared.http.responses import ListResponse
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.access import CipherAccess
from mspvault.vault.domain.cipher import Cipher, CipherView, Prefs
from mspvault.vault.domain.folder import Folder
from mspvault.vault.entrypoints.http.responses import (
    CipherDetailsResponse,
    FolderResponse,
    OptionalCipherDetailsResponse,
    cipher_details,
    cipher_list,
    optional_cipher_details,
    sync_part,
)
from tests.unit.vault.fakes import NOW


def stored_cipher(**changes: object) -> Cipher:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "type": 3,
        "user_id": None,
        "organization_id": uuid.uuid4(),
        "name": enc_string(),
        "notes": 'quote " and \\ and é',
        "key": None,
        "reprompt": 1,
        "data_json": '{"number": "2.x|y|z", "brand": null}',
        "fields_json": None,
        "password_history_json": '[{"password": "2.a|b|c", "lastUsedDate": "0001-01-01T00:00:00.000000Z"}]',
        "created_at": NOW,
        "updated_at": NOW + timedelta(seconds=1),
        "deleted_at": None,
        "collection_ids": [uuid.uuid4(), uuid.uuid4()],
    }
    return Cipher(**{**values, **changes})  # type: ignore[arg-type]


def view_of(cipher: Cipher) -> CipherView:
    access = CipherAccess(edit=False, view_password=True, manage=False, collection_ids=tuple(cipher.collection_ids))
    return CipherView(cipher, access, Prefs(folder_id=uuid.uuid4(), favorite=True, archived_at=NOW))


def test_the_item_template_writes_the_documented_shape_in_its_order() -> None:
    view = view_of(stored_cipher())
    text = cipher_details(view)
    body = json.loads(text)
    model_keys = [field.alias or name for name, field in CipherDetailsResponse.model_fields.items()]
    assert list(body) == model_keys
    CipherDetailsResponse.model_validate(body)
    assert body["card"] == {"number": "2.x|y|z", "brand": None}
    assert body["login"] is None
    assert body["notes"] == 'quote " and \\ and é'
    assert text.isascii()  # every string through the ASCII JSON encoder
    assert (body["edit"], body["viewPassword"], body["permissions"]) == (
        False,
        True,
        {"delete": False, "restore": False},
    )
    assert body["collectionIds"] == sorted(str(cid) for cid in view.cipher.collection_ids)
    assert (body["creationDate"], body["revisionDate"]) == (
        "2026-11-29T03:52:26.109464Z",
        "2026-11-29T03:52:27.109464Z",
    )
    assert (body["deletedDate"], body["archivedDate"]) == (None, "2026-11-29T03:52:26.109464Z")
    assert (body["fields"], body["passwordHistory"][0]["lastUsedDate"]) == ([], "0001-01-01T00:00:00.000000Z")


def test_lists_and_the_optional_wrapper_are_the_documented_shapes() -> None:
    views = [view_of(stored_cipher()), view_of(stored_cipher(type=2, data_json='{"type": 0}'))]
    listing = json.loads(cipher_list(views))
    ListResponse[CipherDetailsResponse].model_validate(listing)
    assert (listing["object"], listing["continuationToken"], len(listing["data"])) == ("list", None, 2)
    assert json.loads(optional_cipher_details(None)) == {
        "object": "optionalCipherDetails",
        "unavailable": True,
        "cipher": None,
    }
    OptionalCipherDetailsResponse.model_validate(json.loads(optional_cipher_details(views[0])))


def test_folders_and_the_sync_part() -> None:
    folder = Folder(uuid.uuid4(), uuid.uuid4(), enc_string(), NOW.replace(microsecond=0))
    assert FolderResponse.of(folder).model_dump_json() == (
        f'{{"id":"{folder.id}","revisionDate":"2026-11-29T03:52:26.000000Z","name":"{folder.name}","object":"folder"}}'
    )
    part = json.loads(sync_part([folder], [view_of(stored_cipher())]))
    assert list(part) == ["folders", "ciphers"]
    assert part["folders"][0]["object"] == "folder"
