"""The portal and the official `bw` CLI read each other's items (issue 9, "What a person can do" §6).

One running system (`system`), the DESIGN.md §5 world built through the API by the same builder as `mspvault demo`:
Bob is a Service User of Acme MSP, Carol a confirmed member of its client Contoso who may edit "Helpdesk".

1. Carol makes a Login in Helpdesk in the portal's My Vault; her `bw` (after `bw sync`) decrypts the same plaintext.
2. Carol makes a Login in Helpdesk with `bw create item`; the portal's My Vault shows it with the same plaintext.
3. Bob opens Contoso's vault from the Provider Portal (its key through the provider key) and sees both items decrypt
   to the same plaintext as Carol does.

The steps run in file order over module-scoped state; a failing step fails the ones after it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import Connection, Person
from tests.browser.conftest import PortalSession
from tests.browser.harness import shot
from tests.browser.test_portal_story import Visitor, fill_login, save_item
from tests.browser.test_provider_portal import OPERATOR_PASSWORD
from tests.conftest import OPERATOR_EMAIL
from tests.interop.bwcli import Bw, CommandLog, install_bw_cli
from tests.interop.flows import item_template

if TYPE_CHECKING:
    from mspvault.deploy.system import System

log = logging.getLogger("portal-bw")

REPO_ROOT = Path(__file__).resolve().parents[2]
SAVE_TIMEOUT_MS = 60_000  # the page encrypts, posts, and lists the item again


@dataclass
class Interop:
    world: DemoWorld
    bw: Bw  # Carol's official CLI, logged in and unlocked
    items: dict[str, dict[str, str]] = field(default_factory=dict)  # how made -> the Login's plaintext fields

    @property
    def helpdesk(self) -> str:
        return self.world.collections["Helpdesk"]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def interop(system: System, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Interop]:
    options = DemoOptions(
        connection=Connection(system.gateway_url, ca=system.ca_path),
        mail_dir=system.mail_dir,
        tag=uuid.uuid4().hex[:8],
        operator_email=OPERATOR_EMAIL,  # the shared system's operator: registered by whichever module came first
        operator_password=OPERATOR_PASSWORD,
        timeout=90.0,
    )
    world = await DemoBuilder(options, progress=lambda message: log.info("demo: %s", message)).build()
    commands = CommandLog(secrets={person.password for person in world.people})
    bw_js = install_bw_cli(REPO_ROOT / ".cache" / "bwcli")
    bw = Bw("Carol", bw_js, tmp_path_factory.mktemp("bw-carol"), system.ca_path, commands)
    await bw.login(system.gateway_url, world.carol.email, world.carol.password)
    yield Interop(world, bw)


def new_login(label: str) -> dict[str, str]:
    """A Login's plaintext, unique per run so no other item can match it."""
    tag = uuid.uuid4().hex[:8]
    return {
        "name": f"{label} {tag}",
        "username": f"{label.split()[0].lower()}-{tag}",
        "password": f"Pw-{uuid.uuid4().hex}",
        "notes": f"{label} notes {uuid.uuid4().hex}",
        "uri": f"https://{tag}.helpdesk.contoso.example/login",
    }


def assert_bw_item(item: dict[str, Any], fields: dict[str, str], organization_id: str, collection_id: str) -> None:
    """What `bw get item` decrypted equals the plaintext the other side wrote."""
    login = item["login"]
    assert (item["name"], item["notes"]) == (fields["name"], fields["notes"])
    assert (login["username"], login["password"]) == (fields["username"], fields["password"])
    assert [u["uri"] for u in login["uris"]] == [fields["uri"]]
    assert (item["organizationId"], item["collectionIds"]) == (organization_id, [collection_id])


async def assert_portal_shows(page: Page, fields: dict[str, str]) -> None:
    """The item's row opens a view with every field of the plaintext (the password once revealed)."""
    await page.get_by_role("button", name=fields["name"], exact=True).click()
    view = page.get_by_role("dialog", name=fields["name"])
    for name in ("username", "notes", "uri"):
        await expect(view).to_contain_text(fields[name])
    await view.get_by_role("button", name="Show password").click()
    await expect(view).to_contain_text(fields["password"])
    await view.get_by_role("button", name="Close").click()
    await expect(view).to_be_hidden()


