"""End-to-end tests drive the whole running system (`system`, shared with tests/browser: see tests/conftest.py)
through the HTTPS gateway with the Python client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.deploy.system import System


@pytest_asyncio.fixture(loop_scope="session")
async def client(system: System) -> AsyncIterator[MSPVaultClient]:
    """A fresh client (its own device) talking to the gateway over HTTPS, trusting only the system's CA."""
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path) as fresh:
        yield fresh


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.test"
