"""`GET /api/accounts/revision-date` from the gateway's memory (issue 12 #5), through the HTTPS gateway: a change
to what a user sees moves the date their client polls, whether it is their own (a folder), an organization-wide one
made by someone else (a policy on Contoso), an item put in a collection they see, or a new client of their
provider; and the memory answers.

The world is the demo's (Acme MSP, Bob its Service User, Contoso with Carol as a User), built for this module.
"""

from __future__ import annotations

import ssl
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import Connection, log_in
from mspvault.deploy.system import System
from mspvault.shared.testing import wait_until
from tests.conftest import OPERATOR_EMAIL
from tests.e2e.conftest import new_email

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

PATH = "/api/accounts/revision-date"
SINGLE_ORG = 3


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(system: System) -> AsyncIterator[tuple[DemoWorld, Connection]]:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    options = DemoOptions(
        connection=connection,
        mail_dir=system.mail_dir,
        tag=uuid.uuid4().hex[:6],
        operator_email=OPERATOR_EMAIL,
        operator_password="operator-password-e2e",
    )
    yield await DemoBuilder(options).build(), connection


@pytest_asyncio.fixture(loop_scope="session")
async def raw(system: System) -> AsyncIterator[httpx.AsyncClient]:
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=30) as http:
        yield http


class Poller:
    """One client's polls with one token, as a Bitwarden client makes them."""

    def __init__(self, raw: httpx.AsyncClient, token: str) -> None:
        self.raw = raw
        self.headers = {"Authorization": f"Bearer {token}"}

    async def poll(self) -> tuple[int, bool]:
        """The date, and whether memory answered (the short path sends no correlation id: nothing left the
        gateway to correlate)."""
        response = await self.raw.get(PATH, headers=self.headers)
        assert response.status_code == 200, response.text
        return int(response.json()), "x-correlation-id" not in response.headers

    async def from_memory(self) -> int | None:
        date, remembered = await self.poll()
        return date if remembered else None

    async def moved_past(self, before: int, what: str) -> int:
        async def moved() -> int | None:
            date = await self.from_memory()
            return date if date is not None and date > before else None

        date = await wait_until(moved, timeout=30, message=f"revision date moved by {what}")
        assert date is not None  # wait_until returns only a truthy answer
        return date


async def test_changes_to_what_carol_sees_move_the_date_her_client_polls(
    world: tuple[DemoWorld, Connection], raw: httpx.AsyncClient
) -> None:
    data, connection = world
    bob, carol = await log_in(connection, data.bob), await log_in(connection, data.carol)
    try:
        polls = Poller(raw, carol.session.access_token)
        # The first poll asks the services (it seeds Carol's date); from then on memory answers, the same date.
        first, _ = await polls.poll()
        assert first > 0
        assert await wait_until(polls.from_memory, timeout=30, message="answered from memory") == first

        await carol.vault.create_folder("Printers")
        own = await polls.moved_past(first, "her own folder")

        # Organization-wide, by someone else: a policy on Contoso moves every member's date.
        await bob._request("PUT", f"/api/organizations/{data.contoso_id}/policies/{SINGLE_ORG}", json={"enabled": True})
        org_wide = await polls.moved_past(own, "a policy on Contoso")

        # An item Bob puts in a collection Carol sees (the vault's audience of the item).
        helpdesk = data.collections["Helpdesk"]
        item = PlainCipher(
            "Helpdesk VPN", Login("vpn", "vpn-pass"), organization_id=data.contoso_id, collection_ids=[helpdesk]
        )
        await bob.vault.create_cipher(item)
        await polls.moved_past(org_wide, "an item in her collection")

        # A new client of Acme: every provider user sees it, though no row of theirs is written (provider's links).
        bobs = Poller(raw, bob.session.access_token)
        before, _ = await bobs.poll()
        await wait_until(bobs.from_memory, timeout=30, message="Bob's date answered from memory")
        await bob.providers.create_client(data.acme_id, name=f"Initech {uuid.uuid4().hex[:6]}", owner_email=new_email())
        await bobs.moved_past(before, "a new client of his provider")
    finally:
        await bob.aclose()
        await carol.aclose()


async def test_a_poll_with_a_forged_or_missing_token_is_refused(raw: httpx.AsyncClient) -> None:
    assert (await raw.get(PATH)).status_code == 401
    assert (await raw.get(PATH, headers={"Authorization": "Bearer not.a.token"})).status_code == 401
