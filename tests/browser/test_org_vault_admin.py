"""The organization admin console's vault and its Members page's "Confirm all", in a real browser (issue 9 §4).

Alice, a Provider Admin, opens Contoso (a client of her provider, with the collections "Servers" and "Network") from
the Provider Portal's client list. In the console's vault she adds a login into Servers, edits it, filters by
collection (an item made in Network with the Python client is hidden under Servers and shown under All items), moves
it to the trash and back, and deletes it for good; each step is read back through her own Python client, and no
name, username or password she typed ever leaves the browser, so what the page lists it decrypted itself. On the
Members page she confirms two accepted members at once; each then decrypts an organization item with the org key
the page wrapped to their public key. One system for the module; each test works on items and people of its own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.onboarding import Person, eventually, join_organization, sign_up, wait_for
from mspvault.client.organizations import CollectionAccess
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, assert_keyboard_reachable, fingerprint_of, shot
from tests.browser.worlds import ProviderWithClient, provider_with_client

WAIT_MS = 60_000  # key derivation, a page chunk or an org key wrapped in the page takes seconds on a busy machine
CONFIRMED = 2


@dataclass
class Contoso(ProviderWithClient):
    servers_id: str
    network_id: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contoso(system: System) -> AsyncIterator[Contoso]:
    async with provider_with_client(system, seats=10) as world:
        org_id = world.org_id
        servers = await eventually(lambda: world.alice_client.organizations.create_collection(org_id, "Servers"))
        network = await world.alice_client.organizations.create_collection(org_id, "Network")
        yield Contoso(**vars(world), servers_id=servers.id, network_id=network.id)


def item_list(page: Page) -> Locator:
    return page.locator(".item-list table")


def filters(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Vault filters")


def row_of(page: Page, name: str) -> Locator:
    return item_list(page).get_by_role("row").filter(has=page.get_by_role("button", name=name, exact=True))


async def shown_names(page: Page) -> set[str]:
    await expect(page.get_by_text("Loading the vault…")).to_have_count(0)
    return {name.strip() for name in await item_list(page).locator("tbody td:first-child button").all_inner_texts()}


async def pick(page: Page, filter_name: str) -> None:
    """A sidebar filter, then wait for the heading to name it (the list is filtered in the same render)."""
    await filters(page).get_by_role("button", name=filter_name, exact=True).click()
    await expect(page.get_by_role("heading", level=2)).to_have_text(f"Vault — {filter_name}")


async def open_item(page: Page, name: str) -> Locator:
    await item_list(page).get_by_role("button", name=name, exact=True).click()
    view = page.get_by_role("dialog", name=name)
    await expect(view.get_by_role("heading", name=name)).to_be_visible()
    return view


async def open_area(page: Page, contoso: Contoso, area: str) -> None:
    """A console area by its link (a reload would lock the session), then wait for its heading."""
    console = page.get_by_role("navigation", name=f"{contoso.org_name} admin console")
    await console.get_by_role("link", name=area, exact=True).click()
    await expect(page.get_by_role("heading", name=re.compile(f"^{area}"), level=2)).to_be_visible(timeout=WAIT_MS)


async def check_page(page: Page) -> None:
    await assert_accessible(page)
    await assert_keyboard_reachable(page)


async def org_items(client: MSPVaultClient, org_id: str) -> dict[str, PlainCipher]:
    """The organization's items `client` can decrypt, trashed ones included, by name."""
    items = client.vault.decrypt_all(await client.vault.sync())
    return {item.name: item for item in items if item.organization_id == org_id}


async def decrypted_when_synced(client: MSPVaultClient, name: str, *, what: str) -> PlainCipher:
    """The item named `name` as `client` decrypts it, once its sync carries it (an event away after a change)."""
    found: list[PlainCipher] = []

    async def synced() -> bool:
        found[:] = [item for item in client.vault.decrypt_all(await client.vault.sync()) if item.name == name]
        return bool(found)

    await wait_for(synced, what=what)
    return found[0]


