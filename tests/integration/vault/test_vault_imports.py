"""Imports on the real database: personal and organization imports land whole (COPY), show in sync with folders and
collections, record one event; a bad entry is a 400 naming it and writes nothing; the organization-wide views
answer only who administers the organization's vault."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text

from mspvault.shared.testing.samples import enc_string
from tests.integration.vault.vault_harness import ADMIN, CUSTOM, OWNER, USER, VaultService, login_cipher

pytestmark = pytest.mark.integration


def _items(count: int) -> list[dict[str, Any]]:
    kinds: list[dict[str, Any]] = [
        login_cipher(),
        {"type": 2, "name": enc_string(), "secureNote": {"type": 0}},
        {"type": 3, "name": enc_string(), "card": {"number": enc_string()}},
        {"type": 4, "name": enc_string(), "identity": {"firstName": enc_string()}},
        {"type": 5, "name": enc_string(), "sshKey": {"privateKey": enc_string(), "publicKey": enc_string()}},
    ]
    return [{**kinds[i % 5], "name": enc_string()} for i in range(count)]


async def _outbox_imports(vault: VaultService, owner: uuid.UUID) -> int:
    async with vault.runtime.session_factory() as session:
        return int(
            await session.scalar(
                text("SELECT count(*) FROM outbox WHERE event_type = 'CiphersImported' AND key = :key"),
                {"key": str(owner)},
            )
            or 0
        )


async def test_personal_import_with_folders_shows_in_sync(vault: VaultService) -> None:
    carol = await vault.user("carol")
    body = {
        "ciphers": _items(50),
        "folders": [{"name": enc_string()}, {"name": enc_string()}],
        "folderRelationships": [{"key": i, "value": i % 2} for i in range(0, 50, 5)],
    }
    response = await vault.http.post("/api/ciphers/import", json=body, headers=carol.headers)
    assert response.status_code == 200, response.text

    synced = await vault.sync(carol)
    assert len(synced["ciphers"]) == 50
    assert len(synced["folders"]) == 2
    assert sorted({c["type"] for c in synced["ciphers"]}) == [1, 2, 3, 4, 5]
    assert sum(1 for c in synced["ciphers"] if c["folderId"] is not None) == 10
    assert {c["name"] for c in synced["ciphers"]} == {c["name"] for c in body["ciphers"]}
    assert await _outbox_imports(vault, carol.id) == 1


async def test_a_bad_entry_is_named_and_nothing_is_imported(vault: VaultService) -> None:
    carol = await vault.user("carol")
    items = _items(10)
    items[7]["name"] = "not encrypted"
    response = await vault.http.post("/api/ciphers/import", json={"ciphers": items}, headers=carol.headers)
    assert response.status_code == 400
    assert list(response.json()["validationErrors"]) == ["Ciphers[7].name"]
    assert response.json()["message"].startswith("Ciphers[7].name")
    assert (await vault.sync(carol))["ciphers"] == []

    too_many = {"ciphers": [login_cipher()] * 7_001}
    response = await vault.http.post("/api/ciphers/import", json=too_many, headers=carol.headers)
    assert response.status_code == 400
    assert "at most 7,000 items" in response.json()["message"]


async def test_organization_import_into_collections(vault: VaultService) -> None:
    bob, carol, dave = await vault.user("bob"), await vault.user("carol"), await vault.user("dave")
    organization_id = await vault.organization()
    await vault.member(organization_id, bob, OWNER)
    await vault.member(organization_id, carol, USER)
    servers = await vault.collection(organization_id, {carol: {}})
    created = uuid.uuid4()  # as if the organization service had just created it for this import
    body = {
        "ciphers": _items(100),
        "collections": [{"id": str(servers)}, {"id": str(created), "name": enc_string()}],
        "collectionRelationships": [{"key": i, "value": i % 2} for i in range(100)],
    }
    url = f"/internal/ciphers/import-organization?organizationId={organization_id}"
    carol_before = await vault.revision(carol)

    refused = await vault.http.post(url, json=body, headers=dave.headers)
    assert refused.status_code == 404  # not a member
    refused = await vault.http.post(url, json=body, headers=carol.headers)
    assert refused.status_code == 404  # a plain member cannot import into a collection she has no write on

    checked = await vault.http.post(url + "&check=true", json=body, headers=bob.headers)
    assert checked.status_code == 200
    assert checked.json()["cipherCount"] == 100
    assert (await vault.sync(bob))["ciphers"] == []

    response = await vault.http.post(url, json=body, headers=bob.headers)
    assert response.status_code == 200, response.text
    assert len((await vault.sync(bob))["ciphers"]) == 100
    assert len((await vault.sync(carol))["ciphers"]) == 50  # only those in "Servers"
    assert await vault.revision(carol) > carol_before
    assert await _outbox_imports(vault, organization_id) == 1

    details = await vault.http.get(
        f"/api/ciphers/organization-details?organizationId={organization_id}", headers=bob.headers
    )
    assert details.status_code == 200
    listed = details.json()["data"]
    assert len(listed) == 100
    assert all(c["deletedDate"] is None for c in listed)
    assert {cid for c in listed for cid in c["collectionIds"]} == {str(servers), str(created)}
    admin = await vault.http.get(f"/api/ciphers/admin?organizationId={organization_id}", headers=bob.headers)
    assert len(admin.json()["data"]) == 100
    one = await vault.http.get(f"/api/ciphers/{listed[0]['id']}/admin", headers=bob.headers)
    assert one.status_code == 200
    assert one.json()["id"] == listed[0]["id"]
    for outsider in (carol, dave):
        denied = await vault.http.get(
            f"/api/ciphers/organization-details?organizationId={organization_id}", headers=outsider.headers
        )
        assert denied.status_code == 404
        denied = await vault.http.get(f"/api/ciphers/{listed[0]['id']}/admin", headers=outsider.headers)
        assert denied.status_code == 404
    assigned = await vault.http.get(
        f"/api/ciphers/organization-details/assigned?organizationId={organization_id}", headers=carol.headers
    )
    assert len(assigned.json()["data"]) == 50
    # Someone of another tenant is not told the organization exists (an empty list would say "you may ask").
    stranger = await vault.http.get(
        f"/api/ciphers/organization-details/assigned?organizationId={organization_id}", headers=dave.headers
    )
    assert stranger.status_code == 404, stranger.text


async def test_custom_member_with_import_permission_and_provider_users(vault: VaultService) -> None:
    erin, frank = await vault.user("erin"), await vault.user("frank")
    provider_id = uuid.uuid4()
    organization_id = await vault.client_org(provider_id)
    await vault.member(organization_id, erin, CUSTOM, permissions={"accessImportExport": True})
    await vault.provider_user(provider_id, frank)
    url = f"/internal/ciphers/import-organization?organizationId={organization_id}"
    for user in (erin, frank):
        response = await vault.http.post(url, json={"ciphers": _items(3)}, headers=user.headers)
        assert response.status_code == 200, response.text
        details = await vault.http.get(
            f"/api/ciphers/organization-details?organizationId={organization_id}", headers=user.headers
        )
        assert details.status_code == 200
    assert len(details.json()["data"]) == 6
    george = await vault.user("george")
    await vault.member(organization_id, george, ADMIN)
    response = await vault.http.post(url, json={"ciphers": _items(1)}, headers=george.headers)
    assert response.status_code == 200
