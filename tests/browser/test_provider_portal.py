"""The Provider Portal in a real browser: a Provider Admin creates a client (its keys made in the page), sees it
listed and finds it by search; a Service User of the same provider sees Clients only, and the People and Settings
URLs give them the not-found page. Alice's Python client then opens the new client's org key through the provider
key, so the browser's key wrapping is the one the API clients read.

The provider, Alice (Provider Admin) and Bob (Service User) are set up through the API, as `mspvault demo` does;
only what this file tests goes through the UI.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
from playwright.async_api import expect

from mspvault.client import MSPVaultClient
from mspvault.client.crypto import public_key_of
from mspvault.client.fingerprint import fingerprint_phrase
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import Connection, Person, eventually, join_provider, operator_session, sign_up
from mspvault.client.providers import ClientPlanType, ProviderType, ProviderUserType
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, shot
from tests.conftest import OPERATOR_EMAIL

OPERATOR_PASSWORD = "operator-password-e2e"  # the e2e suite's operator: same system, same account


@dataclass
class Acme:
    provider_id: str
    tag: str
    alice: Person
    bob: Person
    alice_client: MSPVaultClient
    connection: Connection


async def _operator(connection: Connection, mail_dir: Path) -> MSPVaultClient:
    """The e2e suite's operator (same system, same account), its email verified through the mail sink."""
    return await operator_session(connection, OPERATOR_EMAIL, OPERATOR_PASSWORD, mail_dir)


async def until(check: Callable[[], Awaitable[bool]], *, what: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Run `check` (which may act on the page, e.g. press Refresh) until it holds; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout:g}s waiting for {what}")
        await asyncio.sleep(0.5)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def acme(system: System) -> AsyncIterator[Acme]:
    tag = uuid.uuid4().hex[:6]
    connection = Connection(system.gateway_url, ca=system.ca_path)
    alice = Person("Alice", f"alice.{tag}@acme.example", f"alice-{uuid.uuid4().hex}")
    bob = Person("Bob", f"bob.{tag}@acme.example", f"bob-{uuid.uuid4().hex}")
    operator = await _operator(connection, system.mail_dir)
    try:
        await operator.providers.open(name=f"Acme {tag}", owner_email=alice.email, provider_type=ProviderType.MSP)
    finally:
        await operator.aclose()
    invitation = await wait_for_invitation(system.mail_dir, alice.email, InviteKind.PROVIDER, timeout=30)
    alice_client = await sign_up(connection, alice)
    provider_id = invitation.provider_id
    await alice_client.providers.setup(
        provider_id, token=invitation.token, name=f"Acme {tag}", billing_email=alice.email
    )
    bob_client = await sign_up(connection, bob)
    try:
        await join_provider(
            alice_client, bob_client, provider_id, bob.email, ProviderUserType.SERVICE_USER, system.mail_dir
        )
    finally:
        await bob_client.aclose()
    await alice_client.vault.sync()  # the profile now carries Alice's provider key
    for name in ("Fabrikam", "Northwind Traders"):
        await eventually(functools.partial(create_client, alice_client, provider_id, f"{name} {tag}", tag))
    yield Acme(provider_id, tag, alice, bob, alice_client, connection)
    await alice_client.aclose()


async def create_client(client: MSPVaultClient, provider_id: str, name: str, tag: str) -> object:
    owner_email = f"owner.{tag}@{name.split()[0].lower()}.example"
    return await client.providers.create_client(
        provider_id, name=name, owner_email=owner_email, plan_type=ClientPlanType.TEAMS_MONTHLY, seats=3
    )


async def test_a_provider_admin_creates_a_client_sees_it_listed_and_finds_it(portal: PortalSession, acme: Acme) -> None:
    clients = f"/providers/{acme.provider_id}/clients"
    page = await portal.log_in(acme.alice, clients)
    await expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible()
    table = page.get_by_role("table")
    await expect(table.get_by_role("link", name=f"Fabrikam {acme.tag}")).to_be_visible()
    nav = page.get_by_role("navigation", name="Provider")
    for link in ("Clients", "People", "Event logs", "Settings"):
        await expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    await assert_accessible(page)
    await shot(page, "provider-clients")

    contoso = f"Contoso {acme.tag}"
    await page.get_by_role("button", name="New client").click()
    dialog = page.get_by_role("dialog", name="New client")
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("Enterprise").check()
    await dialog.get_by_label("Organization name").fill(contoso)
    await dialog.get_by_label("Client owner email").fill(f"it.{acme.tag}@contoso.example")
    await dialog.get_by_label("Seats").fill("7")
    await assert_accessible(page)
    await shot(page, "provider-new-client")
    await dialog.get_by_role("button", name="Create client").click()
    await expect(dialog).to_be_hidden()

    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=contoso))
    await expect(row).to_be_visible()
    await expect(row).to_contain_text("Enterprise")
    await expect(row).to_contain_text("/ 7")

    search = page.get_by_role("searchbox", name="Search clients")
    await search.fill(f"CONTOSO {acme.tag}".upper())
    await expect(table.get_by_role("link", name=contoso)).to_be_visible()
    await expect(table.get_by_role("link", name=f"Fabrikam {acme.tag}")).to_have_count(0)
    await search.fill("northwind")
    await expect(table.get_by_role("link", name=re.compile("^Northwind Traders"))).to_be_visible()
    await expect(table.get_by_role("link", name=contoso)).to_have_count(0)
    await shot(page, "provider-clients-search")

    await search.fill("")
    fabrikam = f"Fabrikam {acme.tag}"
    await page.get_by_role("button", name=f"Edit {fabrikam}").click()
    edit = page.get_by_role("dialog", name=f"Edit {fabrikam}")
    await edit.get_by_label("Seats").fill("5")
    await edit.get_by_role("button", name="Save").click()
    await expect(edit).to_be_hidden()
    await expect(table.get_by_role("row").filter(has=page.get_by_role("link", name=fabrikam))).to_contain_text("/ 5")

    # The org key the page wrapped with the provider key opens in the Python client.
    listed = await acme.alice_client.providers.list_clients(acme.provider_id)
    made = next(link for link in listed if link["organizationName"] == contoso)
    assert acme.alice_client.session.org_key(str(made["organizationId"])).to_bytes()
    portal.problems.assert_clean()


