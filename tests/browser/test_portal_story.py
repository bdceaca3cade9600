"""DESIGN.md §5 through the portal's UI, in one Chromium per person (issue 9, "Tests").

Only the platform operator works through the API (as tests/e2e does: `POST /api/admin/providers` mails Alice her
invitation). Everything else is clicks and keys in the pages: Alice creates her account from the mail link and sets
up Acme MSP, invites Bob from People; Bob creates his account from his link and accepts; Alice confirms him after
comparing his fingerprint phrase; Bob creates the client Contoso; … Dave, an outsider with his own account, gets the
not-found page for everything of theirs. Every page visited is screenshotted (test-artifacts/portal/), checked by
axe (no serious or critical violation) and tabbed through (every control reachable by keyboard). At the end, no
request any of these browsers made carried a master password, a key or a plaintext item field.

The steps are tests run in file order over module-scoped state (one system, one browser, one context per person);
a failing step fails the ones after it, as in the story.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, expect

from mspvault.client import MSPVaultClient
from mspvault.client.crypto import derive_master_key, public_key_of, stretch_master_key
from mspvault.client.fingerprint import fingerprint_phrase
from mspvault.client.mailbox import InviteKind, link_params
from mspvault.client.onboarding import Connection, Person, log_in, operator_session
from mspvault.client.providers import ProviderType
from tests.browser.conftest import ACTION_TIMEOUT_MS, VIEWPORT
from tests.browser.harness import (
    SHOTS_DIR,
    ProblemLog,
    RequestRecorder,
    assert_accessible,
    assert_keyboard_reachable,
    invite_link,
    shot,
)
from tests.conftest import OPERATOR_EMAIL

if TYPE_CHECKING:
    from mspvault.deploy.system import System

OPERATOR_PASSWORD = "operator-password-e2e"  # the e2e suite's operator: the same system, the same account
NOT_FOUND = re.compile(r"not found", re.IGNORECASE)


@dataclass
class Visitor:
    """One person at their own browser (a context of their own: storage, cookies, recorded requests)."""

    person: Person
    page: Page
    requests: RequestRecorder
    problems: ProblemLog
    base_url: str
    visited: list[str] = field(default_factory=list)
    registered: bool = False  # has created an account (so has keys to keep secret)

    async def open(self, url_or_route: str) -> None:
        url = url_or_route if url_or_route.startswith("http") else f"{self.base_url}/#{url_or_route}"
        await self.page.goto(url)

    async def check(self, name: str) -> None:
        """The page as it is now: a screenshot, axe, and the Tab walk."""
        await self.page.wait_for_load_state("networkidle")
        await shot(self.page, f"story-{len(self.visited) + 1:02d}-{self.person.name.lower()}-{name}")
        self.visited.append(name)
        await assert_accessible(self.page)
        await assert_keyboard_reachable(self.page)

    def button(self, name: str | re.Pattern[str], *, exact: bool = True) -> Locator:
        return self.page.get_by_role("button", name=name, exact=exact)

    def link(self, name: str | re.Pattern[str], *, exact: bool = True) -> Locator:
        return self.page.get_by_role("link", name=name, exact=exact)

    def heading(self, name: str | re.Pattern[str]) -> Locator:
        return self.page.get_by_role("heading", level=1, name=name)


@dataclass
class Story:
    system: System
    connection: Connection
    tag: str
    alice: Visitor
    bob: Visitor
    carol: Visitor
    dave: Visitor
    acme_id: str = ""
    contoso_id: str = ""
    item: dict[str, str] = field(default_factory=dict)  # the Login item's plaintext fields
    personal_item: dict[str, str] = field(default_factory=dict)  # Carol's own

    @property
    def visitors(self) -> list[Visitor]:
        return [self.alice, self.bob, self.carol, self.dave]


async def _operator(connection: Connection, mail_dir: Path) -> MSPVaultClient:
    """The e2e suite's operator (same system, same account), its email verified through the mail sink."""
    return await operator_session(connection, OPERATOR_EMAIL, OPERATOR_PASSWORD, mail_dir)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def story(portal_built: Path, system: System, browser: Browser) -> AsyncIterator[Story]:
    tag = uuid.uuid4().hex[:6]
    for old in (*SHOTS_DIR.glob("story-*.png"), *SHOTS_DIR.glob("failed-*.png")):
        old.unlink()  # the numbering follows the story: a shorter or reordered run must not leave stale pages
    people = {
        name: Person(name.capitalize(), f"{name}.{tag}@{domain}", f"{name}-master-{uuid.uuid4().hex}")
        for name, domain in (
            ("alice", "acme.example"),
            ("bob", "acme.example"),
            ("carol", "contoso.example"),
            ("dave", "globex.example"),
        )
    }
    contexts = []
    visitors: dict[str, Visitor] = {}
    for name, person in people.items():
        context = await browser.new_context(ignore_https_errors=True, viewport=VIEWPORT)  # type: ignore[arg-type]
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        recorder = RequestRecorder().attach(context)
        page = await context.new_page()
        visitors[name] = Visitor(person, page, recorder, ProblemLog().attach(page), system.gateway_url)
    connection = Connection(system.gateway_url, ca=system.ca_path)
    operator = await _operator(connection, system.mail_dir)
    try:
        await operator.providers.open(
            name="Acme MSP", owner_email=people["alice"].email, provider_type=ProviderType.MSP
        )
    finally:
        await operator.aclose()
    try:
        yield Story(system, connection, tag, visitors["alice"], visitors["bob"], visitors["carol"], visitors["dave"])
    finally:
        for context in contexts:
            await context.close()


