"""Account recovery and the organization's API key in a real browser (issue 14, in the portal of issue 9).

Carol, a member of Contoso enrolled in account recovery, forgets her master password. Bob, a Service User of
Contoso's provider, opens Contoso's Members page and recovers her account: the page reads her reset-password
details, opens the org private key with the org key, RSA-decrypts her user key and puts it under a master key made
from the new password with her KDF. Carol logs in with that password and the portal takes her to "Update master
password" before anything else; she chooses her own, logs in with it, and her personal and Contoso items decrypt.
Bob also views and rotates Contoso's API key in its Settings. The world (operator → Acme → Alice → Bob → Contoso →
Carol) is the demo's, built once for this module through the API; what is tested goes through the UI.
"""

from __future__ import annotations

import re
import ssl
import uuid
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from mspvault.client import ApiError
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import Connection, Person, log_in, wait_for
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, shot
from tests.conftest import OPERATOR_EMAIL

OPERATOR_PASSWORD = "operator-password-e2e"  # the e2e suite's operator: same system, same account
SINGLE_ORG, ACCOUNT_RECOVERY = 3, 8
WAIT_MS = 60_000  # key derivation (PBKDF2 600,000) takes seconds on a busy machine


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(system: System) -> AsyncIterator[DemoWorld]:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    options = DemoOptions(
        connection=connection,
        mail_dir=system.mail_dir,
        tag=uuid.uuid4().hex[:6],
        operator_email=OPERATOR_EMAIL,
        operator_password=OPERATOR_PASSWORD,
    )
    data = await DemoBuilder(options).build()
    # Contoso turns account recovery on and Carol enrols: her user key wrapped to Contoso's public key.
    async with await log_in(connection, data.bob) as bob, await log_in(connection, data.carol) as carol:
        for policy, body in ((SINGLE_ORG, None), (ACCOUNT_RECOVERY, {"autoEnrollEnabled": False})):
            await bob._request(
                "PUT", f"/api/organizations/{data.contoso_id}/policies/{policy}", json={"enabled": True, "data": body}
            )
        await carol.organizations.enroll_in_account_recovery(data.contoso_id)
    yield data


async def portal_log_in(portal: PortalSession, email: str, password: str, route: str = "") -> Page:
    page = portal.page
    # Straight to the login form with `next` (not through the guard's redirect, which could mount a fresh form
    # between two fills).
    await portal.open(f"/login?next={quote(route, safe='/')}" if route else "/login")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Master password", exact=True).fill(password)
    await page.get_by_role("button", name="Log in").click()
    return page


