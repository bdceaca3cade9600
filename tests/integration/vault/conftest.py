"""Fixtures for the vault service's integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.infra.postgres import PostgresServer
from tests.integration.vault.vault_harness import VaultService, running_vault_service


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def vault(postgres: PostgresServer, kafka: KafkaBroker) -> AsyncIterator[VaultService]:
    """One running service per test module; tests stay independent through random ids."""
    async with running_vault_service(postgres, kafka) as service:
        yield service