@pytest_asyncio.fixture(autouse=True, loop_scope="session")
async def post_mortem(request: pytest.FixtureRequest, story: Story) -> AsyncIterator[None]:
    """When a step fails: every person's page as it was, and what their pages logged."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    for visitor in story.visitors:
        await shot(visitor.page, f"failed-{request.node.name}-{visitor.person.name.lower()}")
        print(f"{visitor.person.name} at {visitor.page.url}: {visitor.problems.problems}")


# ---- steps through the UI ------------------------------------------------------------------------------------------


async def create_account_from_invite(visitor: Visitor, link: str, *, title: str) -> None:
    """Open the mail link, choose "Create account", fill the form, and land back on the invitation."""
    person = visitor.person
    await visitor.open(link)
    await expect(visitor.heading(title)).to_be_visible()
    await expect(visitor.page.get_by_text(person.email)).to_be_visible()
    await visitor.check("invitation")
    await visitor.link("Create account").click()
    await expect(visitor.heading("Create account")).to_be_visible()
    await expect(visitor.page.get_by_label("Email address")).to_have_value(person.email)
    await visitor.page.get_by_label("Name", exact=True).fill(person.name)
    await visitor.page.get_by_label("Master password", exact=True).fill(person.password)
    await visitor.page.get_by_label("Confirm master password").fill(person.password)
    await expect(visitor.page.get_by_role("meter", name="Password strength")).to_be_visible()
    await visitor.check("create-account")
    await visitor.button("Create account").click()
    await expect(visitor.heading(title)).to_be_visible(timeout=60_000)  # keys made in the page, then back
    visitor.registered = True


async def unlock(visitor: Visitor) -> None:
    await expect(visitor.heading("Your vault is locked")).to_be_visible()
    await visitor.page.get_by_label("Master password", exact=True).fill(visitor.person.password)
    await visitor.button("Unlock").click()
    await expect(visitor.heading("Your vault is locked")).to_be_hidden()


async def reload_and_unlock(visitor: Visitor) -> None:
    """A reload drops the keys (memory only): the page asks for the master password, then shows the profile anew."""
    await visitor.page.reload()
    await unlock(visitor)


async def test_alice_creates_her_account_from_the_mail_link_and_sets_up_acme(story: Story) -> None:
    alice = story.alice
    link = await invite_link(story.system, alice.person.email, InviteKind.PROVIDER)
    story.acme_id = link_params(link)["providerId"]
    await create_account_from_invite(alice, link, title="Set up your provider")
    await expect(alice.page.get_by_label("Provider name")).to_have_value("Acme MSP")
    await expect(alice.page.get_by_label("Billing email")).to_have_value(alice.person.email)
    await alice.check("set-up-provider")
    await alice.button("Set up provider").click()
    await expect(alice.heading("Clients")).to_be_visible()
    await expect(alice.page.get_by_role("navigation", name="Provider")).to_contain_text("Acme MSP")
    await expect(alice.page.get_by_text("No clients yet")).to_be_visible()
    await alice.check("clients-empty")
    alice.problems.assert_clean()


async def visit_accept(visitor: Visitor) -> None:
    await expect(visitor.button("Accept invitation")).to_be_visible()
    await visitor.check("accept-invitation")
    await visitor.button("Accept invitation").click()


async def test_alice_invites_bob_from_people(story: Story) -> None:
    alice, bob = story.alice, story.bob
    await alice.link("People").click()
    await expect(alice.heading("People")).to_be_visible()
    await expect(alice.page.get_by_role("row", name=re.compile(alice.person.email))).to_be_visible()
    await alice.check("people")
    await alice.button("Invite people").click()
    dialog = alice.page.get_by_role("dialog", name="Invite people")
    await dialog.get_by_label("Email addresses").fill(bob.person.email)
    await expect(dialog.get_by_role("radio", name=re.compile("Service user", re.IGNORECASE))).to_be_checked()
    await alice.check("people-invite")
    await dialog.get_by_role("button", name="Invite", exact=True).click()
    await expect(alice.page.get_by_text("Invitation sent.")).to_be_visible()
    row = alice.page.get_by_role("row", name=re.compile(re.escape(bob.person.email)))
    await expect(row).to_contain_text("Invited")
    alice.problems.assert_clean()


async def test_bob_creates_his_account_from_the_mail_link_and_accepts(story: Story) -> None:
    bob = story.bob
    link = await invite_link(story.system, bob.person.email, InviteKind.PROVIDER)
    await create_account_from_invite(bob, link, title="Join provider")
    await visit_accept(bob)
    await expect(bob.page.get_by_text("You have accepted the invitation.")).to_be_visible()
    await bob.check("invitation-accepted")
    bob.problems.assert_clean()


async def fingerprint_of(story: Story, person: Person) -> str:
    """What the person's own account would show them: the phrase of their user id and public key."""
    client = await log_in(story.connection, person)
    try:
        return fingerprint_phrase(client.session.user_id, public_key_of(client.session.private_key))
    finally:
        await client.aclose()


