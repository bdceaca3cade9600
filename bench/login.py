"""Login throughput through the gateway against the hash-bound limit, measured in the same run.

The server re-hashes every master-password hash with argon2id (its own slow hash), so `/identity/connect/token`
can never beat the rate at which this machine computes that hash with the same parameters and concurrency.
The figure that matters is the ratio: how close the whole HTTPS + gateway + identity + database path gets to it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher

from bench.common import Figures, account_keys, console, https_client, print_table, register_body, running_system
from mspvault.shared.settings import IdentitySettings

CONCURRENCY = 4
SECONDS = 10.0


async def measure_logins(client, email: str, password_hash: str) -> Figures:
    latencies: list[float] = []
    deadline = time.perf_counter() + SECONDS
    form = {
        "scope": "api offline_access",
        "client_id": "cli",
        "deviceType": "25",
        "deviceIdentifier": str(uuid.uuid4()),
        "deviceName": "bench",
        "grant_type": "password",
        "username": email,
        "password": password_hash,
    }

    async def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.post("/identity/connect/token", data=form)
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return Figures(
        "POST /identity/connect/token (gateway, HTTPS)", len(latencies), time.perf_counter() - started, latencies
    )


def measure_hash_limit(password_hash: str) -> Figures:
    defaults = IdentitySettings.model_fields
    hasher = PasswordHasher(
        time_cost=defaults["password_hash_time_cost"].default,
        memory_cost=defaults["password_hash_memory_kib"].default,
        parallelism=defaults["password_hash_parallelism"].default,
    )
    stored = hasher.hash(password_hash)
    latencies: list[float] = []
    deadline = time.perf_counter() + SECONDS

    def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            hasher.verify(stored, password_hash)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        for future in [pool.submit(worker) for _ in range(CONCURRENCY)]:
            future.result()
    return Figures("argon2id verify alone (the limit)", len(latencies), time.perf_counter() - started, latencies)


async def main() -> None:
    async with running_system() as system, https_client(system) as client:
        email = f"login-{uuid.uuid4().hex[:8]}@bench.test"
        keys = account_keys(email)
        (await client.post("/identity/accounts/register", json=register_body(email, keys))).raise_for_status()
        logins = await measure_logins(client, email, keys.master_password_hash)
        limit = measure_hash_limit(keys.master_password_hash)
    print_table(f"Login throughput, {CONCURRENCY} concurrent clients, {SECONDS:.0f} s each", [logins, limit])
    console.print(f"ratio login / hash limit: [bold]{logins.rate / limit.rate:.2f}[/]")


if __name__ == "__main__":
    asyncio.run(main())
