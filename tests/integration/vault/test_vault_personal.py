"""Personal items and folders through the HTTP API: shapes, stale writes, trash, validation, authentication."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mspvault.shared.testing.samples import enc_string
from tests.integration.vault.vault_harness import VaultService, login_cipher

pytestmark = pytest.mark.integration

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

CIPHER_DETAILS_KEYS = {
    "object", "id", "type", "organizationId", "folderId", "favorite", "edit", "viewPassword", "permissions", "name",
    "notes", "key", "reprompt", "creationDate", "revisionDate", "deletedDate", "archivedDate", "collectionIds",
    "attachments", "organizationUseTotp", "fields", "passwordHistory", "login", "secureNote", "card", "identity",
    "sshKey",
}  # fmt: skip


async def test_personal_item_round_trip_in_bitwarden_shape(vault: VaultService) -> None:
    alice = await vault.user("alice")
    folder = (await vault.http.post("/api/folders", json={"name": enc_string()}, headers=alice.headers)).json()
    assert set(folder) == {"id", "revisionDate", "name", "object"}
    assert folder["object"] == "folder"
    assert ISO_Z.match(folder["revisionDate"])

    sent = login_cipher(folderId=folder["id"], favorite=True, encryptedFor=str(alice.id))
    created = await vault.create(alice, **{k: v for k, v in sent.items() if k != "type"})
    assert set(created) == CIPHER_DETAILS_KEYS
    assert created["object"] == "cipherDetails"
    assert created["type"] == 1
    assert created["organizationId"] is None
    assert created["folderId"] == folder["id"]
    assert created["favorite"] is True
    assert (created["edit"], created["viewPassword"]) == (True, True)
    assert created["permissions"] == {"delete": True, "restore": True}
    assert created["collectionIds"] == []
    assert created["attachments"] is None
    assert created["organizationUseTotp"] is True
    assert created["name"] == sent["name"]
    assert created["notes"] == sent["notes"]
    assert ISO_Z.match(created["creationDate"])
    assert ISO_Z.match(created["revisionDate"])
    assert created["deletedDate"] is None
    assert created["archivedDate"] is None
    # Stored opaque, minus the `"response": null` noise, with the legacy top-level uri.
    login = created["login"]
    assert "response" not in login
    assert all("response" not in uri for uri in login["uris"])
    assert login["uri"] == sent["login"]["uris"][0]["uri"]
    assert login["password"] == sent["login"]["password"]
    assert created["secureNote"] is None
    assert created["card"] is None
    assert created["fields"] == sent["fields"]

    fetched = await vault.http.get(f"/api/ciphers/{created['id']}", headers=alice.headers)
    assert fetched.status_code == 200
    assert fetched.json() == created
    details = await vault.http.get(f"/api/ciphers/{created['id']}/details", headers=alice.headers)
    assert details.json() == created
    listed = (await vault.http.get("/api/ciphers", headers=alice.headers)).json()
    assert listed["object"] == "list"
    assert listed["continuationToken"] is None
    assert [c["id"] for c in listed["data"]] == [created["id"]]

    sync = await vault.sync(alice)
    assert sync["folders"] == [folder]
    assert sync["ciphers"] == [created]


@pytest.mark.parametrize(
    ("kind", "wire", "data"),
    [
        (2, "secureNote", {"type": 0}),
        (3, "card", {"cardholderName": enc_string(), "number": enc_string(), "code": enc_string(), "brand": None}),
        (4, "identity", {"firstName": enc_string(), "email": enc_string()}),
        (5, "sshKey", {"privateKey": enc_string(), "publicKey": enc_string(), "keyFingerprint": enc_string()}),
    ],
)
async def test_every_item_type_is_stored_and_echoed(
    vault: VaultService, kind: int, wire: str, data: dict[str, Any]
) -> None:
    bob = await vault.user()
    body = login_cipher(type=kind, login=None, **{wire: data})
    response = await vault.http.post("/api/ciphers", json=body, headers=bob.headers)
    assert response.status_code == 200, response.text
    assert response.json()[wire] == data
    assert response.json()["login"] is None


async def test_edit_and_stale_copy(vault: VaultService) -> None:
    alice = await vault.user()
    created = await vault.create(alice)
    before = await vault.revision(alice)
    new_name = enc_string()
    edit = login_cipher(name=new_name, lastKnownRevisionDate=created["revisionDate"])
    response = await vault.http.put(f"/api/ciphers/{created['id']}", json=edit, headers=alice.headers)
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["name"] == new_name
    assert edited["revisionDate"] > created["revisionDate"]
    assert edited["creationDate"] == created["creationDate"]
    assert await vault.revision(alice) > before

    # A copy more than a second older than the stored one would lose the edit above: refused as Bitwarden does.
    stale = (datetime.fromisoformat(edited["revisionDate"]) - timedelta(seconds=5)).astimezone(UTC)
    refused = await vault.http.put(
        f"/api/ciphers/{created['id']}",
        json=login_cipher(lastKnownRevisionDate=stale.strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
        headers=alice.headers,
    )
    assert refused.status_code == 400
    assert (
        refused.json()["message"] == "The client copy of this cipher is out of date. Resync the client and try again."
    )
    # POST is the same edit (Vaultwarden's alias).
    aliased = await vault.http.post(
        f"/api/ciphers/{created['id']}",
        json=login_cipher(lastKnownRevisionDate=edited["revisionDate"]),
        headers=alice.headers,
    )
    assert aliased.status_code == 200, aliased.text


async def test_folders_crud_and_items_lose_a_deleted_folder(vault: VaultService) -> None:
    alice = await vault.user()
    folder = (await vault.http.post("/api/folders", json={"name": enc_string()}, headers=alice.headers)).json()
    renamed_to = enc_string()
    renamed = await vault.http.put(f"/api/folders/{folder['id']}", json={"name": renamed_to}, headers=alice.headers)
    assert renamed.status_code == 200
    assert renamed.json()["name"] == renamed_to
    assert (await vault.http.get(f"/api/folders/{folder['id']}", headers=alice.headers)).json()["name"] == renamed_to
    listed = (await vault.http.get("/api/folders", headers=alice.headers)).json()
    assert listed["object"] == "list"
    assert [f["id"] for f in listed["data"]] == [folder["id"]]

    item = await vault.create(alice)
    moved = await vault.http.put(
        "/api/ciphers/move", json={"ids": [item["id"]], "folderId": folder["id"]}, headers=alice.headers
    )
    assert moved.status_code == 200
    assert moved.content == b""
    assert (await vault.sync(alice))["ciphers"][0]["folderId"] == folder["id"]

    deleted = await vault.http.delete(f"/api/folders/{folder['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    assert deleted.content == b""
    sync = await vault.sync(alice)
    assert sync["folders"] == []
    assert sync["ciphers"][0]["folderId"] is None
    assert (await vault.http.get(f"/api/folders/{folder['id']}", headers=alice.headers)).status_code == 404


async def test_folders_and_items_of_others_answer_404(vault: VaultService) -> None:
    alice, eve = await vault.user(), await vault.user()
    folder = (await vault.http.post("/api/folders", json={"name": enc_string()}, headers=alice.headers)).json()
    item = await vault.create(alice)
    fid, cid = folder["id"], item["id"]
    probes = [
        ("GET", f"/api/folders/{fid}", None),
        ("PUT", f"/api/folders/{fid}", {"name": enc_string()}),
        ("DELETE", f"/api/folders/{fid}", None),
        ("GET", f"/api/ciphers/{cid}", None),
        ("PUT", f"/api/ciphers/{cid}", login_cipher()),
        ("PUT", f"/api/ciphers/{cid}/delete", None),
        ("DELETE", f"/api/ciphers/{cid}", None),
        ("PUT", f"/api/ciphers/{cid}/restore", None),
        ("PUT", f"/api/ciphers/{cid}/partial", {"favorite": True}),
        ("PUT", "/api/ciphers/delete", {"ids": [cid]}),
        ("PUT", "/api/ciphers/move", {"ids": [cid], "folderId": None}),
    ]
    for method, path, body in probes:
        response = await vault.http.request(method, path, json=body, headers=eve.headers)
        assert response.status_code == 404, (method, path, response.text)
    # Eve may not file her item into Alice's folder either.
    response = await vault.http.post("/api/ciphers", json=login_cipher(folderId=fid), headers=eve.headers)
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid folder"
    assert (await vault.sync(alice))["ciphers"][0]["name"] == item["name"]


async def test_trash_restore_and_permanent_delete(vault: VaultService) -> None:
    alice = await vault.user()
    one, two, three = [await vault.create(alice) for _ in range(3)]
    trashed = await vault.http.put(f"/api/ciphers/{one['id']}/delete", headers=alice.headers)
    assert trashed.status_code == 200
    assert trashed.content == b""
    in_sync = {c["id"]: c for c in (await vault.sync(alice))["ciphers"]}
    assert ISO_Z.match(in_sync[one["id"]]["deletedDate"])  # trashed items still sync; the client sorts them out

    restored = await vault.http.put(f"/api/ciphers/{one['id']}/restore", headers=alice.headers)
    assert restored.status_code == 200
    assert restored.json()["deletedDate"] is None
    assert restored.json()["object"] == "cipherDetails"

    bulk = await vault.http.put("/api/ciphers/delete", json={"ids": [one["id"], two["id"]]}, headers=alice.headers)
    assert bulk.status_code == 200
    bulk_restored = await vault.http.put(
        "/api/ciphers/restore", json={"ids": [one["id"], two["id"]]}, headers=alice.headers
    )
    assert bulk_restored.status_code == 200
    assert bulk_restored.json()["object"] == "list"
    assert {c["id"] for c in bulk_restored.json()["data"]} == {one["id"], two["id"]}

    gone = await vault.http.delete(f"/api/ciphers/{one['id']}", headers=alice.headers)
    assert gone.status_code == 200
    assert gone.content == b""
    assert (await vault.http.get(f"/api/ciphers/{one['id']}", headers=alice.headers)).status_code == 404
    bulk_gone = await vault.http.request("DELETE", "/api/ciphers", json={"ids": [two["id"]]}, headers=alice.headers)
    assert bulk_gone.status_code == 200
    assert await vault.visible_ids(alice) == {three["id"]}


async def test_bulk_operations_are_all_or_nothing(vault: VaultService) -> None:
    alice, eve = await vault.user(), await vault.user()
    mine, hers = await vault.create(alice), await vault.create(eve)
    response = await vault.http.put(
        "/api/ciphers/delete", json={"ids": [mine["id"], hers["id"]]}, headers=alice.headers
    )
    assert response.status_code == 404
    assert (await vault.sync(alice))["ciphers"][0]["deletedDate"] is None
    assert (await vault.sync(eve))["ciphers"][0]["deletedDate"] is None


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"name": "My bank"}, "name"),
        ({"notes": "plaintext"}, "notes"),
        ({"type": 9}, "type"),
        ({"login": None}, "login"),
        ({"folderId": "not-a-uuid"}, "folderId"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(vault: VaultService, override: dict[str, Any], field: str) -> None:
    alice = await vault.user()
    response = await vault.http.post("/api/ciphers", json=login_cipher(**override), headers=alice.headers)
    assert response.status_code == 400, response.text
    assert field in (response.json()["validationErrors"] or {}), response.json()


async def test_item_encrypted_for_someone_else_is_refused(vault: VaultService) -> None:
    alice = await vault.user()
    response = await vault.http.post(
        "/api/ciphers", json=login_cipher(encryptedFor=str(uuid.uuid4())), headers=alice.headers
    )
    assert response.status_code == 400
    assert "encryptedFor" in response.json()["validationErrors"]


async def test_revision_date_moves_with_every_change(vault: VaultService) -> None:
    alice = await vault.user()
    assert await vault.revision(alice) == 0
    item = await vault.create(alice)
    after_create = await vault.revision(alice)
    assert after_create > 0
    await vault.http.put(f"/api/ciphers/{item['id']}/delete", headers=alice.headers)
    after_trash = await vault.revision(alice)
    assert after_trash >= after_create
    await vault.http.post("/api/folders", json={"name": enc_string()}, headers=alice.headers)
    assert await vault.revision(alice) >= after_trash


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/ciphers"),
        ("POST", "/api/ciphers"),
        ("GET", f"/api/ciphers/{uuid.uuid4()}"),
        ("PUT", f"/api/ciphers/{uuid.uuid4()}/share"),
        ("GET", "/api/folders"),
        ("POST", "/api/folders"),
        ("GET", "/internal/sync"),
        ("GET", "/internal/revision-date"),
    ],
)
async def test_every_route_needs_a_token(vault: VaultService, method: str, path: str) -> None:
    response = await vault.http.request(method, path, json={})
    assert response.status_code == 401
    forged = await vault.http.request(method, path, json={}, headers={"Authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401
