"""DESIGN.md §5 end to end, through the HTTPS gateway, with real client-side crypto.

The world (operator → Acme MSP → Alice → Bob → Contoso → Carol → collections and items; Dave at Globex IT) is built
by the same builder as `mspvault demo`, then each step's promise is checked from the outside: keys round-trip,
Carol sees exactly her collections, access rules hold, and revocations end access. The world is shared, so no test
changes what another relies on: each makes its own items and collections, and the revocation tests revoke people
they bring in themselves (Erin, Frank). Any order, any subset, passes.
"""

from __future__ import annotations

import contextlib
import functools
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.api import ApiError
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import (
    Connection,
    Person,
    eventually,
    invite_and_accept,
    join_provider,
    log_in,
    sign_up,
    wait_for,
)
from mspvault.client.organizations import CollectionAccess
from mspvault.client.providers import ProviderUserType
from mspvault.deploy.system import System
from tests.conftest import OPERATOR_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


@dataclass
class World:
    data: DemoWorld
    connection: Connection
    clients: dict[str, MSPVaultClient]
    mail_dir: Path
    tag: str

    def newcomer(self, name: str, domain: str) -> Person:
        """Someone only one test knows, so what that test does to them touches no other test."""
        email = f"{name.lower()}.{self.tag}.{uuid.uuid4().hex[:6]}@{domain}"
        return Person(name, email, f"{name}-password-{uuid.uuid4().hex}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.data, name)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(system: System) -> AsyncIterator[World]:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    tag = uuid.uuid4().hex[:6]
    options = DemoOptions(
        connection=connection,
        mail_dir=system.mail_dir,
        tag=tag,
        operator_email=OPERATOR_EMAIL,
        operator_password="operator-password-e2e",
    )
    built = await DemoBuilder(options).build()
    clients = {name: await log_in(connection, getattr(built, name)) for name in ("alice", "bob", "carol", "dave")}
    yield World(built, connection, clients, system.mail_dir, tag)
    for client in clients.values():
        await client.aclose()


def org_items(sync: dict[str, Any], organization_id: str) -> list[dict[str, Any]]:
    return [c for c in sync["ciphers"] if c["organizationId"] == organization_id]


async def test_only_platform_operators_may_set_up_a_provider(world: World) -> None:
    with pytest.raises(ApiError) as denied:
        await world.clients["alice"].providers.open(name="Rogue MSP", owner_email="x@rogue.example")
    assert denied.value.status == 404


async def test_bob_opens_contosos_org_key_through_the_provider_key(world: World) -> None:
    bob, carol = world.clients["bob"], world.clients["carol"]
    await bob.vault.sync()
    await carol.vault.sync()
    # Bob: provider key under his RSA key (4.), then Contoso's org key under the provider key (2.).
    # Carol: the org key under her RSA key (4.). They must be the very same 64 bytes.
    assert bob.session.org_key(world.contoso_id).to_bytes() == carol.session.org_key(world.contoso_id).to_bytes()
    profile = (await bob.vault.sync())["profile"]
    [acme] = [p for p in profile["providers"] if p["id"] == world.acme_id]
    assert acme["key"].startswith("4.")
    [link] = [o for o in profile["providerOrganizations"] if o["id"] == world.contoso_id]
    assert link["key"].startswith("2.")
    assert link["providerId"] == world.acme_id


async def test_carol_finds_the_servers_item_filtered_by_collection_and_decrypts_it(world: World) -> None:
    carol = world.clients["carol"]
    sync = await carol.vault.sync()
    servers = world.collections["Servers"]
    in_servers = [c for c in sync["ciphers"] if servers in c["collectionIds"]]
    assert {c["id"] for c in in_servers} == set(world.collection_items["Servers"])
    visible_collections = {c["id"] for c in sync["collections"]}
    assert {servers, world.collections["Helpdesk"]} <= visible_collections  # other tests may add their own
    assert world.collections["Finance"] not in visible_collections
    root = carol.vault.decrypt(next(c for c in in_servers if c["id"] == world.items["db01.contoso.example (root)"]))
    assert isinstance(root.content, Login)
    assert root.content.password == world.secrets["db01.contoso.example (root)"]
    # her personal items sit beside the organization's
    personal = {carol.vault.decrypt(c).name for c in sync["ciphers"] if c["organizationId"] is None}
    assert {"Carol's webmail", "Carol (work)"} <= personal


async def test_read_only_access_refuses_an_edit(world: World) -> None:
    carol = world.clients["carol"]
    item_id = world.items["db01.contoso.example (root)"]
    plain = await carol.vault.get_cipher(item_id)
    cipher = next(c for c in (await carol.vault.sync())["ciphers"] if c["id"] == item_id)
    assert cipher["edit"] is False
    plain.notes = "tampered"
    with pytest.raises(ApiError) as refused:
        await carol.vault.update_cipher(plain)
    assert refused.value.status in (400, 403, 404)
    assert (await world.clients["bob"].vault.get_cipher(item_id)).notes == "Primary database server"


async def test_hidden_passwords_come_back_with_view_password_false(world: World) -> None:
    bob, carol = world.clients["bob"], world.clients["carol"]
    collection = await bob.organizations.create_collection(
        world.contoso_id, "Hidden", users=[CollectionAccess(world.carol_member_id, hide_passwords=True)]
    )
    door_code = PlainCipher(
        "Door code", Login("door", "0000"), organization_id=world.contoso_id, collection_ids=[collection.id]
    )
    # The vault learns of the new collection from the organization service's event a few ms later.
    created = await eventually(functools.partial(bob.vault.create_cipher, door_code), timeout=30, retry_on={400, 404})

    async def carol_sees_it_masked() -> bool:
        item = next((c for c in (await carol.vault.sync())["ciphers"] if c["id"] == created.id), None)
        return item is not None and item["viewPassword"] is False

    await wait_for(carol_sees_it_masked, what="Carol's view of the hidden-password item", timeout=30)


async def test_moving_a_personal_item_into_the_org_takes_it_out_of_her_personal_items(world: World) -> None:
    carol = world.clients["carol"]
    mine = await carol.vault.create_cipher(PlainCipher("Printer admin", Login("admin", "printer-pass")))
    assert mine.id is not None
    await carol.vault.share_cipher(mine, world.contoso_id, [world.collections["Helpdesk"]])
    sync = await carol.vault.sync()
    moved = next(c for c in sync["ciphers"] if c["id"] == mine.id)
    assert moved["organizationId"] == world.contoso_id
    assert moved["collectionIds"] == [world.collections["Helpdesk"]]
    assert carol.vault.decrypt(moved).name == "Printer admin"  # re-encrypted under the org key


async def test_trash_and_restore(world: World) -> None:
    carol = world.clients["carol"]
    helpdesk = world.collections["Helpdesk"]  # Carol may edit there
    plain = PlainCipher("Guest Wi-Fi", Login("guest", "guest-pass"), organization_id=world.contoso_id)
    plain.collection_ids = [helpdesk]
    created = await eventually(functools.partial(carol.vault.create_cipher, plain), timeout=30, retry_on={400, 404})
    assert created.id is not None
    item_id = created.id
    await carol.vault.delete_cipher(item_id)
    trashed = next(c for c in (await carol.vault.sync())["ciphers"] if c["id"] == item_id)
    assert trashed["deletedDate"] is not None
    restored = await carol.vault.restore_cipher(item_id)
    assert restored.deleted_date is None


async def test_dave_of_another_provider_gets_404_for_every_id(world: World) -> None:
    dave = world.clients["dave"]
    paths = [
        f"/api/providers/{world.acme_id}",
        f"/api/providers/{world.acme_id}/users",
        f"/api/providers/{world.acme_id}/organizations",
        f"/api/organizations/{world.contoso_id}",
        f"/api/organizations/{world.contoso_id}/users",
        f"/api/organizations/{world.contoso_id}/users/{world.carol_member_id}",
        f"/api/organizations/{world.contoso_id}/collections",
        *(f"/api/ciphers/{item}" for item in world.items.values() if item),
    ]
    for path in paths:
        response = await dave._http.get(path, headers={"Authorization": f"Bearer {dave.session.access_token}"})
        if path.startswith("/api/ciphers/") and response.status_code == 200:
            assert response.json()["organizationId"] is None  # only Dave's own personal item
            continue
        assert response.status_code == 404, f"{path}: {response.status_code}"
    sync = await dave.vault.sync()
    assert org_items(sync, world.contoso_id) == []
    assert all(p["id"] != world.acme_id for p in sync["profile"]["providers"])


async def test_revoking_a_member_empties_their_organization_view(world: World) -> None:
    bob = world.clients["bob"]
    frank = world.newcomer("Frank", "contoso.example")
    async with contextlib.AsyncExitStack() as stack:
        client = await sign_up(world.connection, frank)
        stack.push_async_callback(client.aclose)
        helpdesk = CollectionAccess(world.collections["Helpdesk"])
        member_id = await invite_and_accept(
            bob, client, world.contoso_id, frank.email, world.mail_dir, collections=[helpdesk], timeout=30
        )
        await eventually(lambda: bob.organizations.confirm_member(world.contoso_id, member_id), timeout=30)

        async def sees_contoso() -> bool:
            return org_items(await client.vault.sync(), world.contoso_id) != []

        await wait_for(sees_contoso, what="Frank's view of Contoso's Helpdesk items", timeout=30)
        await bob.organizations.revoke_member(world.contoso_id, member_id)

        async def nothing_of_contoso() -> bool:
            return org_items(await client.vault.sync(), world.contoso_id) == []

        await wait_for(nothing_of_contoso, what="Frank's org view to empty", timeout=30)


async def test_alice_revokes_a_service_user_and_their_access_to_contoso_ends(world: World) -> None:
    alice = world.clients["alice"]
    erin = world.newcomer("Erin", "acme.example")  # a Service User like Bob, whom no other test needs
    async with contextlib.AsyncExitStack() as stack:
        client = await sign_up(world.connection, erin)
        stack.push_async_callback(client.aclose)
        erin_id = await join_provider(
            alice, client, world.acme_id, erin.email, ProviderUserType.SERVICE_USER, world.mail_dir, timeout=30
        )

        async def sees_contoso() -> bool:
            return org_items(await client.vault.sync(), world.contoso_id) != []

        await wait_for(sees_contoso, what="Erin's view of Contoso through Acme", timeout=30)
        revoked_at = time.monotonic()
        await alice.providers.revoke_user(world.acme_id, erin_id)

        async def cut_off() -> bool:
            sync = await client.vault.sync()
            members = await client._http.get(
                f"/api/organizations/{world.contoso_id}/users",
                headers={"Authorization": f"Bearer {client.session.access_token}"},
            )
            return (
                org_items(sync, world.contoso_id) == []
                and members.status_code == 404
                and not any(o["id"] == world.contoso_id for o in sync["profile"]["providerOrganizations"])
            )

        await wait_for(cut_off, what="Erin to lose Contoso", timeout=30, interval=0.05)
        print(f"Erin lost every view of Contoso {1000 * (time.monotonic() - revoked_at):.0f} ms after the revoke")