async def test_alice_confirms_bob_after_comparing_his_fingerprint_phrase(story: Story) -> None:
    alice, bob = story.alice, story.bob
    phrase = await fingerprint_of(story, bob.person)

    await alice.link("Clients").click()  # People reads its list when it opens: open it again
    await alice.link("People").click()
    await expect(alice.page.get_by_text("1 person has accepted an invitation")).to_be_visible()
    row = alice.page.get_by_role("row", name=re.compile(re.escape(bob.person.email)))
    await row.get_by_role("button", name=re.compile("^Confirm")).click()
    dialog = alice.page.get_by_role("dialog", name=re.compile("^Confirm"))
    await expect(dialog.locator("code")).to_have_text(phrase)
    await alice.check("people-confirm")
    await dialog.get_by_role("button", name="Confirm", exact=True).click()
    await expect(alice.page.get_by_role("status").filter(has_text="Bob confirmed.")).to_be_visible()
    await expect(row).not_to_contain_text("Needs confirmation")
    alice.problems.assert_clean()


async def test_bob_creates_the_client_contoso(story: Story) -> None:
    bob = story.bob
    await bob.link("Continue to My Vault").click()
    await expect(bob.heading("My Vault")).to_be_visible()
    await expect(bob.page.get_by_role("link", name="Provider Portal")).to_have_count(0)  # not confirmed when he read
    await reload_and_unlock(bob)  # a fresh profile: it now carries the provider key
    await bob.link("Provider Portal").click()
    await expect(bob.heading("Clients")).to_be_visible()
    await bob.button("New client").click()
    dialog = bob.page.get_by_role("dialog", name="New client")
    await dialog.get_by_label("Organization name").fill("Contoso")
    await dialog.get_by_label("Client owner email").fill(f"it.{story.tag}@contoso.example")
    await dialog.get_by_label("Seats").fill("10")
    await bob.check("new-client")
    await dialog.get_by_role("button", name="Create client").click()
    await expect(bob.page.get_by_text("Client Contoso created.")).to_be_visible()
    contoso = bob.link("Contoso")
    await expect(contoso).to_be_visible()
    href = await contoso.get_attribute("href")
    assert href is not None
    story.contoso_id = href.rstrip("/").rsplit("/", 1)[-1]
    await bob.check("clients")
    bob.problems.assert_clean()


