"""Fixtures of the audit tests: the organization service fed by hand (no broker subscription, deterministic), and
the provider and vault services on the real broker, built with their own tests' harnesses."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from tests.integration.organization.org_harness import OrgService, running_service
from tests.integration.provider.provider_harness import ProviderHarness, running_provider_service
from tests.integration.vault.vault_harness import VaultService, running_vault_service


@pytest_asyncio.fixture(loop_scope="session")
async def org_fed(new_database, kafka) -> AsyncIterator[OrgService]:
    async with running_service(await new_database("audit_org"), kafka, broker=False) as service:
        yield service


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def provider_live(postgres, kafka) -> AsyncIterator[ProviderHarness]:
    """The provider service with its broker subscription: its own events come back to it through the broker."""
    name = f"audit_provider_{uuid.uuid4().hex[:12]}"
    url = await postgres.create_database(name)
    try:
        async with running_provider_service(url, kafka) as harness:
            yield harness
    finally:
        await postgres.drop_database(name)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def vault_live(postgres, kafka) -> AsyncIterator[VaultService]:
    """The vault service with its broker subscription (a topic and group of its own, see `isolated_settings`)."""
    async with running_vault_service(postgres, kafka, "audit_vault") as service:
        yield service