async def test_bob_recovers_carols_account_and_she_chooses_her_own_password(
    portal: PortalSession, world: DemoWorld, system: System
) -> None:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    async with await log_in(connection, world.carol) as carol:
        names = sorted({item.name for item in carol.vault.decrypt_all(await carol.vault.sync())})
    assert len(names) >= 2, names  # her personal item and Contoso's
    temporary = f"recovered by bob {uuid.uuid4().hex[:8]}"
    own = f"carol chose this one {uuid.uuid4().hex[:8]}"

    # Bob recovers Carol's account from Contoso's Members page.
    members = f"/organizations/{world.contoso_id}/members"
    page = await portal_log_in(portal, world.bob.email, world.bob.password, members)
    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible(timeout=WAIT_MS)
    carol_row = page.get_by_role("row").filter(has_text=world.carol.email)
    await expect(carol_row.get_by_text("Account recovery", exact=True)).to_be_visible()  # she enrolled
    await carol_row.get_by_role("button", name=re.compile("^Recover account")).click()
    dialog = page.get_by_role("dialog", name="Recover account")
    await dialog.get_by_label("New master password", exact=True).fill(temporary)
    await dialog.get_by_label("Confirm new master password").fill(temporary)
    await assert_accessible(page)
    await shot(page, "org-recover-account")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Recovered the account")).to_be_visible(timeout=WAIT_MS)
    await expect(dialog).to_be_hidden()
    # Members not enrolled (Bob is not a member; the owner never enrolled) offer no recovery.
    await expect(page.get_by_role("button", name=re.compile("^Recover account"))).to_have_count(1)
    portal.problems.assert_clean()
    await page.get_by_role("button", name="Log out").click()

    # Her forgotten password opens nothing; Bob's opens the portal at "Update master password" and nothing else.
    page = await portal_log_in(portal, world.carol.email, temporary, "/vault")
    await expect(page.get_by_role("heading", name="Update master password")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    await page.evaluate("() => { location.hash = '#/vault'; }")  # in the same page: the keys stay in memory
    await expect(page.get_by_role("heading", name="Update master password")).to_be_visible(timeout=WAIT_MS)
    await assert_accessible(page)
    await shot(page, "account-update-temp-password")
    await page.get_by_label("New master password", exact=True).fill(own)
    await page.get_by_label("Confirm new master password").fill(own)
    await page.get_by_role("button", name="Update master password").click()
    await expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=WAIT_MS)

    # Neither Bob's password nor her forgotten one opens her account; her own does, and everything decrypts.
    for stale in (temporary, world.carol.password):
        with pytest.raises(ApiError) as refused:
            await log_in(connection, Person(world.carol.name, world.carol.email, stale))
        assert refused.value.status == 400
    page = await portal_log_in(portal, world.carol.email, own, "/vault")
    await expect(page.get_by_role("heading", name=re.compile("^My vault"), level=1)).to_be_visible(timeout=WAIT_MS)
    items = page.get_by_role("table")
    for name in names:
        await expect(items.get_by_role("button", name=name, exact=True)).to_be_visible(timeout=WAIT_MS)
    await shot(page, "my-vault-after-recovery")
    portal.requests.assert_no_leak({"temporary password": temporary, "own password": own})
    portal.problems.assert_clean()


async def organization_token(system: System, org_id: str, secret: str) -> int:
    """The status of a `client_credentials` login as `organization.<id>` with `secret`."""
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=30) as http:
        form = {
            "grant_type": "client_credentials",
            "scope": "api.organization",
            "client_id": f"organization.{org_id}",
            "client_secret": secret,
        }
        return (await http.post("/identity/connect/token", data=form)).status_code


async def test_bob_views_and_rotates_contosos_api_key_in_its_settings(
    portal: PortalSession, world: DemoWorld, system: System
) -> None:
    page = await portal_log_in(
        portal, world.bob.email, world.bob.password, f"/organizations/{world.contoso_id}/settings"
    )
    await expect(page.get_by_role("heading", name="API key")).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_text(f"organization.{world.contoso_id}")).to_be_visible()
    await page.get_by_label("Your master password").fill("not bob's password at all")
    await page.get_by_role("button", name="View API key").click()
    await expect(page.get_by_role("alert")).to_contain_text("Invalid master password", timeout=WAIT_MS)
    await page.get_by_label("Your master password").fill(world.bob.password)
    await page.get_by_role("button", name="View API key").click()
    secret_field = page.get_by_label("client_secret")
    await expect(secret_field).to_have_value(re.compile(r"^[A-Za-z0-9]{30}$"), timeout=WAIT_MS)
    viewed = await secret_field.input_value()
    await assert_accessible(page)
    await shot(page, "org-settings-api-key")

    async def logs_in(secret: str) -> bool:
        return await organization_token(system, world.contoso_id, secret) == 200

    await wait_for(lambda: logs_in(viewed), what="the viewed key to log in as the organization", timeout=30)

    await page.get_by_role("button", name="Rotate API key").click()
    await expect(page.get_by_text("A new API key was made")).to_be_visible(timeout=WAIT_MS)
    rotated = await secret_field.input_value()
    assert rotated != viewed
    await wait_for(lambda: logs_in(rotated), what="the rotated key to log in", timeout=30)

    async def old_refused() -> bool:
        return await organization_token(system, world.contoso_id, viewed) == 400

    await wait_for(old_refused, what="the old key to be refused", timeout=30)
    portal.requests.assert_no_leak({"master password": world.bob.password})
    portal.problems.assert_clean()