async def test_bob_opens_contoso_and_creates_the_servers_collection(story: Story) -> None:
    bob = story.bob
    await bob.link("Contoso").click()
    await expect(bob.page.get_by_role("heading", level=1, name="Contoso", exact=True)).to_be_visible()
    await expect(bob.page.get_by_role("note")).to_contain_text("using provider Acme MSP")
    console = bob.page.get_by_role("navigation", name="Contoso admin console")
    await expect(bob.page.get_by_role("heading", level=2, name=re.compile("^Vault"))).to_be_visible()
    await bob.check("contoso-vault-empty")
    await console.get_by_role("link", name="Collections").click()
    await expect(bob.page.get_by_role("heading", name="Collections")).to_be_visible()
    await bob.check("contoso-collections")
    await bob.button("New collection").click()
    dialog = bob.page.get_by_role("dialog", name="New collection")
    await dialog.get_by_label("Name", exact=True).fill("Servers")
    await bob.check("contoso-new-collection")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(bob.page.get_by_role("row", name=re.compile("^Servers"))).to_be_visible()
    bob.problems.assert_clean()


async def test_bob_invites_carol_with_read_only_access_to_servers(story: Story) -> None:
    bob, carol = story.bob, story.carol
    console = bob.page.get_by_role("navigation", name="Contoso admin console")
    await console.get_by_role("link", name="Members").click()
    await expect(bob.page.get_by_role("heading", name="Members")).to_be_visible()
    await bob.check("contoso-members")
    await bob.button("Invite member").click()
    dialog = bob.page.get_by_role("dialog", name="Invite member")
    await dialog.get_by_label("Email", exact=True).fill(carol.person.email)
    await expect(dialog.get_by_role("radio", name=re.compile("^User"))).to_be_checked()
    await bob.check("contoso-invite-member")
    await dialog.get_by_role("tab", name="Collections").click()
    await dialog.get_by_label("Access: Servers").select_option(label="Can view")
    await bob.check("contoso-invite-member-collections")
    await dialog.get_by_role("button", name="Invite", exact=True).click()
    await expect(bob.page.get_by_role("status").filter(has_text=f"Invited {carol.person.email}")).to_be_visible()
    carol_row = bob.page.get_by_role("row", name=re.compile(re.escape(carol.person.email)))
    await expect(carol_row).to_contain_text("1 collection")
    bob.problems.assert_clean()


