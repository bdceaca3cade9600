"""My Vault in a real browser (issue 9 §5): the five item types created and viewed, favorites, the live TOTP code of a
login (checked against one computed here from the same key), the password generator, folders, trash and restore,
moving a personal item into an organization, and no reveal where the collection hides passwords; then a master
password changed from the portal and the next login made with the new one.

Carol is a member of Contoso (a provider's client, set up through the API) with "Can edit" on Shared and "Can view,
except passwords" on Secrets, where Alice put a login. What the page encrypts is read back with Carol's Python
client (and the moved item with Alice's, through the org key), so the page's encryption is the one the API clients
read. One system for the module; each test uses people and items of its own.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pyotp
import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Card, CipherType, Identity, Login, PlainCipher, SshKey
from mspvault.client.onboarding import Person, eventually, join_organization, sign_up, wait_for
from mspvault.client.organizations import CollectionAccess
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, assert_keyboard_reachable, shot
from tests.browser.worlds import ProviderWithClient, provider_with_client

WAIT_MS = 60_000  # key derivation (PBKDF2 600,000) or a page chunk takes seconds on a busy machine
HIDDEN_PASSWORD = f"hidden-db-{uuid.uuid4().hex[:8]}"


@dataclass
class Contoso(ProviderWithClient):
    shared_id: str
    secrets_id: str
    carol: Person
    carol_client: MSPVaultClient


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contoso(system: System) -> AsyncIterator[Contoso]:
    async with provider_with_client(system, seats=5) as world:
        alice_client, org_id = world.alice_client, world.org_id
        carol = Person("Carol", f"carol.{world.tag}@contoso.example", f"carol-{uuid.uuid4().hex}")
        carol_client = await sign_up(world.connection, carol)
        try:
            shared = await eventually(lambda: alice_client.organizations.create_collection(org_id, "Shared"))
            secrets = await alice_client.organizations.create_collection(org_id, "Secrets")
            access = [
                CollectionAccess(shared.id),
                CollectionAccess(secrets.id, read_only=True, hide_passwords=True),
            ]
            mail = system.mail_dir
            await join_organization(alice_client, carol_client, org_id, carol.email, mail, collections=access)
            await alice_client.vault.create_cipher(
                PlainCipher(
                    name="Vault DB",
                    content=Login(username="dba", password=HIDDEN_PASSWORD),
                    organization_id=org_id,
                    collection_ids=[secrets.id],
                )
            )
            await carol_client.vault.sync()  # opens the org key the confirmation handed Carol
            yield Contoso(
                **vars(world), shared_id=shared.id, secrets_id=secrets.id, carol=carol, carol_client=carol_client
            )
        finally:
            await carol_client.aclose()


async def log_in(portal: PortalSession, person: Person, route: str = "/vault") -> Page:
    page = await portal.log_in(person, route)
    await expect(page.get_by_role("heading", name=re.compile("^My vault"), level=1)).to_be_visible(timeout=WAIT_MS)
    return page


async def check_page(page: Page) -> None:
    await assert_accessible(page)
    await assert_keyboard_reachable(page)


def item_list(page: Page) -> Locator:
    return page.locator(".item-list table")


def filters(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Vault filters")


async def new_item(page: Page, kind: str, name: str) -> Locator:
    """Open the New item dialog for `kind` and fill the item's name; the caller fills the rest and saves."""
    await page.get_by_label("New item").select_option(label=kind)
    dialog = page.get_by_role("dialog", name="New item")
    await dialog.get_by_label("Item name").fill(name)
    return dialog


async def save(page: Page, dialog: Locator, name: str) -> None:
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden(timeout=WAIT_MS)
    await expect(item_list(page).get_by_role("button", name=name, exact=True)).to_be_visible()


async def open_item(page: Page, name: str) -> Locator:
    await item_list(page).get_by_role("button", name=name, exact=True).click()
    view = page.get_by_role("dialog", name=name)
    await expect(view.get_by_role("heading", name=name)).to_be_visible()
    return view


