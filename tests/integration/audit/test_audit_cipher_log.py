"""`/api/ciphers/{id}/events`: an item's log, recorded from the vault's own events through the real broker, with the
acting provider, device and address; readable by those who may read the organization's logs (or, for a personal
item, its owner) and 404 for everyone else, including members who can see the item."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mspvault.shared.contracts import provider as prv
from mspvault.shared.testing.wait import wait_until
from tests.integration.audit.audit_helpers import GATEWAY_HEADERS, types
from tests.integration.vault.vault_harness import ADMIN, CUSTOM, OWNER, USER, VaultService, login_cipher
from tests.integration.vault.vault_harness import User as VaultUser

pytestmark = pytest.mark.integration


async def logged(vault: VaultService, cipher_id: str, who: VaultUser, count: int) -> list[dict[str, Any]]:
    async def enough() -> list[dict[str, Any]] | None:
        response = await vault.http.get(f"/api/ciphers/{cipher_id}/events", headers=who.headers)
        assert response.status_code == 200, response.text
        entries: list[dict[str, Any]] = response.json()["data"]
        return entries if len(entries) >= count else None

    # Annotated: the Any in dict[str, Any] makes wait_until's overloads both match, and mypy then infers Any.
    found: list[dict[str, Any]] | None = await wait_until(
        enough, timeout=30, message=f"{count} events of item {cipher_id}"
    )
    assert found is not None
    return found


async def test_an_items_log_shows_who_did_what_for_whom_and_only_to_log_readers(vault_live: VaultService) -> None:
    vault = vault_live
    acme = uuid.uuid4()
    bob, carol, olivia, rita, cleo, max_ = [
        await vault.user(name) for name in ("bob", "carol", "olivia", "rita", "cleo", "max")
    ]
    bob_row = await vault.provider_user(acme, bob)
    org_id = await vault.client_org(acme)
    await vault.member(org_id, carol, USER)
    await vault.member(org_id, olivia, OWNER)
    await vault.member(org_id, rita, ADMIN)
    await vault.member(org_id, cleo, CUSTOM, permissions={"accessEventLogs": True})
    await vault.member(org_id, max_, CUSTOM, permissions={"editAnyCollection": True})
    servers = await vault.collection(org_id, {carol: {}})

    bob_via_gateway = VaultUser(bob.id, bob.email, {**bob.headers, **GATEWAY_HEADERS})
    item = await vault.create_in(bob_via_gateway, org_id, [servers])
    edit = login_cipher(organizationId=str(org_id), lastKnownRevisionDate=item["revisionDate"])
    assert (await vault.http.put(f"/api/ciphers/{item['id']}", json=edit, headers=carol.headers)).status_code == 200
    assert (await vault.http.put(f"/api/ciphers/{item['id']}/delete", headers=bob.headers)).status_code == 200
    assert (await vault.http.put(f"/api/ciphers/{item['id']}/restore", headers=bob.headers)).status_code == 200

    entries = await logged(vault, item["id"], bob, 4)
    assert types(entries) == [1116, 1115, 1101, 1100]  # newest first
    assert all(e["cipherId"] == item["id"] and e["organizationId"] == str(org_id) for e in entries)
    by = {e["type"]: e for e in entries}
    assert (by[1100]["actingUserId"], by[1100]["providerId"]) == (str(bob.id), str(acme))
    assert (by[1100]["deviceType"], by[1100]["ipAddress"]) == (9, "203.0.113.7")
    assert (by[1101]["actingUserId"], by[1101]["providerId"], by[1101]["ipAddress"]) == (str(carol.id), None, None)
    assert by[1115]["providerId"] == str(acme)

    path = f"/api/ciphers/{item['id']}/events"
    for who in (olivia, rita, cleo):
        assert (await vault.http.get(path, headers=who.headers)).status_code == 200, who.email
    # Carol and Max see the item, yet may not read logs; Dave serves another provider; Eve is nobody here.
    dave, eve = await vault.user("dave"), await vault.user("eve")
    await vault.provider_user(uuid.uuid4(), dave)
    for who in (carol, max_, dave, eve):
        response = await vault.http.get(path, headers=who.headers)
        assert (response.status_code, response.json()["object"]) == (404, "error"), who.email
    assert (await vault.http.get(f"/api/ciphers/{uuid.uuid4()}/events", headers=olivia.headers)).status_code == 404
    assert (await vault.http.get(path)).status_code == 401

    # Revoked, Bob no longer reads the log of the item he created.
    await vault.apply(
        prv.ProviderUserRevokedV1(provider_id=acme, provider_user_id=bob_row, user_id=bob.id, email=bob.email, type=1)
    )
    assert (await vault.http.get(path, headers=bob.headers)).status_code == 404

    # A personal item's log is its owner's alone.
    mine = await vault.create(carol)
    own = await logged(vault, mine["id"], carol, 1)
    assert (types(own), own[0]["organizationId"], own[0]["userId"]) == ([1100], None, str(carol.id))
    for who in (rita, olivia):
        assert (await vault.http.get(f"/api/ciphers/{mine['id']}/events", headers=who.headers)).status_code == 404
