"""`/api/sync` through the gateway against the floor, in one run; then a 15,000-item vault.

1. Carol (a User of client org Contoso, built as in DESIGN.md §5) gets 20 collections with 100 items each: 2,000
   organization items. Her `/api/sync` through the HTTPS gateway (four services composed) is measured against the
   floor (bench/floor_app.py): one process where PostgreSQL builds the same cipherDetails JSON in one statement and
   the bytes go straight to the socket. Both uncompressed, read as they come off the wire; the gateway's answer as
   the official clients ask for it (`Accept-Encoding: gzip, deflate, br`) is measured beside them. Goal: ≥ 0.5 of
   the floor's req/s.
2. Dave's personal vault gets 15,000 items; his `/api/sync` latency is measured. Goal: under 2 s.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sys
import time
import uuid

import httpx

from bench.common import Figures, console, https_client, print_table, running_demo
from mspvault.client.ciphers import Login, LoginUri, PlainCipher
from mspvault.client.onboarding import eventually, log_in
from mspvault.client.organizations import CollectionAccess
from mspvault.shared.infra import asyncpg_url
from mspvault.shared.infra.net import free_port

COLLECTIONS = 20
ITEMS_PER_COLLECTION = 100
BIG_VAULT = 15_000
CONCURRENCY = 4
SECONDS = 10.0
ACCEPT_ENCODING = "gzip, deflate, br"  # what the official clients send


def item(n: int, organization_id: str | None = None, collection: str | None = None) -> PlainCipher:
    return PlainCipher(
        f"server-{n:05d}.example",
        Login(f"admin{n}", f"pw-{uuid.uuid4().hex}", uris=[LoginUri(f"https://s{n}.example")]),
        notes="seeded for the sync benchmark",
        organization_id=organization_id,
        collection_ids=[collection] if collection else [],
    )


async def create_many(client, plains: list[PlainCipher], parallel: int = 8) -> None:
    """Create the items through the API; a call that times out on a loaded machine is tried again."""
    queue = list(plains)

    async def create(plain: PlainCipher) -> None:
        for attempt in range(5):
            try:
                await eventually(functools.partial(client.vault.create_cipher, plain), timeout=60, retry_on={400, 404})
                return
            except httpx.TimeoutException:
                if attempt == 4:
                    raise

    async def worker() -> None:
        while queue:
            await create(queue.pop())

    await asyncio.gather(*(worker() for _ in range(parallel)))


async def load(client, path: str, label: str, headers: dict[str, str]) -> Figures:
    latencies: list[float] = []
    deadline = time.perf_counter() + SECONDS

    async def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            async with client.stream("GET", path, headers=headers) as response:
                response.raise_for_status()
                async for _ in response.aiter_raw():
                    pass
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return Figures(label, len(latencies), time.perf_counter() - started, latencies)


async def main() -> None:
    async with running_demo("bench") as (system, connection, world):
        bob, carol, dave = [await log_in(connection, p) for p in (world.bob, world.carol, world.dave)]
        console.print(f"[dim]seeding {COLLECTIONS} collections × {ITEMS_PER_COLLECTION} items for Carol…[/]")
        plains: list[PlainCipher] = []
        for c in range(COLLECTIONS):
            collection = await bob.organizations.create_collection(
                world.contoso_id, f"Bench {c:02d}", users=[CollectionAccess(world.carol_member_id)]
            )
            plains += [item(c * 1000 + n, world.contoso_id, collection.id) for n in range(ITEMS_PER_COLLECTION)]
        await create_many(bob, plains)
        floor = await start_floor(system)
        try:
            async with https_client(system) as client:
                # The ratio compares like with like: both bodies uncompressed (the floor does not compress). The
                # gateway's answer as the official clients ask for it (br) is measured beside them.
                token = {"Authorization": f"Bearer {carol.session.access_token}"}
                plain = {**token, "Accept-Encoding": "identity"}
                count = len((await client.get("/api/sync?excludeDomains=true", headers=plain)).json()["ciphers"])
                ours = await load(
                    client, "/api/sync?excludeDomains=true", f"GET /api/sync via gateway ({count} items)", plain
                )
                floor_url = f"https://127.0.0.1:{floor[1]}/floor/{carol.session.user_id}"
                floor_count = len((await client.get(floor_url, headers=plain)).json()["ciphers"])
                raw = await load(
                    client, floor_url, f"floor: PostgreSQL json → socket, one process ({floor_count} items)", plain
                )
                compressed = await load(
                    client,
                    "/api/sync?excludeDomains=true",
                    f"GET /api/sync via gateway, Accept-Encoding: {ACCEPT_ENCODING}",
                    {**token, "Accept-Encoding": ACCEPT_ENCODING},
                )
        finally:
            floor[0].terminate()
            await floor[0].wait()
        print_table(f"Sync of a member with {count} items, {CONCURRENCY} concurrent clients", [ours, raw, compressed])
        console.print(
            f"/api/sync {ours.rate:.1f} req/s vs floor {raw.rate:.1f} req/s: ratio [bold]{ours.rate / raw.rate:.2f}[/] "
            f"(goal ≥ 0.5)"
        )

        console.print(f"[dim]seeding {BIG_VAULT:,} personal items for Dave…[/]")
        await create_many(dave, [item(n) for n in range(BIG_VAULT)], parallel=16)
        async with https_client(system) as client:
            auth = {"Authorization": f"Bearer {dave.session.access_token}"}
            latencies = []
            for _ in range(5):
                started = time.perf_counter()
                response = await client.get("/api/sync?excludeDomains=true", headers=auth)
                response.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
            big = len(response.json()["ciphers"])
        print_table(
            "A 15,000-item vault", [Figures(f"GET /api/sync ({big:,} items)", 5, sum(latencies) / 1000, latencies)]
        )
        for member in (bob, carol, dave):
            await member.aclose()


async def start_floor(system) -> tuple[asyncio.subprocess.Process, int]:
    port = free_port()
    tls = system.data_dir / "tls"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.floor_app",
        asyncpg_url(system.database_urls["vault"]),
        str(port),
        str(tls / "server.pem"),
        str(tls / "server-key.pem"),
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    async with https_client(system) as client:

        async def up() -> bool:
            try:
                await client.get(f"https://127.0.0.1:{port}/docs")
                return True
            except Exception:
                return False

        from mspvault.shared.testing.wait import wait_until

        await wait_until(up, timeout=30, message="floor app up")
    return process, port


if __name__ == "__main__":
    asyncio.run(main())
