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
from pathlib import Path

import pytest_asyncio
from playwright.async_api import expect

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.crypto import public_key_of
from mspvault.client.fingerprint import fingerprint_phrase
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import Connection, Person, eventually, operator_session, sign_up, wait_for
from mspvault.client.providers import ClientPlanType, ProviderType
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, shot
from tests.conftest import OPERATOR_EMAIL

OPERATOR_PASSWORD = "operator-password-e2e"  # the e2e suite's operator: same system, same account


@dataclass
class Client:
    tag: str
    provider_name: str
    org_id: str
    org_name: str
    alice: Person
    carol: Person
    carol_client: MSPVaultClient


async def _operator(connection: Connection, mail_dir: Path) -> MSPVaultClient:
    """The e2e suite's operator (same system, same account), its email verified through the mail sink."""
    return await operator_session(connection, OPERATOR_EMAIL, OPERATOR_PASSWORD, mail_dir)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contoso(system: System) -> AsyncIterator[Client]:
    tag = uuid.uuid4().hex[:6]
    connection = Connection(system.gateway_url, ca=system.ca_path)
    alice = Person("Alice", f"alice.{tag}@acme.example", f"alice-{uuid.uuid4().hex}")
    carol = Person("Carol", f"carol.{tag}@contoso.example", f"carol-{uuid.uuid4().hex}")
    provider_name = f"Acme {tag}"
    operator = await _operator(connection, system.mail_dir)
    try:
        await operator.providers.open(name=provider_name, owner_email=alice.email, provider_type=ProviderType.MSP)
    finally:
        await operator.aclose()
    invitation = await wait_for_invitation(system.mail_dir, alice.email, InviteKind.PROVIDER, timeout=30)
    alice_client = await sign_up(connection, alice)
    carol_client = await sign_up(connection, carol)
    try:
        await alice_client.providers.setup(
            invitation.provider_id, token=invitation.token, name=provider_name, billing_email=alice.email
        )
        await alice_client.vault.sync()  # the profile now carries Alice's provider key
        org_name = f"Contoso {tag}"
        created = await eventually(
            lambda: alice_client.providers.create_client(
                invitation.provider_id,
                name=org_name,
                owner_email=f"it.{tag}@contoso.example",
                plan_type=ClientPlanType.ENTERPRISE_MONTHLY,
                seats=5,
            )
        )
        assert created.organization_id
        yield Client(tag, provider_name, created.organization_id, org_name, alice, carol, carol_client)
    finally:
        await alice_client.aclose()
        await carol_client.aclose()


async def test_a_provider_admin_runs_a_client_org_and_its_member_sees_the_item_in_my_vault(
    portal: PortalSession, contoso: Client, system: System
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
    session = contoso.carol_client.session
    expected = fingerprint_phrase(session.user_id, public_key_of(session.private_key))
    await expect(dialog.get_by_text(expected)).to_be_visible()
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
