"""The account pages in a real browser against the running system: create an account (keys made in the page),
lock and unlock, a reload that asks for the master password again, log out and log in; and the first Provider
Admin arriving from the operator's mail link, creating the account there and setting the provider up (its key
made in the page), then Bob accepting his provider invitation from his mail link.

No master password leaves the browser: every request of each test is checked for it.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.async_api import Page, expect

from mspvault.client import MSPVaultClient
from mspvault.client.mailbox import InviteKind
from mspvault.client.onboarding import Connection, operator_session
from mspvault.client.providers import ProviderType, ProviderUserType
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, invite_link, shot
from tests.conftest import OPERATOR_EMAIL

OPERATOR_PASSWORD = "operator-password-e2e"  # the e2e suite's operator: same system, same account
WAIT_MS = 60_000  # steps that derive keys (PBKDF2 600,000, RSA) or load a page chunk take seconds on a busy machine


async def _operator(connection: Connection, mail_dir: Path) -> MSPVaultClient:
    """The e2e suite's operator (same system, same account), its email verified through the mail sink."""
    return await operator_session(connection, OPERATOR_EMAIL, OPERATOR_PASSWORD, mail_dir)


async def _create_account(page: Page, *, name: str, password: str, email: str | None = None) -> None:
    """Fill the create-account form (the email may be prefilled from an invitation) and submit it."""
    await expect(page.get_by_role("heading", name="Create account")).to_be_visible(timeout=WAIT_MS)
    if email is not None:
        await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Master password", exact=True).fill(password)
    await expect(page.locator(".ui-strength-label")).to_have_text("Strong")
    await page.get_by_label("Confirm master password").fill(password)
    await page.get_by_role("button", name="Create account").click()


async def test_create_lock_unlock_reload_log_out_and_log_in(portal: PortalSession) -> None:
    page = portal.page
    email = f"erin.{uuid.uuid4().hex[:8]}@example.test"
    password = f"erin correct horse {uuid.uuid4().hex[:6]}"

    await portal.open("/register")
    await assert_accessible(page)
    await shot(page, "account-1-create")
    await _create_account(page, name="Erin", password=password, email=email)
    await expect(page).to_have_url(re.compile(r"#/vault$"), timeout=WAIT_MS)
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_text("Erin", exact=True)).to_be_visible(timeout=WAIT_MS)

    await page.get_by_role("button", name="Lock").click()
    await expect(page.get_by_role("heading", name="Your vault is locked")).to_be_visible(timeout=WAIT_MS)
    await assert_accessible(page)
    await shot(page, "account-2-unlock")
    await page.get_by_label("Master password").fill("not the password")
    await page.get_by_role("button", name="Unlock").click()
    await expect(page.get_by_role("alert")).to_have_text("Invalid master password.", timeout=WAIT_MS)
    await page.get_by_label("Master password").fill(password)
    await page.get_by_role("button", name="Unlock").click()
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=WAIT_MS)

    await page.reload()  # keys were in memory only: the reload locks
    await expect(page.get_by_role("heading", name="Your vault is locked")).to_be_visible(timeout=WAIT_MS)
    await page.get_by_label("Master password").fill(password)
    await page.get_by_role("button", name="Unlock").click()
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=WAIT_MS)
    stored = await page.evaluate("JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")
    assert password not in stored

    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=WAIT_MS)
    assert await page.evaluate("sessionStorage.length") == 0
    await assert_accessible(page)
    await shot(page, "account-3-log-in")
    await page.get_by_label("Email address").fill(email.upper())
    await page.get_by_label("Master password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=WAIT_MS)

    portal.requests.assert_no_leak({"master password": password})
    portal.problems.assert_clean()


async def test_first_admin_sets_up_the_provider_and_bob_accepts_from_the_mail(portal: PortalSession) -> None:
    system, page = portal.system, portal.page
    tag = uuid.uuid4().hex[:6]
    alice_email, alice_password = f"alice.{tag}@acme.example", f"alice master {uuid.uuid4().hex}"
    bob_email = f"bob.{tag}@acme.example"
    connection = Connection(system.gateway_url, ca=system.ca_path)
    operator = await _operator(connection, system.mail_dir)
    try:
        await operator.providers.open(name=f"Acme {tag}", owner_email=alice_email, provider_type=ProviderType.MSP)
    finally:
        await operator.aclose()

    link = await invite_link(system, alice_email, InviteKind.PROVIDER)
    assert "#/providers/setup?" in link
    await page.goto(link)
    await expect(page.get_by_role("heading", name="Set up your provider")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_text(f"the provider Acme {tag}")).to_be_visible(timeout=WAIT_MS)
    await assert_accessible(page)
    await shot(page, "account-4-provider-setup-invitation")
    await page.get_by_role("link", name="Create account").click()
    await expect(page.get_by_label("Email address")).to_have_value(alice_email)
    await _create_account(page, name="Alice", password=alice_password)

    await expect(page.get_by_role("heading", name="Set up your provider")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_label("Provider name")).to_have_value(f"Acme {tag}")
    await page.get_by_role("button", name="Set up provider").click()
    await expect(page).to_have_url(re.compile(r"#/providers/[0-9a-f-]{36}(/clients)?$"), timeout=WAIT_MS)
    await expect(page.get_by_role("link", name="Provider Portal")).to_be_visible(timeout=WAIT_MS)
    provider_id = link.split("providerId=")[1].split("&")[0]

    # Alice invites Bob through the API; Bob opens his mail link in a fresh browser context of his own.
    alice = connection.client()
    try:
        await alice.login(alice_email, alice_password)
        await alice.providers.invite_users(provider_id, [bob_email], ProviderUserType.SERVICE_USER)
    finally:
        await alice.aclose()
    bob_link = await invite_link(system, bob_email, InviteKind.PROVIDER)
    assert "#/providers/accept-provider?" in bob_link
    await page.get_by_role("button", name="Log out").click()
    await page.goto(bob_link)
    await expect(page.get_by_role("heading", name="Join provider")).to_be_visible(timeout=WAIT_MS)
    await page.get_by_role("link", name="Create account").click()
    bob_password = f"bob master {uuid.uuid4().hex}"
    await _create_account(page, name="Bob", password=bob_password)
    await expect(page.get_by_role("button", name="Accept invitation")).to_be_visible(timeout=WAIT_MS)
    await page.get_by_role("button", name="Accept invitation").click()
    await expect(page.get_by_text("You have accepted the invitation.")).to_be_visible(timeout=WAIT_MS)
    await shot(page, "account-5-provider-invitation-accepted")

    alice = connection.client()
    try:
        await alice.login(alice_email, alice_password)
        users = await alice.providers.list_users(provider_id)
    finally:
        await alice.aclose()
    assert {(u["email"], u["status"]) for u in users} == {(alice_email, 2), (bob_email, 1)}
    portal.requests.assert_no_leak({"Alice's master password": alice_password, "Bob's master password": bob_password})
    portal.problems.assert_clean()
