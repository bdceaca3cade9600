"""The organization admin console and the provider's People page in a real browser (issue 9 §3–§4): groups with
members and collection access, policies turned on and listed as on, the event log in sentences with a date range,
a member's role changed to Custom with permissions, revoked, restored and removed, and two provider users confirmed
at once.

Alice, a Provider Admin, works in a client organization (Contoso) from the portal; the provider, the client, its
"Servers" collection and its members (Carol, Dan, Erin) are set up through the API, as `mspvault demo` does. What each
test checks through the UI it also checks through the API or a member's own client where it can: the group really
gives Carol the collection, the policy really revokes a member without two-step login, the confirmed provider users
really hold the provider key. One system for the module; each test works on members of its own.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from mspvault.client import MSPVaultClient
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import Person, eventually, join_organization, sign_up
from mspvault.client.providers import ProviderUserType
from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, assert_keyboard_reachable, fingerprint_of, shot
from tests.browser.worlds import ProviderWithClient, provider_with_client

WAIT_MS = 60_000  # a page chunk, key wrapping or an audit entry can take seconds on a busy machine
REVOKED = -1


@dataclass
class Contoso(ProviderWithClient):
    servers_id: str
    members: dict[str, tuple[Person, MSPVaultClient, str]]  # name -> (person, their client, org-user id)


async def until(check: Callable[[], Awaitable[bool]], *, what: str, timeout: float = 120.0) -> None:  # noqa: ASYNC109
    """Run `check` (which may act on the page, e.g. press Update) until it holds; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout:g}s waiting for {what}")
        await asyncio.sleep(0.5)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contoso(system: System) -> AsyncIterator[Contoso]:
    async with provider_with_client(system, seats=10) as world:
        alice_client, org_id = world.alice_client, world.org_id
        clients: list[MSPVaultClient] = []
        try:
            servers = await eventually(lambda: alice_client.organizations.create_collection(org_id, "Servers"))
            members: dict[str, tuple[Person, MSPVaultClient, str]] = {}
            for name in ("Carol", "Dan", "Erin"):
                person = Person(
                    name, f"{name.lower()}.{world.tag}@contoso.example", f"{name.lower()}-{uuid.uuid4().hex}"
                )
                client = await sign_up(world.connection, person)
                clients.append(client)
                member_id = await join_organization(alice_client, client, org_id, person.email, system.mail_dir)
                members[name] = (person, client, member_id)
            yield Contoso(**vars(world), servers_id=servers.id, members=members)
        finally:
            for client in clients:
                await client.aclose()


async def open_area(page: Page, contoso: Contoso, area: str) -> None:
    """A console area by its link (a reload would lock the session), then wait for its heading."""
    console = page.get_by_role("navigation", name=f"{contoso.org_name} admin console")
    await console.get_by_role("link", name=area, exact=True).click()
    await expect(page.get_by_role("heading", name=area, level=2)).to_be_visible(timeout=WAIT_MS)


async def check_page(page: Page) -> None:
    await assert_accessible(page)
    await assert_keyboard_reachable(page)


