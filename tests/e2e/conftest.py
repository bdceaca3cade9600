"""End-to-end tests drive the whole running system (`system`, shared with tests/browser: see tests/conftest.py)
through the HTTPS gateway with the Python client."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import Connection, log_in
from mspvault.deploy.system import System
from tests.conftest import OPERATOR_EMAIL


@pytest_asyncio.fixture(loop_scope="session")
async def client(system: System) -> AsyncIterator[MSPVaultClient]:
    """A fresh client (its own device) talking to the gateway over HTTPS, trusting only the system's CA."""
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path) as fresh:
        yield fresh


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.test"


@dataclass
class Attack:
    """The demo's world, attacked: shared by the attack suite's modules (test_attacks, test_route_matrix, …), which
    only read it or are refused (a write that lands is the bug they report)."""

    system: System
    world: DemoWorld
    dave: MSPVaultClient  # Provider Admin of Globex IT: the attacker from another tenant
    carol: MSPVaultClient  # a plain User of Contoso
    alice: MSPVaultClient  # Provider Admin of Acme MSP, which runs Contoso: the insider whose reads must work
    http: httpx.AsyncClient  # raw HTTPS to the gateway

    def as_(self, client: MSPVaultClient) -> dict[str, str]:
        return {"Authorization": f"Bearer {client.session.access_token}"}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def attack(system: System) -> AsyncIterator[Attack]:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    options = DemoOptions(
        connection=connection,
        mail_dir=system.mail_dir,
        tag=uuid.uuid4().hex[:6],
        operator_email=OPERATOR_EMAIL,
        operator_password="operator-password-e2e",
        timeout=120.0,
    )
    world = await DemoBuilder(options).build()
    dave = await log_in(connection, world.dave)
    carol = await log_in(connection, world.carol)
    alice = await log_in(connection, world.alice)
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=60) as http:
        yield Attack(system, world, dave, carol, alice, http)
    for person in (dave, carol, alice):
        await person.aclose()
