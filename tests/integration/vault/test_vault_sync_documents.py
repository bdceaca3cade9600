"""`/internal/sync` writes each item from members PostgreSQL renders (issue 12 #2); every other read renders it in
Python (`responses.cipher_details`). Both must say the same thing: the sync's items equal `GET /api/ciphers`'s, item
for item, for personal items (favorite, folder, trashed, a note without fields) and organization items seen through
read-only, hidden-password and manage grants."""

from __future__ import annotations

import uuid
from typing import Any

from mspvault.shared.testing.samples import enc_string
from tests.integration.vault.vault_harness import OWNER, User, VaultService


async def _listed(vault: VaultService, user: User) -> list[dict[str, Any]]:
    response = await vault.http.get("/api/ciphers", headers=user.headers)
    assert response.status_code == 200, response.text
    ciphers: list[dict[str, Any]] = response.json()["data"]
    return ciphers


async def _same_items(vault: VaultService, user: User) -> list[dict[str, Any]]:
    synced: list[dict[str, Any]] = (await vault.sync(user))["ciphers"]
    listed = await _listed(vault, user)
    assert [c["id"] for c in synced] == [c["id"] for c in listed]
    for mine, theirs in zip(synced, listed, strict=True):
        assert mine == theirs
    return synced


async def test_personal_items_sync_as_the_api_renders_them(vault: VaultService) -> None:
    alice = await vault.user("alice")
    folder = (await vault.http.post("/api/folders", json={"name": enc_string()}, headers=alice.headers)).json()
    await vault.create(alice, favorite=True, folderId=folder["id"])
    await vault.create(alice, type=2, login=None, secureNote={"type": 0}, notes=None, fields=None)
    trashed = await vault.create(alice)
    response = await vault.http.put(f"/api/ciphers/{trashed['id']}/delete", headers=alice.headers)
    assert response.status_code == 200, response.text

    synced = await _same_items(vault, alice)
    assert len(synced) == 3
    assert {c["folderId"] for c in synced} == {folder["id"], None}
    assert sum(c["favorite"] for c in synced) == 1
    assert sum(c["deletedDate"] is not None for c in synced) == 1
    assert any(c["secureNote"] == {"type": 0} and c["fields"] == [] and c["notes"] is None for c in synced)


async def test_organization_items_sync_with_each_grants_access(vault: VaultService) -> None:
    owner, carol = await vault.user("owner"), await vault.user("carol")
    organization_id = await vault.organization()
    await vault.member(organization_id, owner, OWNER)
    await vault.member(organization_id, carol)
    read_only = await vault.collection(organization_id, {carol: {"read_only": True, "hide_passwords": True}})
    managed = await vault.collection(organization_id, {carol: {"manage": True}})
    elsewhere = await vault.collection(organization_id, {})
    await vault.create_in(owner, organization_id, [read_only])
    await vault.create_in(owner, organization_id, [managed])
    await vault.create_in(owner, organization_id, [read_only, managed, elsewhere])
    hidden = await vault.create_in(owner, organization_id, [elsewhere])

    synced = await _same_items(vault, carol)
    assert len(synced) == 3
    assert hidden["id"] not in {c["id"] for c in synced}
    assert {(c["edit"], c["viewPassword"]) for c in synced} == {(False, False), (True, True)}
    assert all(str(elsewhere) not in c["collectionIds"] for c in synced)
    assert len(await _same_items(vault, owner)) == 4
    assert uuid.UUID(synced[0]["organizationId"]) == organization_id