async def test_carol_creates_her_account_from_the_mail_link_and_accepts(story: Story) -> None:
    carol = story.carol
    link = await invite_link(story.system, carol.person.email, InviteKind.ORGANIZATION)
    await create_account_from_invite(carol, link, title="Join organization")
    await expect(carol.page.get_by_text("the organization Contoso")).to_be_visible()
    await visit_accept(carol)
    await expect(carol.page.get_by_text("You have accepted the invitation.")).to_be_visible()
    carol.problems.assert_clean()


async def test_bob_confirms_carol_after_comparing_her_fingerprint_phrase(story: Story) -> None:
    bob, carol = story.bob, story.carol
    phrase = await fingerprint_of(story, carol.person)
    console = bob.page.get_by_role("navigation", name="Contoso admin console")
    await console.get_by_role("link", name="Vault").click()  # Members reads its list when it opens
    await console.get_by_role("link", name="Members").click()
    await expect(bob.page.get_by_text("1 member needs confirmation")).to_be_visible()
    row = bob.page.get_by_role("row", name=re.compile(re.escape(carol.person.email)))
    await row.get_by_role("button", name=re.compile("^Confirm")).click()
    dialog = bob.page.get_by_role("dialog", name="Confirm member")
    await expect(dialog.get_by_role("cell", name=phrase)).to_be_visible()
    await bob.check("contoso-confirm-member")
    await dialog.get_by_role("button", name="Confirm", exact=True).click()
    await expect(bob.page.get_by_role("status").filter(has_text="Confirmed Carol")).to_be_visible()
    await expect(row).not_to_contain_text("Accepted")
    bob.problems.assert_clean()


async def save_item(visitor: Visitor, dialog: Locator) -> None:
    """Save, and again while the vault has not yet heard of a new collection or membership (its read models
    follow the organization service's events a moment later, and it refuses the write until then)."""
    for _ in range(20):
        await dialog.get_by_role("button", name="Save").click()
        refused = dialog.get_by_role("alert")
        try:
            await expect(dialog).to_be_hidden(timeout=3_000)
            return
        except AssertionError:
            if await refused.count() == 0:
                raise
            visitor.problems.clear()  # the refusal is logged as a failed request
    await expect(dialog).to_be_hidden()


async def fill_login(dialog: Locator, fields: dict[str, str]) -> None:
    await dialog.get_by_label("Item name").fill(fields["name"])
    await dialog.get_by_label("Username", exact=True).fill(fields["username"])
    await dialog.get_by_label("Password", exact=True).fill(fields["password"])
    await dialog.get_by_label("Notes").fill(fields["notes"])


async def test_bob_adds_a_login_to_servers(story: Story) -> None:
    bob = story.bob
    story.item = {
        "name": f"db01-{story.tag}.contoso.example",
        "username": f"root-{story.tag}-{uuid.uuid4().hex[:8]}",
        "password": f"Sv-{uuid.uuid4().hex}",
        "notes": f"Primary database server {uuid.uuid4().hex}",
    }
    console = bob.page.get_by_role("navigation", name="Contoso admin console")
    await console.get_by_role("link", name="Vault").click()
    await bob.page.get_by_label("New item").select_option(label="Login")
    dialog = bob.page.get_by_role("dialog", name="New item")
    await fill_login(dialog, story.item)
    await dialog.get_by_role("checkbox", name="Servers").check()
    await bob.check("contoso-new-item")
    await save_item(bob, dialog)
    await expect(bob.page.get_by_role("button", name=story.item["name"], exact=True)).to_be_visible()
    await bob.check("contoso-vault")
    bob.problems.assert_clean()