async def test_a_group_gives_its_members_collection_access(portal: PortalSession, contoso: Contoso) -> None:
    carol, carol_client, _ = contoso.members["Carol"]
    page = await portal.log_in(contoso.alice, f"/organizations/{contoso.org_id}/groups")
    await expect(page.get_by_role("heading", name="Groups", level=2)).to_be_visible(timeout=WAIT_MS)
    await expect(page.get_by_text(f"{contoso.org_name} has no groups yet.")).to_be_visible(timeout=WAIT_MS)
    await check_page(page)

    await page.get_by_role("button", name="New group").click()
    dialog = page.get_by_role("dialog", name="New group")
    await dialog.get_by_label("Name", exact=True).fill("Ops")
    await dialog.get_by_role("tab", name="Members").click()
    await dialog.get_by_label(re.compile(f"^Member: Carol .*{re.escape(carol.email)}")).check()
    await dialog.get_by_role("tab", name="Collections").click()
    await dialog.get_by_label("Access: Servers").select_option(label="Can edit")
    await check_page(page)
    await shot(page, "org-groups-new")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()

    row = page.get_by_role("row").filter(has=page.get_by_role("button", name="Ops", exact=True))
    await expect(row.get_by_role("cell").nth(1)).to_have_text("1")
    await expect(row).to_contain_text("Servers (Can edit)")
    await check_page(page)
    await shot(page, "org-groups")

    # Opened again, the group shows what the server kept.
    await row.get_by_role("button", name="Ops", exact=True).click()
    edit = page.get_by_role("dialog", name="Edit group Ops")
    await edit.get_by_role("tab", name="Members").click()
    await expect(edit.get_by_label(re.compile(f"^Member: Carol .*{re.escape(carol.email)}"))).to_be_checked()
    await expect(edit.get_by_label(re.compile("^Member: Dan "))).not_to_be_checked()
    await edit.get_by_role("tab", name="Collections").click()
    await expect(edit.get_by_label("Access: Servers")).to_have_value("edit")
    await edit.get_by_role("button", name="Cancel").click()
    await expect(edit).to_be_hidden()

    # Carol, in no collection of her own, now reaches Servers through the group, and may write to it.
    async def carol_reaches_servers() -> bool:
        sync = await carol_client.vault.sync()
        return any(c["id"] == contoso.servers_id and c["readOnly"] is False for c in sync.get("collections") or [])

    await until(carol_reaches_servers, what="Carol's sync to carry Servers through the Ops group")
    portal.problems.assert_clean()


async def test_a_member_is_made_custom_then_revoked_restored_and_removed(
    portal: PortalSession, contoso: Contoso
) -> None:
    dan, _, dan_id = contoso.members["Dan"]
    page = await portal.log_in(contoso.alice, f"/organizations/{contoso.org_id}/members")
    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible(timeout=WAIT_MS)
    row = page.get_by_role("row").filter(has_text=dan.email)
    await expect(row).to_contain_text("User")

    await row.get_by_role("button", name="Dan", exact=True).click()
    dialog = page.get_by_role("dialog", name="Edit member Dan")
    await dialog.get_by_label(re.compile("^Custom")).check()
    await dialog.get_by_label("Manage groups").check()
    await dialog.get_by_label("Access event logs").check()
    await dialog.get_by_role("tab", name="Collections").click()
    await dialog.get_by_label("Access: Servers").select_option(label="Can view, except passwords")
    await check_page(page)
    await shot(page, "org-member-custom")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status").filter(has_text="Saved Dan.")).to_be_visible()
    await expect(row.get_by_role("cell").nth(2)).to_have_text("Custom")
    await expect(row).to_contain_text("1 collection")

    saved = await contoso.alice_client.organizations.get_member(contoso.org_id, dan_id)
    assert saved["type"] == 4
    granted = {name for name, on in (saved.get("permissions") or {}).items() if on}
    assert granted == {"manageGroups", "accessEventLogs"}

    await row.get_by_role("button", name="Revoke access: Dan").click()
    confirm = page.get_by_role("dialog", name="Revoke access")
    await expect(confirm).to_contain_text("Revoke access for Dan?")
    await check_page(page)
    await confirm.get_by_role("button", name="Revoke access").click()
    await expect(confirm).to_be_hidden()
    await expect(row).to_contain_text("Revoked")
    assert (await contoso.alice_client.organizations.get_member(contoso.org_id, dan_id))["status"] == REVOKED
    await shot(page, "org-member-revoked")

    await page.get_by_role("button", name=re.compile(r"^Revoked \(")).click()
    await expect(page.get_by_role("row").filter(has_text=contoso.members["Carol"][0].email)).to_have_count(0)
    await expect(row).to_be_visible()
    await page.get_by_role("button", name=re.compile(r"^All \(")).click()

    await row.get_by_role("button", name="Restore access: Dan").click()
    confirm = page.get_by_role("dialog", name="Restore access")
    await confirm.get_by_role("button", name="Restore access").click()
    await expect(confirm).to_be_hidden()
    await expect(row).not_to_contain_text("Revoked")
    await expect(row.get_by_role("button", name="Revoke access: Dan")).to_be_visible()

    await row.get_by_role("button", name="Remove: Dan").click()
    confirm = page.get_by_role("dialog", name="Remove")
    await confirm.get_by_role("button", name="Remove").click()
    await expect(confirm).to_be_hidden()
    await expect(row).to_have_count(0)
    listed = await contoso.alice_client.organizations.list_members(contoso.org_id)
    assert dan_id not in {m["id"] for m in listed}
    await check_page(page)
    portal.problems.assert_clean()