async def carol_in_my_vault(portal: PortalSession, carol: Person) -> Page:
    page = await portal.log_in(carol, "/vault")
    await expect(page.get_by_role("heading", level=1, name="My vault")).to_be_visible()
    filters = page.get_by_role("navigation", name="Vault filters")
    await expect(filters.get_by_role("button", name="Contoso")).to_be_visible()
    return page


async def test_a_login_made_in_the_portal_decrypts_with_bw(portal: PortalSession, interop: Interop) -> None:
    world, carol = interop.world, interop.world.carol
    fields = new_login("Portal login")
    page = await carol_in_my_vault(portal, carol)
    await page.get_by_label("New item").select_option(label="Login")
    dialog: Locator = page.get_by_role("dialog", name="New item")
    await dialog.get_by_label("Owner").select_option(label="Contoso")
    await dialog.get_by_role("checkbox", name="Helpdesk").check()
    await fill_login(dialog, fields)
    await dialog.get_by_role("button", name="Add website").click()
    await dialog.get_by_label("Website (URI) 1").fill(fields["uri"])
    await shot(page, "bw-interop-portal-new-item")
    visitor = Visitor(carol, page, portal.requests, portal.problems, portal.system.gateway_url)
    await save_item(visitor, dialog)
    await expect(page.get_by_role("button", name=fields["name"], exact=True)).to_be_visible(timeout=SAVE_TIMEOUT_MS)
    interop.items["portal"] = fields

    bw = interop.bw
    (await bw.run("sync")).ok()
    listed = await bw.list("items", "--organizationid", world.contoso_id)
    made = [item for item in listed if item["name"] == fields["name"]]
    assert len(made) == 1, f"`bw list items --organizationid` lacks {fields['name']!r}: {[i['name'] for i in listed]}"
    assert_bw_item(made[0], fields, world.contoso_id, interop.helpdesk)
    assert_bw_item(await bw.get_item(made[0]["id"]), fields, world.contoso_id, interop.helpdesk)
    portal.problems.assert_clean()


async def test_a_login_made_with_bw_shows_in_the_portal(portal: PortalSession, interop: Interop) -> None:
    world, bw = interop.world, interop.bw
    fields = new_login("Bw login")
    base = await item_template(bw)
    item = {
        **base,
        "type": 1,
        "name": fields["name"],
        "notes": fields["notes"],
        "organizationId": world.contoso_id,
        "collectionIds": [interop.helpdesk],
        "login": {
            "uris": [{"match": None, "uri": fields["uri"]}],
            "username": fields["username"],
            "password": fields["password"],
            "totp": None,
        },
    }
    made = await bw.create("item", item)  # `bw create item <bw encode output>`
    assert_bw_item(made, fields, world.contoso_id, interop.helpdesk)
    interop.items["bw"] = fields

    page = await carol_in_my_vault(portal, world.carol)
    row = page.get_by_role("row", name=fields["name"])
    await expect(row).to_contain_text("Contoso")
    await assert_portal_shows(page, fields)
    await assert_portal_shows(page, interop.items["portal"])
    await shot(page, "bw-interop-my-vault")
    portal.problems.assert_clean()


async def test_a_provider_user_sees_both_decrypt_to_the_same_plaintext(portal: PortalSession, interop: Interop) -> None:
    world = interop.world
    page = await portal.log_in(world.bob, f"/organizations/{world.contoso_id}/vault")
    await expect(page.get_by_role("heading", level=1, name="Contoso", exact=True)).to_be_visible()
    await expect(page.get_by_role("note")).to_contain_text("using provider Acme MSP")
    for made_by in ("portal", "bw"):
        await assert_portal_shows(page, interop.items[made_by])
    await shot(page, "bw-interop-provider-org-vault")
    portal.problems.assert_clean()
