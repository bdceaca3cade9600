"""Field, list and item caps over HTTP (issue 11 #4): each refusal is a 400 JSON body naming the field, and one
admin's huge item cannot inflate the sync of every member who sees it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.limits import MAX_ITEM_CHARACTERS
from tests.integration.vault.test_vault_org_access import contoso
from tests.integration.vault.vault_harness import VaultService, login_cipher

pytestmark = pytest.mark.integration


def longer_than(limit: int) -> str:
    blocks = 1
    while len(value := enc_string(blocks)) <= limit:
        blocks *= 2
    return value


async def test_an_admin_cannot_inflate_a_members_sync_with_one_huge_item(vault: VaultService) -> None:
    organization_id, bob, carol, _, servers = await contoso(vault)
    await vault.create_in(bob, organization_id, [servers])
    baseline = len((await vault.http.get("/internal/sync", headers=carol.headers)).content)

    many_fields = [{"name": enc_string(), "value": enc_string(200), "type": 1} for _ in range(100)]
    attempts: dict[str, dict[str, Any]] = {
        "notes": {"notes": longer_than(10_000)},
        "login.password": {"login": {"username": enc_string(), "password": longer_than(5_000), "uris": []}},
        "login.junk": {"login": {"junk": "x" * 1_000_000}},  # an unknown key does not slip past
        "fields": {"fields": [{"name": enc_string(), "value": enc_string(), "type": 0}] * 101},
        "cipher": {"fields": many_fields},  # every field within its limit, the item as a whole not
    }
    for field, overrides in attempts.items():
        body = {
            "cipher": login_cipher(organizationId=str(organization_id), **overrides),
            "collectionIds": [str(servers)],
        }
        response = await vault.http.post("/api/ciphers/create", json=body, headers=bob.headers)
        assert response.status_code == 400, (field, response.text[:300])
        assert response.headers["content-type"].startswith("application/json")
        assert field in response.json()["validationErrors"], (field, response.json()["message"])

    after = len((await vault.http.get("/internal/sync", headers=carol.headers)).content)
    assert after == baseline  # nothing was stored
    # The biggest item that can be stored at all is bounded: what one more item can add to her sync.
    largest = [{"name": enc_string(), "value": enc_string(40), "type": 1} for _ in range(100)]
    kept = await vault.http.post(
        "/api/ciphers/create",
        json={
            "cipher": login_cipher(organizationId=str(organization_id), fields=largest),
            "collectionIds": [str(servers)],
        },
        headers=bob.headers,
    )
    assert kept.status_code == 200, kept.text[:300]
    grown = len((await vault.http.get("/internal/sync", headers=carol.headers)).content) - after
    assert 0 < grown <= MAX_ITEM_CHARACTERS + 2_000  # the item, plus its ids, dates and permissions


async def test_id_lists_are_capped_at_500(vault: VaultService) -> None:
    bob = await vault.user("bob")
    ids = [str(uuid.uuid4()) for _ in range(501)]
    for method, path, body, field in (
        ("POST", "/api/ciphers/delete", {"ids": ids}, "ids"),
        ("PUT", "/api/ciphers/move", {"ids": ids, "folderId": None}, "ids"),
    ):
        response = await vault.http.request(method, path, json=body, headers=bob.headers)
        assert response.status_code == 400, (path, response.text[:300])
        assert field in response.json()["validationErrors"], response.json()


async def test_a_nul_character_in_an_item_is_a_400_not_a_500(vault: VaultService) -> None:
    """A `\\u0000` in a string PostgreSQL keeps as jsonb (a key a newer client adds) is refused by the database
    (22P05); every service answers that 400 with the shared JSON body (issue 11)."""
    user = await vault.user()
    for overrides in (
        {"login": {"username": enc_string(), "futureKey": "a\x00b"}},
        {"fields": [{"type": 0, "name": enc_string(), "value": enc_string(), "linkedId": None, "extra": "\x00"}]},
    ):
        response = await vault.http.post("/api/ciphers", json=login_cipher(**overrides), headers=user.headers)
        assert response.status_code == 400, response.text[:300]
        assert response.json()["object"] == "error"
    assert (await vault.sync(user))["ciphers"] == []
