"""The bus end to end: a registration at the gateway reaches the other three services' read models."""

from __future__ import annotations

import asyncpg
import pytest

from mspvault.client import MSPVaultClient
from mspvault.client.crypto import KdfConfig
from mspvault.deploy.system import System
from mspvault.shared.infra import asyncpg_url
from mspvault.shared.testing.wait import wait_until
from tests.e2e.conftest import new_email

pytestmark = pytest.mark.e2e

READ_MODELS = ("provider", "organization", "vault")


async def test_a_registration_reaches_every_read_model_of_users(system: System, client: MSPVaultClient) -> None:
    email = new_email()
    keys = await client.register(email, "a long master password", name="Reader", kdf=KdfConfig.pbkdf2(600_000))
    connections = {s: await asyncpg.connect(asyncpg_url(system.database_urls[s])) for s in READ_MODELS}
    try:

        async def everywhere() -> bool:
            rows = [
                await c.fetchrow("SELECT email, public_key FROM users WHERE email = $1", email)
                for c in connections.values()
            ]
            return all(row is not None and row["public_key"] == keys.public_key for row in rows)

        await wait_until(everywhere, timeout=30, message="the user in provider, organization and vault")
        identity = await asyncpg.connect(asyncpg_url(system.database_urls["identity"]))
        try:
            event_id = await identity.fetchval(
                "SELECT event_id FROM outbox WHERE event_type = 'UserRegistered' AND envelope->'data'->>'email' = $1",
                email,
            )
        finally:
            await identity.close()
        # Each service applied that one event exactly once, in its own consumer group.
        for service, connection in connections.items():
            consumers = await connection.fetch("SELECT consumer FROM inbox WHERE event_id = $1", event_id)
            assert [row["consumer"] for row in consumers] == [service]
    finally:
        for connection in connections.values():
            await connection.close()