async def test_the_org_vault_adds_edits_filters_trashes_restores_and_deletes_an_item(
    portal: PortalSession, contoso: Contoso
) -> None:
    suffix = uuid.uuid4().hex[:4]
    web, switch = f"Web server {suffix}", f"Core switch {suffix}"
    first_password, second_password = f"pw-one-{uuid.uuid4().hex}", f"pw-two-{uuid.uuid4().hex}"
    # An item of Network made with the Python client: the page must decrypt it with the org key it opens itself.
    await contoso.alice_client.vault.create_cipher(
        PlainCipher(
            name=switch,
            content=Login(username=f"netops-{suffix}", password=f"sw-{uuid.uuid4().hex}"),
            organization_id=contoso.org_id,
            collection_ids=[contoso.network_id],
        )
    )

    # From the client list, one click opens the client's admin console, at its vault.
    page = await portal.log_in(contoso.alice, f"/providers/{contoso.provider_id}/clients")
    await expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible(timeout=WAIT_MS)
    await page.get_by_role("table").get_by_role("link", name=contoso.org_name, exact=True).click()
    await expect(page.get_by_role("heading", name=contoso.org_name, level=1)).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_role("heading", level=2)).to_have_text("Vault — All items", timeout=WAIT_MS)
    await expect(row_of(page, switch)).to_contain_text(f"netops-{suffix}", timeout=WAIT_MS)

    # Add a login into Servers.
    await page.get_by_label("New item").select_option(label="Login")
    dialog = page.get_by_role("dialog", name="New item")
    await dialog.get_by_label("Item name").fill(web)
    await dialog.get_by_label("Username").fill(f"deploy-{suffix}")
    await dialog.get_by_label("Password", exact=True).fill(first_password)
    await expect(dialog.get_by_label("Owner")).to_be_disabled()  # the console adds to this organization only
    await dialog.get_by_label("Servers").check()
    await check_page(page)
    await shot(page, "org-vault-new-item")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden(timeout=WAIT_MS)
    await expect(row_of(page, web)).to_contain_text(f"deploy-{suffix}")

    # Edit it: a new username and password.
    view = await open_item(page, web)
    await view.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("dialog", name=f"Edit {web}")
    await edit.get_by_label("Username").fill(f"www-admin-{suffix}")
    await edit.get_by_label("Password", exact=True).fill(second_password)
    await expect(edit.get_by_label("Servers")).to_be_checked()
    await edit.get_by_role("button", name="Save").click()
    await expect(edit).to_be_hidden(timeout=WAIT_MS)
    await expect(row_of(page, web)).to_contain_text(f"www-admin-{suffix}")

    # Alice's Python client reads what the page encrypted, in the collection the page chose.
    saved = (await org_items(contoso.alice_client, contoso.org_id))[web]
    assert isinstance(saved.content, Login)
    assert (saved.content.username, saved.content.password) == (f"www-admin-{suffix}", second_password)
    assert saved.collection_ids == [contoso.servers_id]

    # The collection filter: Servers hides the Network item, Network the Servers one, All items shows both.
    await pick(page, "Servers")
    assert await shown_names(page) == {web}
    await check_page(page)
    await shot(page, "org-vault-collection-filter")
    await pick(page, "Network")
    assert await shown_names(page) == {switch}
    await pick(page, "All items")
    assert {web, switch} <= await shown_names(page)

    # Away and back inside the page (no reload): the names and usernames are still there, decrypted in the page.
    await open_area(page, contoso, "Members")
    await open_area(page, contoso, "Vault")
    await expect(row_of(page, web)).to_contain_text(f"www-admin-{suffix}")
    await expect(row_of(page, switch)).to_contain_text(f"netops-{suffix}")
    view = await open_item(page, web)
    await view.get_by_role("button", name="Show password").click()
    await expect(view.get_by_text(second_password, exact=True)).to_be_visible()
    await expect(view).to_contain_text("Servers")

    # To the trash: gone from All items, listed under Trash, trashed on the server too.
    await view.get_by_role("button", name="Delete", exact=True).click()
    await expect(view).to_be_hidden(timeout=WAIT_MS)
    await expect(row_of(page, web)).to_have_count(0)
    await pick(page, "Trash")
    assert await shown_names(page) == {web}
    await expect(page.get_by_label("New item")).to_have_count(0)
    assert (await org_items(contoso.alice_client, contoso.org_id))[web].deleted_date is not None

    # Restored: back under All items (and in Servers), no longer trashed on the server.
    view = await open_item(page, web)
    await expect(view).to_contain_text("In the trash")
    await check_page(page)
    await shot(page, "org-vault-trash")
    await view.get_by_role("button", name="Restore").click()
    await expect(view).to_be_hidden(timeout=WAIT_MS)
    await expect(page.get_by_text("No items to list.")).to_be_visible()
    await pick(page, "Servers")
    assert await shown_names(page) == {web}
    assert (await org_items(contoso.alice_client, contoso.org_id))[web].deleted_date is None

    # Deleted for good: to the trash again, then "Delete permanently" from there.
    view = await open_item(page, web)
    await view.get_by_role("button", name="Delete", exact=True).click()
    await expect(view).to_be_hidden(timeout=WAIT_MS)
    await pick(page, "Trash")
    view = await open_item(page, web)
    await view.get_by_role("button", name="Delete permanently").click()
    confirm = page.get_by_role("dialog", name="Delete permanently")
    await expect(confirm).to_contain_text(f'"{web}" will be deleted for good.')
    await confirm.get_by_role("button", name="Delete permanently").click()
    await expect(confirm).to_be_hidden(timeout=WAIT_MS)
    await expect(page.get_by_text("No items to list.")).to_be_visible()
    await pick(page, "All items")
    assert await shown_names(page) == {switch}
    remaining = await org_items(contoso.alice_client, contoso.org_id)
    assert web not in remaining
    assert switch in remaining

    portal.requests.assert_no_leak(
        {
            "item name": web,
            "first username": f"deploy-{suffix}",
            "second username": f"www-admin-{suffix}",
            "first password": first_password,
            "second password": second_password,
            "master password": contoso.alice.password,
        }
    )
    portal.problems.assert_clean()