async def test_a_service_user_sees_clients_only_and_not_found_for_people_and_settings(
    portal: PortalSession, acme: Acme
) -> None:
    base = f"/providers/{acme.provider_id}"
    page = await portal.log_in(acme.bob, f"{base}/clients")
    await expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Provider")
    await expect(nav.get_by_role("link", name="Clients", exact=True)).to_be_visible()
    for hidden in ("People", "Event logs", "Settings"):
        await expect(nav.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    await shot(page, "provider-clients-service-user")

    for route in ("manage/people", "settings", "manage/events"):
        await portal.open(f"{base}/{route}")
        await expect(page.get_by_role("heading", name=re.compile("not found", re.IGNORECASE))).to_be_visible()
    await assert_accessible(page)
    portal.problems.assert_clean()


async def test_a_provider_admin_invites_and_confirms_with_the_fingerprint_phrase_then_reads_the_logs(
    portal: PortalSession, system: System, acme: Acme
) -> None:
    base = f"/providers/{acme.provider_id}"
    erin = Person("Erin", f"erin.{acme.tag}@acme.example", f"erin-{uuid.uuid4().hex}")
    erin_client = await sign_up(acme.connection, erin)
    try:
        page = await portal.log_in(acme.alice, f"{base}/manage/people")
        await expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
        await page.get_by_role("button", name="Invite people").click()
        dialog = page.get_by_role("dialog", name="Invite people")
        await dialog.get_by_label("Email addresses").fill(erin.email.upper())
        await expect(dialog.get_by_label("Service user")).to_be_checked()
        await assert_accessible(page)
        await dialog.get_by_role("button", name="Invite", exact=True).click()
        await expect(dialog).to_be_hidden()
        erin_row = page.get_by_role("row").filter(has_text=erin.email)
        await expect(erin_row).to_contain_text("Invited")

        invitation = await wait_for_invitation(system.mail_dir, erin.email, InviteKind.PROVIDER, timeout=30)
        await erin_client.providers.accept_invite(acme.provider_id, invitation.membership_id, invitation.token)
        nav = page.get_by_role("navigation", name="Provider")
        await nav.get_by_role("link", name="Clients").click()  # a reload would lock the session: navigate instead
        await expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible()
        await nav.get_by_role("link", name="People").click()
        await expect(erin_row).to_contain_text("Needs confirmation")
        await assert_accessible(page)
        await shot(page, "provider-people")

        await erin_row.get_by_role("button", name=re.compile("^Confirm ")).click()
        confirm = page.get_by_role("dialog", name=re.compile("^Confirm "))
        session = erin_client.session
        expected = fingerprint_phrase(session.user_id, public_key_of(session.private_key))
        await expect(confirm.locator("code")).to_have_text(expected)
        await assert_accessible(page)
        await shot(page, "provider-confirm-fingerprint")
        await confirm.get_by_role("button", name="Confirm", exact=True).click()
        await expect(confirm).to_be_hidden()
        await expect(erin_row).not_to_contain_text("Needs confirmation")

        # Erin now holds the provider key the page wrapped to her public key.
        await erin_client.vault.sync()
        provider_key = acme.alice_client.session.provider_key(acme.provider_id)
        assert erin_client.session.provider_key(acme.provider_id).to_bytes() == provider_key.to_bytes()
    finally:
        await erin_client.aclose()

    await page.get_by_role("navigation", name="Provider").get_by_role("link", name="Event logs").click()
    await expect(page.get_by_role("heading", name="Event logs", level=1)).to_be_visible()
    table = page.get_by_role("table")
    confirmed = table.get_by_role("row").filter(has_text=re.compile(r"^.*confirmed provider user (Erin|erin)"))

    async def confirmation_logged() -> bool:
        if await confirmed.count() == 0:
            await page.get_by_role("button", name="Refresh").click()
        return await confirmed.count() > 0

    await until(confirmation_logged, what="the confirmation in the provider's log")
    await expect(confirmed.first).to_contain_text("Alice")
    await assert_accessible(page)
    await shot(page, "provider-events")

    await page.get_by_role("button", name="All clients").click()
    invited = table.get_by_role("row").filter(
        has_text=re.compile(r"invited member .* in (Fabrikam|Northwind Traders) ")
    )

    async def client_events_logged() -> bool:
        if await invited.count() == 0:
            await page.get_by_role("button", name="Refresh").click()
        return await invited.count() > 0

    await until(client_events_logged, what="the client owners' invitations in the combined client log")
    # The clients' collection names are EncStrings: the page decrypts them with each org key it opens.
    default_collection = table.get_by_role("row").filter(
        has_text=re.compile(r"created collection Default collection in ")
    )
    await expect(default_collection.first).to_be_visible(timeout=15_000)
    await shot(page, "provider-events-clients")

    await page.get_by_role("navigation", name="Provider").get_by_role("link", name="Settings").click()
    await page.get_by_label("Business name").fill(f"Acme Managed Services {acme.tag}")
    await assert_accessible(page)
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Provider settings saved.")).to_be_visible()
    saved = await acme.alice_client.providers.get(acme.provider_id)
    assert saved["businessName"] == f"Acme Managed Services {acme.tag}"
    portal.problems.assert_clean()