async def test_policies_turned_on_are_listed_as_on_and_two_step_revokes_erin(
    portal: PortalSession, contoso: Contoso
) -> None:
    erin, _, erin_id = contoso.members["Erin"]
    page = await portal.log_in(contoso.alice, f"/organizations/{contoso.org_id}/policies")
    await expect(page.get_by_role("heading", name="Policies", level=2)).to_be_visible(timeout=WAIT_MS)
    policies = page.locator(".policy-list > li")

    def entry(name: str) -> Locator:
        return policies.filter(has=page.get_by_role("button", name=name, exact=True))

    await expect(entry("Single organization")).to_be_visible(timeout=WAIT_MS)
    await expect(policies.get_by_text("On", exact=True)).to_have_count(0)
    await check_page(page)

    await entry("Master password requirements").get_by_role("button").click()
    dialog = page.get_by_role("dialog", name="Edit policy Master password requirements")
    await dialog.get_by_label("Turn on").check()
    await dialog.get_by_label("Minimum length").fill("14")
    await dialog.get_by_label("Require uppercase (A-Z)").check()
    await dialog.get_by_label("Require numbers (0-9)").check()
    await check_page(page)
    await shot(page, "org-policy-master-password")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(entry("Master password requirements").get_by_text("On", exact=True)).to_be_visible()

    for name in ("Single organization", "Require two-step login"):
        await entry(name).get_by_role("button").click()
        dialog = page.get_by_role("dialog", name=f"Edit policy {name}")
        await dialog.get_by_label("Turn on").check()
        await dialog.get_by_role("button", name="Save").click()
        await expect(dialog).to_be_hidden()
        await expect(entry(name).get_by_text("On", exact=True)).to_be_visible()
    await expect(policies.get_by_text("On", exact=True)).to_have_count(3)
    await check_page(page)
    await shot(page, "org-policies")

    # Away and back: the list is what the server kept, the settings too.
    await open_area(page, contoso, "Members")
    await open_area(page, contoso, "Policies")
    await expect(policies.get_by_text("On", exact=True)).to_have_count(3, timeout=WAIT_MS)
    for name in ("Master password requirements", "Single organization", "Require two-step login"):
        await expect(entry(name).get_by_text("On", exact=True)).to_be_visible()
    await entry("Master password requirements").get_by_role("button").click()
    dialog = page.get_by_role("dialog", name="Edit policy Master password requirements")
    await expect(dialog.get_by_label("Minimum length")).to_have_value("14")
    await expect(dialog.get_by_label("Require uppercase (A-Z)")).to_be_checked()
    await expect(dialog.get_by_label("Require lowercase (a-z)")).not_to_be_checked()
    await dialog.get_by_role("button", name="Cancel").click()

    # Erin has no two-step login: the policy revoked her, and the members page says so.
    assert (await contoso.alice_client.organizations.get_member(contoso.org_id, erin_id))["status"] == REVOKED
    await open_area(page, contoso, "Members")
    await expect(page.get_by_role("row").filter(has_text=erin.email)).to_contain_text("Revoked")

    # The event log names each policy change in words.
    await open_area(page, contoso, "Event logs")
    changed = page.get_by_role("row").filter(has_text="changed policy Require two-step login")

    async def logged() -> bool:
        if await changed.count() == 0:
            await page.get_by_role("button", name="Update").click()
        return await changed.count() > 0

    await until(logged, what="the policy change in the organization's event log")
    for policy in ("Single organization", "Master password requirements"):
        await expect(page.get_by_role("row").filter(has_text=f"changed policy {policy}")).to_have_count(1)
    await expect(page.get_by_role("row").filter(has_text="revoked the access of member Erin")).to_have_count(1)
    portal.problems.assert_clean()


