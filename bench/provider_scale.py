"""A provider with 10,000 client organizations: listing its clients, and the profile of a provider user who reaches
all of them (p50/p95), through the HTTPS gateway.

Clients are created through the real API as Bob (a Service User) does; to keep seeding affordable every client
reuses one org key pair (the server cannot tell — it only stores what clients encrypted).
"""

from __future__ import annotations

import asyncio
import os
import time

from bench.common import Figures, console, https_client, print_table, running_system
from mspvault.client.crypto import SymmetricKey, generate_key_pair
from mspvault.client.demo import DemoBuilder, DemoOptions
from mspvault.client.onboarding import Connection, log_in
from mspvault.shared.testing.wait import wait_until

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10000"))
SAMPLES = 20
OPERATOR = "operator@bench.example"


async def seed_clients(client, bob, provider_id: str, *, count: int = CLIENTS) -> None:
    org_key, pair = SymmetricKey.generate(), generate_key_pair()
    provider_key = bob.session.provider_key(provider_id)
    auth = {"Authorization": f"Bearer {bob.session.access_token}"}
    body = {
        "planType": 19,
        "seats": 5,  # Enterprise (Monthly): what an MSP may give a client
        "key": str(provider_key.encrypt(org_key.to_bytes())),
        "keyPair": {"publicKey": pair.public_key, "encryptedPrivateKey": str(org_key.encrypt(pair.private_key))},
        "collectionName": str(org_key.encrypt_str("Default collection")),
    }
    pending = list(range(count))
    started = time.perf_counter()

    async def worker() -> None:
        while pending:
            n = pending.pop()
            response = await client.post(
                f"/api/providers/{provider_id}/clients",
                headers=auth,
                json={**body, "name": f"Client {n:05d}", "ownerEmail": f"it@c{n}.example"},
            )
            if response.is_error:
                raise RuntimeError(f"creating client {n} failed: {response.status_code} {response.text[:300]}")

    await asyncio.gather(*(worker() for _ in range(16)))
    console.print(f"[dim]{count:,} clients created in {time.perf_counter() - started:.0f} s[/]")


async def sample(client, path: str, label: str, token: str) -> Figures:
    latencies = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
    return Figures(label, SAMPLES, sum(latencies) / 1000, latencies)


async def main() -> None:
    os.environ.setdefault("MSPVAULT_IDENTITY_OPERATORS", f'["{OPERATOR}"]')
    async with running_system() as system:
        connection = Connection(system.gateway_url, ca=system.ca_path)
        world = await DemoBuilder(
            DemoOptions(
                connection=connection,
                mail_dir=system.mail_dir,
                tag="scale",
                operator_email=OPERATOR,
                operator_password="bench-operator",
            )
        ).build()
        bob = await log_in(connection, world.bob)
        async with https_client(system) as client:
            await seed_clients(client, bob, world.acme_id)
            token = bob.session.access_token

            async def listed_in_profile() -> bool:
                response = await client.get("/api/accounts/profile", headers={"Authorization": f"Bearer {token}"})
                return len(response.json()["providerOrganizations"]) >= CLIENTS

            await wait_until(listed_in_profile, timeout=600, interval=1.0, message="every client in the profile")
            listing = await sample(
                client,
                f"/api/providers/{world.acme_id}/organizations",
                f"GET /api/providers/{{id}}/organizations ({CLIENTS + 1:,} clients)",
                token,
            )
            profile = await sample(client, "/api/accounts/profile", "GET /api/accounts/profile (Bob)", token)
            sync = await sample(client, "/api/sync?excludeDomains=true", "GET /api/sync (Bob)", token)
        await bob.aclose()
    print_table(
        f"A provider with {CLIENTS:,} client organizations, {SAMPLES} sequential requests each",
        [listing, profile, sync],
    )


if __name__ == "__main__":
    asyncio.run(main())
