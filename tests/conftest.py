"""Fixtures shared by the suites that drive the whole running system (tests/e2e, tests/browser).

`system` is PostgreSQL, the broker, the mail sink, every service and the HTTPS gateway (serving the portal's build),
started once per test session by the launcher (`mspvault.deploy.system.start_system`) exactly as `make up` starts
them, and shared by every module that asks for it: tests create their own users and names, never reuse another's.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from mspvault.shared.infra.postgres import PostgresServer

if TYPE_CHECKING:  # the launcher loads in the fixture, so collecting the unit tests never imports it
    from mspvault.deploy.system import System

OPERATOR_EMAIL = "operator@e2e.example"
# Read what the whole run wrote to the system's logs, so they run after every other test that shares the system.
RUN_LAST = ("tests/e2e/test_log_secrets.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.nodeid.startswith(RUN_LAST))  # stable: the rest keep their order


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def system(postgres: PostgresServer, artifacts_dir: Path) -> AsyncIterator[System]:
    """One running system per test session. The services' logs and mail stay under test-artifacts/system-<id>/."""
    from mspvault.deploy.system import GENEROUS_RATE_LIMITS, SERVICES, start_system

    run = uuid.uuid4().hex[:8]
    prefix = f"e2e_{run}_"
    env = {
        "MSPVAULT_IDENTITY_OPERATORS": json.dumps([OPERATOR_EMAIL]),
        # The server's own slow re-hash at its floor: the suite logs in many times, and argon2's cost is benched.
        "MSPVAULT_IDENTITY_PASSWORD_HASH_TIME_COST": "1",
        "MSPVAULT_IDENTITY_PASSWORD_HASH_MEMORY_KIB": "8192",
        **GENEROUS_RATE_LIMITS,  # many users log in from 127.0.0.1; the limits are tested on their own
    }
    # A guard against a hang, not a speed check: on a loaded 2-core machine one service's migrations were seen to take
    # over 120 s, which failed every test sharing the system. MSPVAULT_STARTUP_TIMEOUT overrides it.
    startup_timeout = float(os.environ.get("MSPVAULT_STARTUP_TIMEOUT", "600"))
    async with start_system(
        artifacts_dir / f"system-{run}",
        postgres=postgres,
        database_prefix=prefix,
        env=env,
        startup_timeout=startup_timeout,
    ) as running:
        yield running
    for service in (*SERVICES, "gateway"):
        await postgres.drop_database(prefix + service)
