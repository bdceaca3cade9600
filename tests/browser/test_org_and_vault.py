"""The organization admin console and My Vault in a real browser (issue 9 §4–§6, DESIGN §5 steps 5–7).

Alice, a Provider Admin, opens a client's admin console from the portal (the provider banner shows), invites Carol
with the console's form, confirms her after the fingerprint phrase (the org key is wrapped to Carol's public key in
the page), creates the "Servers" collection with Carol at "Can view", and adds a login to it. Carol's Python client
decrypts that item (portal → API client); Carol's own item made with the Python client shows in her My Vault
(API client → portal) beside the org's item, the Servers filter shows only the org's item, and its view has no
edit control. The provider, Alice and the client are set up through the API; what is tested goes through the UI.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest_asyncio
from playwright.async_api import expect

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import Person, sign_up, wait_for
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, fingerprint_of, shot
from tests.browser.worlds import ProviderWithClient, provider_with_client


@dataclass
class Contoso(ProviderWithClient):
    carol: Person
    carol_client: MSPVaultClient


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contoso(system: System) -> AsyncIterator[Contoso]:
    async with provider_with_client(system, seats=5) as world:
        carol = Person("Carol", f"carol.{world.tag}@contoso.example", f"carol-{uuid.uuid4().hex}")
        carol_client = await sign_up(world.connection, carol)
        try:
            yield Contoso(**vars(world), carol=carol, carol_client=carol_client)
        finally:
            await carol_client.aclose()


async def test_a_provider_admin_runs_a_client_org_and_its_member_sees_the_item_in_my_vault(
    portal: PortalSession, contoso: Contoso, system: System
) -> None:
    base = f"/organizations/{contoso.org_id}"
    page = await portal.log_in(contoso.alice, f"{base}/members")
    console = page.get_by_role("navigation", name=f"{contoso.org_name} admin console")
    await expect(page.get_by_role("heading", name=contoso.org_name, level=1)).to_be_visible()
    banner = f"You are accessing this organization using provider {contoso.provider_name}."
    await expect(page.get_by_text(banner)).to_be_visible()
    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible()

    # Invite Carol from the console.
    await page.get_by_role("button", name="Invite member").click()
    dialog = page.get_by_role("dialog", name="Invite member")
    await dialog.get_by_label("Email").fill(contoso.carol.email)
    await assert_accessible(page)
    await shot(page, "org-invite-member")
    await dialog.get_by_role("button", name="Invite", exact=True).click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("table").get_by_text(contoso.carol.email)).to_be_visible()

    # Carol accepts from her mail (through the API), then Alice confirms her after checking the phrase.
    invitation = await wait_for_invitation(system.mail_dir, contoso.carol.email, InviteKind.ORGANIZATION, timeout=30)
    await contoso.carol_client.organizations.accept_invite(contoso.org_id, invitation.membership_id, invitation.token)
    # Away and back, each page shown before the next click: on a busy machine a second click while the first
    # page's code still loads lands on the same Members page, which would not load the list again.
    await console.get_by_role("link", name="Collections", exact=True).click()
    await expect(page.get_by_role("heading", name="Collections", level=2)).to_be_visible()
    await console.get_by_role("link", name="Members", exact=True).click()
    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible()
    carol_row = page.get_by_role("row").filter(has_text=contoso.carol.email)
    await shot(page, "org-members-accepted")
    await expect(carol_row).to_contain_text("Needs confirmation")
    await carol_row.get_by_role("button", name=re.compile("^Confirm")).click()
    dialog = page.get_by_role("dialog", name="Confirm member")
    await expect(dialog.get_by_text(fingerprint_of(contoso.carol_client))).to_be_visible()
    await assert_accessible(page)
    await shot(page, "org-confirm-member")
    await dialog.get_by_role("button", name="Confirm", exact=True).click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status").filter(has_text="Confirmed")).to_be_visible()
    await expect(carol_row.get_by_text("Needs confirmation")).to_have_count(0)
    await shot(page, "org-members")

    # The "Servers" collection, Carol at "Can view".
    await console.get_by_role("link", name="Collections", exact=True).click()
    await page.get_by_role("button", name="New collection").click()
    dialog = page.get_by_role("dialog", name="New collection")
    await dialog.get_by_label("Name").fill("Servers")
    await dialog.get_by_role("tab", name="Access").click()
    carol_access = dialog.get_by_label(re.compile(f"^Access: .*{re.escape(contoso.carol.email)}"))
    await carol_access.select_option(label="Can view")
    await assert_accessible(page)
    await shot(page, "org-new-collection")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("cell", name="Servers", exact=True)).to_be_visible()

    # A login in Servers, from the org vault.
    await console.get_by_role("link", name="Vault", exact=True).click()
    await page.get_by_label("New item").select_option(label="Login")
    dialog = page.get_by_role("dialog", name="New item")
    await dialog.get_by_label("Item name").fill("Router")
    await dialog.get_by_label("Username").fill("admin")
    await dialog.get_by_label("Password", exact=True).fill("s3cret-router")
    await dialog.get_by_label("Servers").check()
    await assert_accessible(page)
    await shot(page, "org-new-item")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("button", name="Router", exact=True)).to_be_visible()
    await assert_accessible(page)
    await shot(page, "org-vault")

    # Portal → API client: Carol's Python client opens the item the page encrypted.
    seen: list[PlainCipher] = []

    async def carol_sees_router() -> bool:
        items = contoso.carol_client.vault.decrypt_all(await contoso.carol_client.vault.sync())
        seen[:] = [item for item in items if item.name == "Router"]
        return bool(seen)

    await wait_for(carol_sees_router, what="Carol's sync to carry the Router item")
    router = seen[0]
    assert isinstance(router.content, Login)
    assert router.content.password == "s3cret-router"
    # API client → portal: an item of Carol's own, made with the Python client.
    await contoso.carol_client.vault.create_cipher(
        PlainCipher(name="Carol's bank", content=Login(username="carol", password="bank-pw"))
    )

    await page.get_by_role("button", name="Log out").click()
    page = await portal.log_in(contoso.carol, "/vault")
    await expect(page.get_by_role("heading", name=re.compile("^My vault"), level=1)).to_be_visible()
    items = page.get_by_role("table")
    await expect(items.get_by_role("button", name="Router", exact=True)).to_be_visible()
    await expect(items.get_by_role("button", name="Carol's bank", exact=True)).to_be_visible()
    await assert_accessible(page)
    await shot(page, "my-vault")

    filters = page.get_by_role("navigation", name="Vault filters")
    await filters.get_by_role("button", name="Servers", exact=True).click()
    await expect(items.get_by_role("button", name="Router", exact=True)).to_be_visible()
    await expect(items.get_by_role("button", name="Carol's bank", exact=True)).to_have_count(0)
    await shot(page, "my-vault-collection-filter")

    await items.get_by_role("button", name="Router", exact=True).click()
    view = page.get_by_role("dialog", name="Router")
    await expect(view.get_by_text("View only")).to_be_visible()
    await expect(view.get_by_role("button", name="Edit")).to_have_count(0)
    await expect(view.get_by_role("button", name="Delete")).to_have_count(0)
    await view.get_by_role("button", name="Show password").click()
    await expect(view.get_by_text("s3cret-router")).to_be_visible()
    await assert_accessible(page)
    await shot(page, "my-vault-read-only-item")
    portal.requests.assert_no_leak({"item password": "s3cret-router", "master password": contoso.carol.password})
    portal.problems.assert_clean()