async def test_carol_sees_it_in_my_vault_beside_her_own_under_servers_and_cannot_edit_it(story: Story) -> None:
    carol, item = story.carol, story.item
    await carol.link("Continue to My Vault").click()
    await expect(carol.heading("My vault")).to_be_visible()
    await carol.button("Log out").click()  # and in again: a fresh profile, confirmed in Contoso, with its key
    await expect(carol.heading("Log in")).to_be_visible()
    await carol.page.get_by_label("Email address").fill(carol.person.email)
    await carol.page.get_by_label("Master password", exact=True).fill(carol.person.password)
    await carol.check("log-in")
    await carol.button("Log in").click()
    await expect(carol.heading("My vault")).to_be_visible()
    filters = carol.page.get_by_role("navigation", name="Vault filters")
    await expect(filters.get_by_role("button", name="Contoso")).to_be_visible()

    own = {
        "name": f"Carol's webmail {story.tag}",
        "username": f"carol-{uuid.uuid4().hex[:8]}",
        "password": f"Cw-{uuid.uuid4().hex}",
        "notes": f"Personal {uuid.uuid4().hex}",
    }
    story.personal_item = own
    await carol.page.get_by_label("New item").select_option(label="Login")
    dialog = carol.page.get_by_role("dialog", name="New item")
    await expect(dialog.get_by_label("Owner")).to_have_value("")  # Me (My vault)
    await fill_login(dialog, own)
    await carol.check("my-vault-new-item")
    await save_item(carol, dialog)

    # side by side under All items (Contoso's may need a moment to reach her vault)
    shared = carol.page.get_by_role("button", name=item["name"], exact=True)
    for _ in range(20):
        if await shared.count():
            break
        await reload_and_unlock(carol)
    await expect(carol.page.get_by_role("row", name=re.compile(re.escape(own["name"])))).to_contain_text("Me")
    await expect(carol.page.get_by_role("row", name=re.compile(re.escape(item["name"])))).to_contain_text("Contoso")
    await carol.check("my-vault")

    await filters.get_by_role("button", name="Servers").click()
    await expect(carol.heading(re.compile("Servers"))).to_be_visible()
    await expect(shared).to_be_visible()
    await expect(carol.page.get_by_role("button", name=own["name"], exact=True)).to_have_count(0)
    await carol.check("my-vault-servers")

    await shared.click()
    view = carol.page.get_by_role("dialog", name=item["name"])
    await expect(view).to_contain_text(item["username"])
    await expect(view).to_contain_text(item["notes"])
    await expect(view).to_contain_text("View only")
    await expect(view.get_by_role("button", name="Edit")).to_have_count(0)
    await expect(view.get_by_role("button", name="Delete")).to_have_count(0)
    await view.get_by_role("button", name="Show password").click()
    await expect(view).to_contain_text(item["password"])
    await carol.check("my-vault-item-view-only")
    await view.get_by_role("button", name="Close").click()
    carol.problems.assert_clean()


async def test_a_service_user_sees_no_people_or_settings(story: Story) -> None:
    bob = story.bob
    await bob.open(f"/providers/{story.acme_id}/clients")
    nav = bob.page.get_by_role("navigation", name="Provider")
    await expect(nav.get_by_role("link", name="Clients")).to_be_visible()
    await expect(nav.get_by_role("link", name="People")).to_have_count(0)
    await expect(nav.get_by_role("link", name="Settings")).to_have_count(0)
    for route in ("manage/people", "settings"):
        await bob.open(f"/providers/{story.acme_id}/{route}")
        await expect(bob.heading(NOT_FOUND)).to_be_visible()
    await bob.check("people-not-found")
    bob.problems.assert_clean()


async def test_dave_gets_the_not_found_page_for_acme_and_contoso(story: Story) -> None:
    dave = story.dave
    await dave.open("/register")
    await dave.page.get_by_label("Email address").fill(dave.person.email)
    await dave.page.get_by_label("Master password", exact=True).fill(dave.person.password)
    await dave.page.get_by_label("Confirm master password").fill(dave.person.password)
    await dave.button("Create account").click()
    await expect(dave.page.get_by_role("navigation", name="Main")).to_be_visible(timeout=60_000)
    dave.registered = True
    for route in (
        f"/providers/{story.acme_id}/clients",
        f"/providers/{story.acme_id}/manage/people",
        f"/organizations/{story.contoso_id}",
        f"/organizations/{story.contoso_id}/members",
    ):
        await dave.open(route)
        await expect(dave.heading(NOT_FOUND)).to_be_visible()
    await dave.check("contoso-not-found")
    dave.problems.assert_clean()


