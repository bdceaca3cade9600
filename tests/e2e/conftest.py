"""The whole system for end-to-end tests: PostgreSQL, the broker, every service and the HTTPS gateway, started once
per session by the launcher (`mspvault.deploy.system.start_system`) exactly as `make up` starts them."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.deploy.system import SERVICES, System, start_system
from mspvault.shared.infra.postgres import PostgresServer

OPERATOR_EMAIL = "operator@e2e.example"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def system(postgres: PostgresServer, artifacts_dir: Path) -> AsyncIterator[System]:
    """One running system per test session. The services' logs stay under test-artifacts/e2e-<id>/logs."""
    run = uuid.uuid4().hex[:8]
    prefix = f"e2e_{run}_"
    env = {
        "MSPVAULT_IDENTITY_OPERATORS": json.dumps([OPERATOR_EMAIL]),
        # The server's own slow re-hash at its floor: the suite logs in many times, and argon2's cost is benched.
        "MSPVAULT_IDENTITY_PASSWORD_HASH_TIME_COST": "1",
        "MSPVAULT_IDENTITY_PASSWORD_HASH_MEMORY_KIB": "8192",
    }
    async with start_system(
        artifacts_dir / f"e2e-{run}", postgres=postgres, database_prefix=prefix, env=env
    ) as running:
        yield running
    for service in SERVICES:
        await postgres.drop_database(prefix + service)


@pytest_asyncio.fixture(loop_scope="session")
async def client(system: System) -> AsyncIterator[MSPVaultClient]:
    """A fresh client (its own device) talking to the gateway over HTTPS, trusting only the system's CA."""
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path) as fresh:
        yield fresh


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.test"