async def close(view: Locator) -> None:
    await view.get_by_role("button", name="Close").click()
    await expect(view).to_be_hidden()


async def shown_names(page: Page) -> set[str]:
    await expect(page.get_by_text("Loading the vault…")).to_have_count(0)
    return {name.strip() for name in await item_list(page).locator("tbody td:first-child button").all_inner_texts()}


async def test_the_five_item_types_favorites_the_generator_and_a_live_totp_code(
    portal: PortalSession, contoso: Contoso
) -> None:
    page = await log_in(portal, contoso.carol)
    await expect(item_list(page).get_by_role("button", name="Vault DB", exact=True)).to_be_visible(timeout=WAIT_MS)
    totp_key = pyotp.random_base32()
    ssh_public = f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{uuid.uuid4().hex} carol@laptop"

    # A login: the password from the generator, an authenticator key, a favorite.
    dialog = await new_item(page, "Login", "Mail")
    await dialog.get_by_label("Username").fill("carol@mail.example")
    await dialog.get_by_role("button", name="Generate", exact=True).click()
    generator = dialog.get_by_role("region", name="Password generator")
    await generator.get_by_label("Length").fill("24")
    await generator.get_by_label("!@#$%^&*").check()
    await generator.get_by_role("button", name="Generate a new password").click()
    generated = (await generator.get_by_role("status", name="Generated password").inner_text()).strip()
    assert len(generated) == 24, generated
    assert re.search(r"[A-Z]", generated)
    assert re.search(r"[a-z]", generated)
    assert re.search(r"[0-9]", generated)
    assert re.search(r"[!@#$%^&*]", generated), generated
    await check_page(page)
    await shot(page, "my-vault-generator")
    await generator.get_by_role("button", name="Use this password").click()
    await expect(generator).to_be_hidden()
    await expect(dialog.get_by_label("Password", exact=True)).to_have_value(generated)
    await dialog.get_by_label("Authenticator key (TOTP)", exact=True).fill(totp_key)
    await dialog.get_by_label("Favorite").check()
    await save(page, dialog, "Mail")

    dialog = await new_item(page, "Card", "Visa card")
    await dialog.get_by_label("Cardholder name").fill("Carol Contoso")
    await dialog.get_by_label("Brand").select_option("Visa")
    await dialog.get_by_label("Number", exact=True).fill("4111111111111111")
    await dialog.get_by_label("Expiration month").fill("7")
    await dialog.get_by_label("Expiration year").fill("2031")
    await dialog.get_by_label("Security code", exact=True).fill("737")
    await check_page(page)
    await save(page, dialog, "Visa card")

    dialog = await new_item(page, "Identity", "Passport")
    await dialog.get_by_label("First name").fill("Carol")
    await dialog.get_by_label("Last name").fill("Contoso")
    await dialog.get_by_label("Passport number", exact=True).fill("X1234567")
    await dialog.get_by_label("Email", exact=True).fill("carol@home.example")
    await save(page, dialog, "Passport")

    dialog = await new_item(page, "Secure note", "Wifi")
    await dialog.get_by_label("Notes").fill("guest network: contoso-guest")
    await save(page, dialog, "Wifi")

    dialog = await new_item(page, "SSH key", "Deploy key")
    await dialog.get_by_label("Private key", exact=True).fill("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END")
    await dialog.get_by_label("Public key").fill(ssh_public)
    await dialog.get_by_label("Fingerprint").fill("SHA256:carolsdeploykey")
    await save(page, dialog, "Deploy key")
    await check_page(page)
    await shot(page, "my-vault-five-types")

    # Each type's filter lists that type only; Favorites lists the favorite.
    by_filter = {  # filter -> (the heading's label, the items listed)
        "Login": ("Logins", {"Mail", "Vault DB"}),
        "Card": ("Cards", {"Visa card"}),
        "Identity": ("Identities", {"Passport"}),
        "Secure note": ("Secure notes", {"Wifi"}),
        "SSH key": ("SSH keys", {"Deploy key"}),
        "Favorites": ("Favorites", {"Mail"}),
    }
    for name, (heading, expected) in by_filter.items():
        await filters(page).get_by_role("button", name=name, exact=True).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert await shown_names(page) == expected, name
    await filters(page).get_by_role("button", name="All items", exact=True).click()

    # Copy username and password from the list (the password is decrypted only when asked for).
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal.system.gateway_url)
    mail_row = item_list(page).get_by_role("row").filter(has=page.get_by_role("button", name="Mail", exact=True))
    for what, value in (("username", "carol@mail.example"), ("password", generated)):
        await mail_row.get_by_role("button", name=f"Copy {what} of Mail").click()
        await expect(mail_row.get_by_role("button", name=f"Copy {what} of Mail")).to_have_text(re.compile("^Copied"))
        assert await page.evaluate("navigator.clipboard.readText()") == value, what

    # Each item viewed: its fields, secrets behind Show.
    view = await open_item(page, "Visa card")
    await expect(view.get_by_text("4111111111111111")).to_have_count(0)
    await view.get_by_role("button", name="Show number").click()
    await expect(view.get_by_text("4111111111111111")).to_be_visible()
    await expect(view.get_by_text("7 / 2031")).to_be_visible()
    await expect(view.get_by_text("Visa", exact=True)).to_be_visible()
    await check_page(page)
    await close(view)
    view = await open_item(page, "Passport")
    await expect(view.get_by_text("Carol Contoso")).to_be_visible()
    await view.get_by_role("button", name="Show passport number").click()
    await expect(view.get_by_text("X1234567")).to_be_visible()
    await close(view)
    view = await open_item(page, "Wifi")
    await expect(view.get_by_text("guest network: contoso-guest")).to_be_visible()
    await close(view)
    view = await open_item(page, "Deploy key")
    await expect(view.get_by_text(ssh_public)).to_be_visible()
    await expect(view.get_by_text("SHA256:carolsdeploykey")).to_be_visible()
    await close(view)

    # The login: its live TOTP code is the one pyotp makes from the same key.
    view = await open_item(page, "Mail")
    await expect(view).to_contain_text("Favorite")
    code = view.get_by_label("Verification code (TOTP)", exact=True).and_(view.locator("output"))
    await expect(code).to_have_text(re.compile(r"^\d{3} \d{3}$"), timeout=WAIT_MS)
    before = time.time()
    shown = (await code.inner_text()).replace(" ", "")
    after = time.time()
    totp = pyotp.TOTP(totp_key)
    # The page ticks once a second, so just after a new period it may still show the last one's code.
    assert shown in {totp.at(before - 2), totp.at(before), totp.at(after)}, (shown, totp.at(before))
    await view.get_by_role("button", name="Show password").click()
    await expect(view.get_by_text(generated, exact=True)).to_be_visible()
    await check_page(page)
    await shot(page, "my-vault-login-totp")
    await close(view)

    # Carol's Python client reads what the page encrypted.
    items = {
        item.name: item
        for item in contoso.carol_client.vault.decrypt_all(await contoso.carol_client.vault.sync())
        if item.organization_id is None
    }
    mail, card, passport = items["Mail"].content, items["Visa card"].content, items["Passport"].content
    assert isinstance(mail, Login)
    assert isinstance(card, Card)
    assert isinstance(passport, Identity)
    assert (mail.username, mail.password, mail.totp, items["Mail"].favorite) == (
        "carol@mail.example",
        generated,
        totp_key,
        True,
    )
    assert (card.number, card.code, card.brand, card.exp_month, card.exp_year) == (
        "4111111111111111",
        "737",
        "Visa",
        "7",
        "2031",
    )
    assert (passport.first_name, passport.passport_number) == ("Carol", "X1234567")
    assert items["Wifi"].type == CipherType.SECURE_NOTE
    assert items["Wifi"].notes == "guest network: contoso-guest"
    ssh = items["Deploy key"].content
    assert isinstance(ssh, SshKey)
    assert ssh.public_key == ssh_public
    portal.requests.assert_no_leak(
        {"generated password": generated, "card number": "4111111111111111", "master password": contoso.carol.password}
    )
    portal.problems.assert_clean()