async def test_lock_on_demand_and_unlock_with_the_master_password(story: Story) -> None:
    alice = story.alice
    await alice.button("Lock").click()
    await expect(alice.heading("Your vault is locked")).to_be_visible()
    await alice.check("locked")
    await alice.page.get_by_label("Master password", exact=True).fill("not-" + alice.person.password)
    await alice.button("Unlock").click()
    await expect(alice.page.get_by_role("alert")).to_contain_text("Invalid master password")
    alice.problems.clear()  # the refused unlock is meant to show an error
    await alice.page.get_by_label("Master password", exact=True).fill(alice.person.password)
    await alice.button("Unlock").click()
    await expect(alice.heading("People")).to_be_visible()  # back where she was
    await reload_and_unlock(alice)
    await expect(alice.heading("People")).to_be_visible()


async def test_alice_revokes_bob_and_his_portal_loses_contoso(story: Story) -> None:
    alice, bob = story.alice, story.bob
    await alice.link("People").click()
    row = alice.page.get_by_role("row", name=re.compile(re.escape(bob.person.email)))
    await row.get_by_role("button", name=re.compile("^Revoke")).click()
    await expect(row).to_contain_text("Revoked")
    await alice.check("people-revoked")

    await bob.open(f"/providers/{story.acme_id}/clients")
    await reload_and_unlock(bob)  # a fresh profile: no provider, no client
    await expect(bob.heading(NOT_FOUND)).to_be_visible()
    await expect(bob.page.get_by_role("link", name="Provider Portal")).to_have_count(0)
    await bob.open(f"/organizations/{story.contoso_id}")
    await expect(bob.heading(NOT_FOUND)).to_be_visible()
    await bob.check("contoso-lost")
    alice.problems.assert_clean()


# ---- no secret left any browser -------------------------------------------------------------------------------------


def _forms(raw: bytes) -> list[str]:
    return [base64.b64encode(raw).decode(), raw.hex()]


async def _secrets_of(story: Story, visitor: Visitor) -> dict[str, str]:
    """The person's master password and every key their browser held, as base64 and hex of the raw bytes: derived
    here from the password and the EncStrings the server keeps (the page does not expose its keys)."""
    person = visitor.person
    secrets = {f"{person.name}'s master password": person.password}
    client = await log_in(story.connection, person)
    try:
        session = client.session
        master = derive_master_key(person.password, person.email, session.kdf)
        keys = {
            "master key": master.key,
            "stretched master key": stretch_master_key(master).to_bytes(),
            "user key": session.user_key.to_bytes(),
            "private key": session.private_key,
            **{f"provider key {i}": key.to_bytes() for i, key in session.provider_keys.items()},
            **{f"org key {i}": key.to_bytes() for i, key in session.org_keys.items()},
        }
    finally:
        await client.aclose()
    for what, raw in keys.items():
        for n, form in enumerate(_forms(raw)):
            secrets[f"{person.name}'s {what} ({'base64' if n == 0 else 'hex'})"] = form
    return secrets


async def test_no_master_password_key_or_plaintext_left_any_browser(story: Story) -> None:
    secrets: dict[str, str] = {}
    for visitor in story.visitors:
        if visitor.registered:
            secrets |= await _secrets_of(story, visitor)
    secrets |= {f"the item's {name}": value for name, value in story.item.items()}
    secrets |= {f"Carol's own item's {name}": value for name, value in story.personal_item.items()}
    for visitor in story.visitors:
        if visitor.registered:
            visitor.requests.assert_no_leak(secrets)