async def test_the_event_log_reads_in_sentences_within_a_date_range(portal: PortalSession, contoso: Contoso) -> None:
    page = await portal.log_in(contoso.alice, f"/organizations/{contoso.org_id}/events")
    await expect(page.get_by_role("heading", name="Event logs", level=2)).to_be_visible(timeout=WAIT_MS)
    rows = page.get_by_role("row")
    sentences = {
        "invited member Carol": rows.filter(has_text="invited member Carol"),
        "confirmed member Carol": rows.filter(has_text="confirmed member Carol"),
        "created collection Servers": rows.filter(has_text="created collection Servers"),
    }

    async def all_logged() -> bool:
        counts = [await row.count() for row in sentences.values()]
        if 0 in counts:
            await page.get_by_role("button", name="Update").click()
        return 0 not in counts

    await until(all_logged, what="the setup's invitations, confirmations and collection in the log")
    # The member column names the one who acted: Alice, through her provider.
    await expect(sentences["confirmed member Carol"].first.get_by_role("cell").nth(2)).to_contain_text("Alice")
    await check_page(page)
    await shot(page, "org-events")

    # A window in the past holds none of it; the default window again shows it all.
    since, to = page.get_by_label("From", exact=True), page.get_by_label("To", exact=True)
    default_start, default_end = await since.input_value(), await to.input_value()
    await since.fill("2020-01-01T00:00")
    await to.fill("2020-01-31T23:59")
    await page.get_by_role("button", name="Update").click()
    await expect(page.get_by_text("No events in this period.")).to_be_visible(timeout=WAIT_MS)
    await expect(rows.filter(has_text="invited member Carol")).to_have_count(0)
    await shot(page, "org-events-empty-range")
    await since.fill(default_start)
    await to.fill(default_end)
    await page.get_by_role("button", name="Update").click()
    await expect(sentences["created collection Servers"].first).to_be_visible(timeout=WAIT_MS)

    # A start after the end is refused in the page, with a message.
    await since.fill("2026-01-02T00:00")
    await to.fill("2026-01-01T00:00")
    await page.get_by_role("button", name="Update").click()
    await expect(page.get_by_role("alert")).to_have_text("The start date must be before the end date.")
    portal.problems.assert_clean()


async def test_a_provider_admin_confirms_two_people_at_once(
    portal: PortalSession, system: System, contoso: Contoso
) -> None:
    people = [
        Person(name, f"{name.lower()}.{contoso.tag}@acme.example", f"{name.lower()}-{uuid.uuid4().hex}")
        for name in ("Grace", "Heidi")
    ]
    their_clients = [await sign_up(contoso.connection, person) for person in people]
    try:
        await contoso.alice_client.providers.invite_users(
            contoso.provider_id, [p.email for p in people], ProviderUserType.SERVICE_USER
        )
        for person, client in zip(people, their_clients, strict=True):
            invitation = await wait_for_invitation(system.mail_dir, person.email, InviteKind.PROVIDER, timeout=30)
            await client.providers.accept_invite(contoso.provider_id, invitation.membership_id, invitation.token)

        page = await portal.log_in(contoso.alice, f"/providers/{contoso.provider_id}/manage/people")
        await expect(page.get_by_role("heading", name="People", level=1)).to_be_visible(timeout=WAIT_MS)
        rows = [page.get_by_role("row").filter(has_text=p.email) for p in people]
        for row in rows:
            await expect(row).to_contain_text("Needs confirmation")
        await page.get_by_role("button", name="Show them").click()
        await page.get_by_role("checkbox", name="Select everyone shown").check()
        bulk = page.get_by_role("group", name="With the selected people")
        await expect(bulk).to_contain_text("2 selected")
        await check_page(page)
        await bulk.get_by_role("button", name="Confirm selected").click()

        dialog = page.get_by_role("dialog", name=re.compile("^Confirm"))
        for person, client in zip(people, their_clients, strict=True):
            await expect(dialog.get_by_role("row").filter(has_text=person.name)).to_contain_text(fingerprint_of(client))
        await check_page(page)
        await shot(page, "provider-people-bulk-confirm")
        await dialog.get_by_role("button", name=re.compile("^Confirm")).click()
        await expect(dialog).to_be_hidden()
        await page.get_by_role("button", name=re.compile("^All")).click()
        for row in rows:
            await expect(row).not_to_contain_text("Needs confirmation")

        # Each now holds the provider key the page wrapped to their public key.
        provider_key = contoso.alice_client.session.provider_key(contoso.provider_id).to_bytes()
        for client in their_clients:
            await client.vault.sync()
            assert client.session.provider_key(contoso.provider_id).to_bytes() == provider_key
    finally:
        for client in their_clients:
            await client.aclose()
    portal.problems.assert_clean()