async def test_confirm_all_hands_two_accepted_members_the_org_key(
    portal: PortalSession, system: System, contoso: Contoso
) -> None:
    secret = f"rack-{uuid.uuid4().hex}"
    rack = f"Rack PDU {uuid.uuid4().hex[:4]}"
    await contoso.alice_client.vault.create_cipher(
        PlainCipher(
            name=rack,
            content=Login(username="pdu", password=secret),
            organization_id=contoso.org_id,
            collection_ids=[contoso.servers_id],
        )
    )
    people = [
        Person(name, f"{name.lower()}.{contoso.tag}@contoso.example", f"{name.lower()}-{uuid.uuid4().hex}")
        for name in ("Grace", "Heidi")
    ]
    their_clients = [await sign_up(contoso.connection, person) for person in people]
    try:
        member_ids = [
            await join_organization(
                contoso.alice_client,
                client,
                contoso.org_id,
                person.email,
                system.mail_dir,
                collections=[CollectionAccess(contoso.servers_id, read_only=True)],
                confirm=False,  # the page confirms them
            )
            for person, client in zip(people, their_clients, strict=True)
        ]

        page = await portal.log_in(contoso.alice, f"/organizations/{contoso.org_id}/members")
        await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible(timeout=WAIT_MS)
        rows = [page.get_by_role("row").filter(has_text=p.email) for p in people]
        for row in rows:
            await expect(row).to_contain_text("Needs confirmation", timeout=WAIT_MS)
        await expect(page.get_by_role("note").filter(has_text="need confirmation")).to_contain_text("2 members need")
        await check_page(page)
        await page.get_by_role("button", name="Confirm all").click()

        # Each phrase is the one made here from the member's own public key, before the org key is handed over.
        dialog = page.get_by_role("dialog", name="Confirm members")
        for person, client in zip(people, their_clients, strict=True):
            await expect(dialog.get_by_role("row").filter(has_text=person.name)).to_contain_text(fingerprint_of(client))
        await check_page(page)
        await shot(page, "org-members-confirm-all")
        await dialog.get_by_role("button", name="Confirm", exact=True).click()
        await expect(dialog).to_be_hidden(timeout=WAIT_MS)
        await expect(page.get_by_role("status").filter(has_text="Confirmed 2 members.")).to_be_visible()
        for row in rows:
            await expect(row).not_to_contain_text("Needs confirmation")
        await expect(page.get_by_role("button", name="Confirm all")).to_have_count(0)

        for member_id in member_ids:
            member = await contoso.alice_client.organizations.get_member(contoso.org_id, member_id)
            assert member["status"] == CONFIRMED, member
        # Each opens the org key the page wrapped to their public key, and with it the item.
        for person, client in zip(people, their_clients, strict=True):
            item = await decrypted_when_synced(client, rack, what=f"{person.name}'s sync to carry {rack}")
            assert isinstance(item.content, Login)
            assert item.content.password == secret
    finally:
        for client in their_clients:
            await client.aclose()
    portal.requests.assert_no_leak({"item password": secret, "master password": contoso.alice.password})
    portal.problems.assert_clean()
