"""A provider user who reaches 1,000 client organizations can still sync (Vaultwarden breaks at 174 organizations).

The clients are created through the real API, as a Service User does; one org key pair serves them all to keep
seeding affordable (the server cannot tell: it only stores what clients encrypted).
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from mspvault.client.crypto import SymmetricKey, generate_key_pair
from mspvault.client.demo import DemoBuilder, DemoOptions
from mspvault.client.onboarding import Connection, log_in
from mspvault.deploy.system import System
from mspvault.shared.testing.wait import wait_until
from tests.conftest import OPERATOR_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

CLIENTS = 1_000


async def test_a_provider_user_in_1000_client_orgs_syncs_and_opens_every_org_key(system: System) -> None:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    options = DemoOptions(
        connection=connection,
        mail_dir=system.mail_dir,
        tag=uuid.uuid4().hex[:6],
        operator_email=OPERATOR_EMAIL,
        operator_password="operator-password-e2e",
    )
    world = await DemoBuilder(options).build()
    bob = await log_in(connection, world.bob)
    try:
        org_key, pair = SymmetricKey.generate(), generate_key_pair()
        body = {
            "planType": 19,
            "seats": 5,
            "key": str(bob.session.provider_key(world.acme_id).encrypt(org_key.to_bytes())),
            "keyPair": {"publicKey": pair.public_key, "encryptedPrivateKey": str(org_key.encrypt(pair.private_key))},
            "collectionName": str(org_key.encrypt_str("Default collection")),
        }
        pending = list(range(CLIENTS))

        async def create() -> None:
            while pending:
                n = pending.pop()
                await bob._request(
                    "POST",
                    f"/api/providers/{world.acme_id}/clients",
                    json={**body, "name": f"Client {n:04d}", "ownerEmail": f"it@c{n}.example"},
                )

        await asyncio.gather(*(create() for _ in range(8)))

        async def synced_all() -> bool:
            sync = await bob.vault.sync()
            return len(sync["profile"]["providerOrganizations"]) >= CLIENTS + 1  # + Contoso

        await wait_until(synced_all, timeout=300, interval=1.0, message=f"{CLIENTS} clients in Bob's sync")
        sync = await bob.vault.sync()
        clients = [o for o in sync["profile"]["providerOrganizations"] if o["name"].startswith("Client ")]
        assert len(clients) == CLIENTS
        # every client's org key opens through the provider key
        assert all(bob.session.org_key(o["id"]).to_bytes() == org_key.to_bytes() for o in clients)
        assert len([o for o in sync["profile"]["organizations"] if o["name"].startswith("Client ")]) == CLIENTS
    finally:
        await bob.aclose()