async def test_folders_trash_moving_into_the_organization_and_hidden_passwords(
    portal: PortalSession, contoso: Contoso
) -> None:
    page = await log_in(portal, contoso.carol)
    await expect(item_list(page).get_by_role("button", name="Vault DB", exact=True)).to_be_visible(timeout=WAIT_MS)
    suffix = uuid.uuid4().hex[:4]
    router, printer, old = f"Router {suffix}", f"Printer {suffix}", f"Old forum {suffix}"

    # A folder, and an item moved into it.
    await filters(page).get_by_role("button", name="New folder").click()
    dialog = page.get_by_role("dialog", name="New folder")
    await dialog.get_by_label("Name").fill(f"Work {suffix}")
    await check_page(page)
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    work = filters(page).get_by_role("button", name=f"Work {suffix}", exact=True)
    await expect(work).to_be_visible()

    for name in (router, printer, old):
        dialog = await new_item(page, "Login", name)
        await dialog.get_by_label("Password", exact=True).fill(f"pw-{name}")
        await save(page, dialog, name)
    view = await open_item(page, printer)
    await view.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("dialog", name=f"Edit {printer}")
    await edit.get_by_label("Folder").select_option(label=f"Work {suffix}")
    await edit.get_by_role("button", name="Save").click()
    await expect(edit).to_be_hidden(timeout=WAIT_MS)
    await work.click()
    await expect(work).to_have_attribute("aria-current", "true")
    # The heading names the folder as decrypted in the page (the server holds only its EncString).
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"My vault — Work {suffix}")
    assert await shown_names(page) == {printer}
    await check_page(page)
    await shot(page, "my-vault-folder")
    await filters(page).get_by_role("button", name="No folder", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("No folder")
    names = await shown_names(page)
    assert printer not in names
    assert router in names

    # To the trash and back.
    await filters(page).get_by_role("button", name="All items", exact=True).click()
    view = await open_item(page, old)
    await view.get_by_role("button", name="Delete").click()
    await expect(view).to_be_hidden()
    await expect(item_list(page).get_by_role("button", name=old, exact=True)).to_have_count(0)
    await filters(page).get_by_role("button", name="Trash", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Trash")
    assert await shown_names(page) == {old}
    await expect(page.get_by_label("New item")).to_have_count(0)
    view = await open_item(page, old)
    await expect(view).to_contain_text("In the trash")
    await check_page(page)
    await shot(page, "my-vault-trash")
    await view.get_by_role("button", name="Restore").click()
    await expect(view).to_be_hidden()
    await expect(page.get_by_text("No items to list.")).to_be_visible()
    await filters(page).get_by_role("button", name="All items", exact=True).click()
    await expect(item_list(page).get_by_role("button", name=old, exact=True)).to_be_visible()

    # A personal item moved into Contoso's Shared collection.
    view = await open_item(page, router)
    await view.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("dialog", name=f"Edit {router}")
    owner = edit.get_by_label("Owner")
    await expect(owner.locator("option")).to_have_text(["Me (My vault)", contoso.org_name])
    await owner.select_option(label=contoso.org_name)
    await expect(edit.get_by_label("Secrets")).to_be_disabled()  # view only: no item goes in
    await edit.get_by_label("Shared").check()
    await check_page(page)
    await edit.get_by_role("button", name="Save").click()
    await expect(edit).to_be_hidden(timeout=WAIT_MS)
    row = item_list(page).get_by_role("row").filter(has=page.get_by_role("button", name=router, exact=True))
    await expect(row.get_by_role("cell").nth(1)).to_have_text(contoso.org_name)
    await filters(page).get_by_role("button", name="Shared", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Shared")
    assert await shown_names(page) == {router}

    # Alice opens it with the org key: the page re-wrapped the item's key for the organization.
    moved: list[PlainCipher] = []

    async def alice_sees_router() -> bool:
        items = contoso.alice_client.vault.decrypt_all(await contoso.alice_client.vault.sync())
        moved[:] = [i for i in items if i.name == router and i.organization_id == contoso.org_id]
        return bool(moved)

    await wait_for(alice_sees_router, what="the moved item in the organization")
    assert isinstance(moved[0].content, Login)
    assert moved[0].content.password == f"pw-{router}"
    assert moved[0].collection_ids == [contoso.shared_id]

    # Where the collection hides passwords: no reveal, no copy, and the password is nowhere in the page.
    await filters(page).get_by_role("button", name="Secrets", exact=True).click()
    row = item_list(page).get_by_role("row").filter(has=page.get_by_role("button", name="Vault DB", exact=True))
    await expect(row.get_by_role("button", name=re.compile("^Copy password"))).to_have_count(0)
    view = await open_item(page, "Vault DB")
    await expect(view).to_contain_text("Passwords hidden")
    await expect(view.get_by_text("dba", exact=True)).to_be_visible()
    await expect(view.get_by_role("button", name="Show password")).to_have_count(0)
    await expect(view.get_by_role("button", name="Copy password")).to_have_count(0)
    await expect(view.get_by_role("button", name="Edit")).to_have_count(0)
    assert HIDDEN_PASSWORD not in await page.content()
    await check_page(page)
    await shot(page, "my-vault-hidden-password")
    await close(view)
    portal.requests.assert_no_leak({"master password": contoso.carol.password})
    portal.problems.assert_clean()


async def test_a_master_password_changed_in_the_portal_opens_the_vault_next_time(
    portal: PortalSession, contoso: Contoso
) -> None:
    frank = Person("Frank", f"frank.{contoso.tag}@example.test", f"frank-old-{uuid.uuid4().hex}")
    new_password = f"frank new horse {uuid.uuid4().hex}"
    frank_client = await sign_up(contoso.connection, frank)
    try:
        await frank_client.vault.create_cipher(
            PlainCipher(name="Bank", content=Login(username="frank", password="b4nk"))
        )
    finally:
        await frank_client.aclose()

    page = await log_in(portal, frank)
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    await page.get_by_role("link", name="Change master password").click()
    await expect(page.get_by_role("heading", name="Change master password")).to_be_visible(timeout=WAIT_MS)
    await page.get_by_label("Current master password", exact=True).fill(frank.password)
    await page.get_by_label("New master password", exact=True).fill(frank.password)
    await page.get_by_label("Confirm new master password", exact=True).fill(frank.password)
    await page.get_by_role("button", name="Change master password").click()
    await expect(page.get_by_text("Choose a password other than the current one.")).to_be_visible()
    await page.get_by_label("New master password", exact=True).fill(new_password)
    await page.get_by_label("Confirm new master password", exact=True).fill(new_password)
    await check_page(page)
    await shot(page, "account-change-master-password")
    await page.get_by_role("button", name="Change master password").click()
    await expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=WAIT_MS)

    # The old password no longer opens the account; the new one does, and the item still decrypts.
    await page.get_by_label("Email address").fill(frank.email)
    await page.get_by_label("Master password", exact=True).fill(frank.password)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    portal.problems.clear()  # the refused login's 400 is the answer meant here
    await page.get_by_label("Master password", exact=True).fill(new_password)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name=re.compile("^My vault"), level=1)).to_be_visible(timeout=WAIT_MS)
    view = await open_item(page, "Bank")
    await view.get_by_role("button", name="Show password").click()
    await expect(view.get_by_text("b4nk", exact=True)).to_be_visible()

    async with contoso.connection.client() as again:
        await again.login(frank.email, new_password)
        items = again.vault.decrypt_all(await again.vault.sync())
        assert [item.name for item in items] == ["Bank"]
    portal.requests.assert_no_leak({"old master password": frank.password, "new master password": new_password})
    portal.problems.assert_clean()
