"""Sync at scale: a member with 2,000 items in 20 collections, a provider user in 1,000 client organizations,
and a 15,000-item vault: every item reaches the caller. Items are bulk-inserted; access comes through real events.
The times are printed, not asserted (a shared CI machine makes wall-clock asserts flaky); `make bench` holds the
sync budgets (bench/sync.py)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert

from mspvault.shared.testing.samples import enc_string
from mspvault.vault.adapters.orm import ciphers, collection_ciphers, organizations, provider_clients
from tests.integration.vault.vault_harness import USER, User, VaultService

pytestmark = pytest.mark.integration


def login_row(*, user_id: uuid.UUID | None = None, organization_id: uuid.UUID | None = None) -> dict[str, Any]:
    now = datetime.now(UTC)
    uri = enc_string()
    return {
        "id": uuid.uuid4(),
        "type": 1,
        "user_id": user_id,
        "organization_id": organization_id,
        "name": enc_string(),
        "notes": enc_string(4),
        "key": None,
        "reprompt": 0,
        "data": {
            "username": enc_string(),
            "password": enc_string(),
            "totp": None,
            "uris": [{"uri": uri, "uriChecksum": enc_string(3), "match": None}],
            "uri": uri,
        },
        "fields": [{"type": 0, "name": enc_string(), "value": enc_string(), "linkedId": None}],
        "password_history": [],
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }


async def bulk_insert(vault: VaultService, rows: list[dict[str, Any]], links: Sequence[dict[str, Any]] = ()) -> None:
    async with vault.runtime.session_factory() as session:
        for start in range(0, len(rows), 2000):
            await session.execute(insert(ciphers), rows[start : start + 2000])
        for start in range(0, len(links), 5000):
            await session.execute(insert(collection_ciphers), list(links[start : start + 5000]))
        await session.commit()


async def client_orgs(vault: VaultService, provider_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    """The provider's client organizations, written straight into the read models."""
    organization_ids = [uuid.uuid4() for _ in range(count)]
    now = datetime.now(UTC)
    async with vault.runtime.session_factory() as session:
        await session.execute(
            insert(organizations), [{"id": o, "name": "client", "enabled": True} for o in organization_ids]
        )
        await session.execute(
            insert(provider_clients),
            [
                {"organization_id": o, "provider_id": provider_id, "linked": True, "as_of": now}
                for o in organization_ids
            ],
        )
        await session.commit()
    return organization_ids


async def timed_sync(vault: VaultService, user: User) -> tuple[float, dict[str, Any]]:
    """Seconds until the whole response is in (the client's own JSON parsing is not the server's time)."""
    started = time.perf_counter()
    response = await vault.http.get("/internal/sync", headers=user.headers)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return seconds, body


async def test_member_with_2000_items_in_20_collections(vault: VaultService) -> None:
    carol = await vault.user("carol")
    organization_id = await vault.organization()
    await vault.member(organization_id, carol, USER)
    collections = [await vault.collection(organization_id, {carol: {"read_only": i % 2 == 0}}) for i in range(20)]
    hidden = await vault.collection(organization_id, {})
    rows = [login_row(organization_id=organization_id) for _ in range(2100)]
    links = [{"cipher_id": row["id"], "collection_id": collections[i % 20]} for i, row in enumerate(rows[:2000])]
    links += [{"cipher_id": row["id"], "collection_id": hidden} for row in rows[2000:]]
    await bulk_insert(vault, rows, links)
    await bulk_insert(vault, [login_row(user_id=carol.id) for _ in range(100)])

    seconds, body = await timed_sync(vault, carol)
    org_items = [c for c in body["ciphers"] if c["organizationId"]]
    assert len(org_items) == 2000
    assert len(body["ciphers"]) == 2100
    assert {c["collectionIds"][0] for c in org_items} == {str(c) for c in collections}
    assert sum(1 for c in org_items if not c["edit"]) == 1000
    print(f"\nmember with 2,000 org items + 100 personal: /internal/sync in {seconds * 1000:.0f} ms")


async def test_provider_user_in_1000_client_orgs(vault: VaultService) -> None:
    acme = uuid.uuid4()
    bob = await vault.user("bob")
    await vault.provider_user(acme, bob)
    organization_ids = await client_orgs(vault, acme, 1000)
    rows = [login_row(organization_id=o) for o in organization_ids for _ in range(3)]
    await bulk_insert(vault, rows)

    seconds, body = await timed_sync(vault, bob)
    assert len(body["ciphers"]) == 3000
    assert {c["organizationId"] for c in body["ciphers"]} == {str(o) for o in organization_ids}
    print(f"\nprovider user in 1,000 client orgs (3,000 items): /internal/sync in {seconds * 1000:.0f} ms")


async def test_15000_item_vault_syncs_every_item(vault: VaultService) -> None:
    dana = await vault.user("dana")
    organization_id = await vault.organization()
    await vault.member(organization_id, dana, USER)
    collections = [await vault.collection(organization_id, {dana: {}}) for _ in range(10)]
    org_rows = [login_row(organization_id=organization_id) for _ in range(10_000)]
    links = [{"cipher_id": row["id"], "collection_id": collections[i % 10]} for i, row in enumerate(org_rows)]
    await bulk_insert(vault, org_rows + [login_row(user_id=dana.id) for _ in range(5_000)], links)

    await timed_sync(vault, dana)  # warm the connection pool and statement cache
    seconds, body = await timed_sync(vault, dana)
    assert len(body["ciphers"]) == 15_000
    print(f"\n15,000-item vault: /internal/sync in {seconds * 1000:.0f} ms")
