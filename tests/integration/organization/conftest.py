from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.integration.organization.org_harness import OrgService, running_service


@pytest_asyncio.fixture(loop_scope="session")
async def org(new_database, kafka) -> AsyncIterator[OrgService]:
    async with running_service(await new_database("org"), kafka) as service:
        yield service


@pytest_asyncio.fixture(loop_scope="session")
async def org_http(new_database, kafka) -> AsyncIterator[OrgService]:
    """The service without its broker connection: events are fed through `OrgService.feed`."""
    async with running_service(await new_database("org"), kafka, broker=False) as service:
        yield service
