"""Carol, a User of client org Contoso, with the official `bw` CLI: she sees Contoso's items for her collections
beside her personal ones, decrypts what our library encrypted, and everything she makes decrypts in our library."""

from __future__ import annotations

import pytest
import pytest_asyncio

from mspvault.client import ApiError
from mspvault.client.demo import DemoWorld
from tests.interop import flows
from tests.interop.bwcli import Bw, encode, ids
from tests.interop.conftest import BwLogin, LibraryLogin


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def carol(bw_login: BwLogin, world: DemoWorld) -> Bw:
    """Carol's `bw`, logged in once for the module (logging in costs seconds of KDF in node)."""
    return await bw_login(world.carol)


async def test_carol_logs_in_syncs_and_sees_contoso(carol: Bw, world: DemoWorld) -> None:

    status = (await carol.run("status")).json()
    assert (status["status"], status["userEmail"], status["serverUrl"]) == ("unlocked", world.carol.email, world.server)
    assert "Syncing complete" in (await carol.run("sync")).ok()
    assert "Syncing complete" in (await carol.run("sync", "--force")).ok()

    organizations = await carol.list("organizations")
    assert [(o["id"], o["name"], o["status"]) for o in organizations] == [(world.contoso_id, "Contoso", 2)]
    collections = {c["name"]: c["id"] for c in await carol.list("collections")}
    assert collections == {name: world.collections[name] for name in ("Servers", "Helpdesk")}


async def test_items_made_with_our_library_decrypt_in_bw(carol: Bw, world: DemoWorld) -> None:

    root = await carol.get_item(world.items["db01.contoso.example (root)"])
    assert (root["type"], root["organizationId"]) == (1, world.contoso_id)
    assert root["collectionIds"] == [world.collections["Servers"]]
    assert root["login"]["username"] == "root"
    assert root["login"]["password"] == world.secrets["db01.contoso.example (root)"]
    assert [u["uri"] for u in root["login"]["uris"]] == ["ssh://db01.contoso.example"]
    assert root["notes"] == "Primary database server"

    runbook = await carol.get_item(world.items["Server runbook"])
    assert (runbook["type"], runbook["notes"]) == (2, "Patch window: Sundays 02:00-04:00. Escalate to Acme MSP.")
    deploy_key = await carol.get_item(world.items["Deploy key"])
    assert deploy_key["type"] == 5
    assert deploy_key["sshKey"]["keyFingerprint"].startswith("SHA256:")
    assert deploy_key["sshKey"]["publicKey"].startswith("ssh-ed25519 ")
    wifi = await carol.get_item(world.items["Office Wi-Fi"])
    assert wifi["login"]["password"] == world.secrets["Office Wi-Fi"]
    webmail = await carol.get_item(world.items["Carol's webmail"])
    assert webmail.get("organizationId") is None
    identity = await carol.get_item(world.items["Carol (work)"])
    assert (identity["type"], identity["identity"]["company"]) == (4, "Contoso")


async def test_collection_filter_shows_exactly_the_items_of_each_collection(carol: Bw, world: DemoWorld) -> None:
    contoso = world.contoso_id

    for name in ("Servers", "Helpdesk"):
        in_collection = await carol.list("items", "--collectionid", world.collections[name])
        demo_items = set(world.collection_items[name])
        assert demo_items <= ids(in_collection), f"{name}: bw lacks items of the collection"
        assert all(item["collectionIds"] == [world.collections[name]] for item in in_collection)
    assert await carol.list("items", "--collectionid", world.collections["Finance"]) == []

    everything = ids(await carol.list("items"))
    assert world.items["Corporate card"] not in everything  # Finance: not her collection
    assert {world.items["Carol's webmail"], world.items["Carol (work)"]} <= everything
    in_org = await carol.list("items", "--organizationid", contoso)
    assert all(item.get("organizationId") == contoso for item in in_org)
    assert set(world.collection_items["Servers"]) | set(world.collection_items["Helpdesk"]) <= ids(in_org)


async def test_org_collections_for_a_plain_user_lists_her_collections(bw_login: BwLogin, world: DemoWorld) -> None:
    """For a member who cannot view all collections, `bw list org-collections` reads GET /api/collections (the
    caller's own collections, as Bitwarden serves them) and keeps those of the org."""
    carol = await bw_login(world.carol)

    listed = await carol.list("org-collections", "--organizationid", world.contoso_id)

    assert {c["name"]: c["id"] for c in listed} == {name: world.collections[name] for name in ("Servers", "Helpdesk")}


async def test_org_members_is_refused_to_a_plain_user_without_ending_her_session(
    bw_login: BwLogin, world: DemoWorld
) -> None:
    """Listing members needs ManageUsers. The refusal must not be a 403: bw 2026.9.0 logs the user out on any 401 or
    403 to an authenticated call (ApiService.handleApiRequestError). Bitwarden answers 404 here."""
    carol = await bw_login(world.carol)

    refused = await carol.run("list", "org-members", "--organizationid", world.contoso_id)

    assert refused.code != 0, f"a plain User listed the members: {refused.detail()}"
    status = (await carol.run("status")).json()["status"]
    assert status == "unlocked", f"the refusal logged Carol out (the server answered 403?): {refused.detail()}"


async def test_carol_creates_every_item_type_and_our_library_decrypts_them(
    carol: Bw, library: LibraryLogin, world: DemoWorld
) -> None:
    await flows.create_every_type_in_a_folder(carol, await library(world.carol), "carol")


async def test_carol_edits_trashes_restores_and_purges(carol: Bw, library: LibraryLogin, world: DemoWorld) -> None:
    await flows.edit_trash_restore_and_purge(carol, await library(world.carol), "carol-crud")


async def test_carol_moves_a_personal_item_into_helpdesk_and_bob_decrypts_it(
    carol: Bw, library: LibraryLogin, world: DemoWorld
) -> None:
    bob = await library(world.bob)
    moved = await flows.move_into(carol, world.contoso_id, world.collections["Helpdesk"], "carol-move", bob)

    assert moved["id"] in ids(await carol.list("items", "--collectionid", world.collections["Helpdesk"]))


async def test_carol_creates_an_item_directly_in_helpdesk(carol: Bw, library: LibraryLogin, world: DemoWorld) -> None:
    await flows.create_in_org(
        carol, world.contoso_id, world.collections["Helpdesk"], "carol-org", await library(world.bob)
    )


async def test_a_read_only_collection_refuses_carols_edit(carol: Bw, library: LibraryLogin, world: DemoWorld) -> None:
    """The CLI refuses locally (the sync says `edit: false`); the server must refuse too, which our library
    checks by sending the edit anyway."""
    item_id = world.items["Server runbook"]
    item = await carol.get_item(item_id)
    item["notes"] = "Carol was here"

    edit = await carol.run("edit", "item", item_id, encode(item))
    assert edit.code != 0, f"an edit in a read-only collection went through: {edit.detail()}"

    carols_library = await library(world.carol)
    runbook = (await flows.library_view(carols_library))[item_id]
    runbook.notes = "Carol was here"
    with pytest.raises(ApiError) as refused:
        await carols_library.vault.update_cipher(runbook)
    assert refused.value.status in {400, 403, 404}
    await carol.run("sync", "--force")
    assert (await carol.get_item(item_id))["notes"] != "Carol was here"


async def test_carol_locks_unlocks_and_logs_out(bw_login: BwLogin, world: DemoWorld) -> None:
    carol = await bw_login(world.carol)
    await flows.lock_unlock_logout(carol, world.carol.password)
