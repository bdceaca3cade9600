"""Bob, a Service User of Acme MSP, with the official `bw` CLI: through the provider he reaches client org Contoso —
all its items and collections — and administers it: creates collections, confirms members."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest_asyncio

from mspvault.client.ciphers import Login
from mspvault.client.demo import DemoWorld
from mspvault.client.generators import generate_password
from mspvault.client.onboarding import Connection, Person, invite_and_accept, sign_up
from mspvault.client.organizations import CollectionAccess
from tests.interop import flows
from tests.interop.bwcli import Bw, ids
from tests.interop.conftest import BwLogin, LibraryLogin

if TYPE_CHECKING:
    from mspvault.deploy.system import System

CONTOSO_ITEMS = ("db01.contoso.example (root)", "Server runbook", "Deploy key", "Office Wi-Fi", "Corporate card")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bob(bw_login: BwLogin, world: DemoWorld) -> Bw:
    """Bob's `bw`, logged in once for the module (logging in costs seconds of KDF in node)."""
    return await bw_login(world.bob)


async def test_bob_sees_contoso_and_all_its_items_through_the_provider(bob: Bw, world: DemoWorld) -> None:
    assert "Syncing complete" in (await bob.run("sync")).ok()

    # Contoso's collections and items reach Bob through profile.providerOrganizations (the org key wrapped by the
    # provider key) — the CLI opens them, as the checks below show.
    collections = {c["name"]: c["id"] for c in await bob.list("collections")}
    assert {name: collections.get(name) for name in world.collections} == world.collections
    in_org = ids(await bob.list("items", "--organizationid", world.contoso_id))
    assert {world.items[name] for name in CONTOSO_ITEMS} <= in_org
    card = await bob.get_item(world.items["Corporate card"])  # Finance: Carol cannot see it, Bob can
    assert (card["card"]["number"], card["card"]["code"]) == ("4111111111111111", "123")
    root = await bob.get_item(world.items["db01.contoso.example (root)"])
    assert root["login"]["password"] == world.secrets["db01.contoso.example (root)"]
    assert world.items["Acme RMM console"] in ids(await bob.list("items"))

    # `bw list organizations` shows only orgs the profile lists under `organizations` (the CLI filters on
    # isMember, which it sets for those alone); providerOrganizations entries are left out.
    organizations = {o["id"]: o for o in await bob.list("organizations")}
    assert world.contoso_id in organizations, (
        "bw 2026.9.0 lists only profile.organizations (memberOrganizations$ drops provider-only orgs): the "
        "organization service's /internal/sync must also list client orgs reached through a provider"
    )
    assert organizations[world.contoso_id]["name"] == "Contoso"


async def test_bob_lists_contosos_collections_and_members(bob: Bw, world: DemoWorld) -> None:

    collections = await bob.list("org-collections", "--organizationid", world.contoso_id)
    by_name = {c["name"]: c["id"] for c in collections}  # the CLI decrypted the names with the org key
    assert {name: by_name.get(name) for name in world.collections} == world.collections
    assert all(c["organizationId"] == world.contoso_id for c in collections)

    members = {m["email"]: m for m in await bob.list("org-members", "--organizationid", world.contoso_id)}
    assert members[world.carol.email]["status"] == 2  # confirmed
    assert members[world.carol.email]["id"] == world.carol_member_id
    assert members[world.contoso_owner_email]["status"] == 0  # invited owner, never accepted
    assert world.bob.email not in members  # provider users are not members


async def test_bob_creates_an_org_collection_with_bw(bob: Bw, library: LibraryLogin, world: DemoWorld) -> None:
    template = (await bob.run("get", "template", "org-collection")).json()
    name = f"Network {uuid.uuid4().hex[:6]}"
    collection = {**template, "organizationId": world.contoso_id, "name": name, "groups": [], "users": []}

    created = await bob.create("org-collection", collection, "--organizationid", world.contoso_id)

    assert (created["name"], created["organizationId"]) == (name, world.contoso_id)
    listed = await bob.list("org-collections", "--organizationid", world.contoso_id)
    assert created["id"] in ids(listed)
    mine = await library(world.bob)  # our library decrypts the name bw encrypted with the org key
    assert name in {c.name for c in await mine.organizations.list_collections(world.contoso_id)}


async def test_bob_confirms_a_member_with_bw_and_the_member_decrypts_contoso(
    bob: Bw, library: LibraryLogin, world: DemoWorld, connection: Connection, interop_system: System
) -> None:
    """Our library invites Erin and she accepts from the mail; `bw confirm org-member` hands her the org key
    (the CLI wraps it to her public key); her own client then opens Servers' items with it."""
    bob_library = await library(world.bob)
    erin = Person("Erin", f"erin.{uuid.uuid4().hex[:8]}@contoso.example", generate_password())
    erin_client = await sign_up(connection, erin)
    try:
        member_id = await invite_and_accept(
            bob_library,
            erin_client,
            world.contoso_id,
            erin.email,
            interop_system.mail_dir,
            collections=[CollectionAccess(world.collections["Servers"], read_only=True)],
        )
        members = {m["id"]: m for m in await bob.list("org-members", "--organizationid", world.contoso_id)}
        assert members[member_id]["status"] == 1  # accepted, waiting for the key

        (await bob.run("confirm", "org-member", member_id, "--organizationid", world.contoso_id)).ok()

        members = {m["id"]: m for m in await bob.list("org-members", "--organizationid", world.contoso_id)}
        assert members[member_id]["status"] == 2
        root = (await flows.library_view(erin_client)).get(world.items["db01.contoso.example (root)"])
        assert root is not None, "Erin's sync lacks the Servers item after bw confirmed her"
        assert isinstance(root.content, Login)
        assert root.content.password == world.secrets["db01.contoso.example (root)"]
    finally:
        await erin_client.aclose()


async def test_bob_creates_every_item_type_and_our_library_decrypts_them(
    bob: Bw, library: LibraryLogin, world: DemoWorld
) -> None:
    await flows.create_every_type_in_a_folder(bob, await library(world.bob), "bob")


async def test_bob_edits_trashes_restores_and_purges(bob: Bw, library: LibraryLogin, world: DemoWorld) -> None:
    await flows.edit_trash_restore_and_purge(bob, await library(world.bob), "bob-crud")


async def test_bob_moves_a_personal_item_into_servers_and_carol_decrypts_it(
    bob: Bw, library: LibraryLogin, world: DemoWorld
) -> None:
    await flows.move_into(bob, world.contoso_id, world.collections["Servers"], "bob-move", await library(world.carol))


async def test_bob_creates_an_item_directly_in_servers(bob: Bw, library: LibraryLogin, world: DemoWorld) -> None:
    await flows.create_in_org(
        bob, world.contoso_id, world.collections["Servers"], "bob-org", await library(world.carol)
    )


async def test_bob_locks_unlocks_and_logs_out(bw_login: BwLogin, world: DemoWorld) -> None:
    bob = await bw_login(world.bob)
    await flows.lock_unlock_logout(bob, world.bob.password)
