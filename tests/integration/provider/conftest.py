"""Fixtures for the provider service's integration tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from tests.integration.provider.provider_harness import ProviderHarness, running_provider_service


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def provider_service(postgres, kafka) -> AsyncIterator[ProviderHarness]:
    """One running service per test module; tests stay independent through random ids and emails."""
    name = f"provider_{uuid.uuid4().hex[:12]}"
    url = await postgres.create_database(name)
    try:
        async with running_provider_service(url, kafka) as harness:
            yield harness
    finally:
        await postgres.drop_database(name)
