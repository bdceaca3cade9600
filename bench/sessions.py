"""How soon an ended session is refused everywhere (issue 11: "tokens issued before it are refused everywhere within
a second"). For each of N accounts: log in, call `POST /api/accounts/security-stamp`, then poll one route of every
service behind the gateway with the old access token until all four answer 401. The figure is the time from the
rotation's 200 to the last 401: identity's commit → outbox relay → broker → each service's consumer records the
stamp → its next re-read (every 0.5 s) → refusal. The refresh token is tried right after the 200 (revoked in the
rotating transaction, so it must already fail).
"""

from __future__ import annotations

import asyncio
import time
import uuid

from bench.common import Figures, account_keys, console, https_client, print_table, register_body, running_system

ACCOUNTS = 20
GOAL_MS = 1000.0
ZERO = "00000000-0000-0000-0000-000000000000"
# identity (a route it serves itself), vault, organization, provider.
ROUTES = (f"/api/users/{ZERO}/public-key", "/api/ciphers", f"/api/organizations/{ZERO}", f"/api/providers/{ZERO}")


async def one_session_ended(client, email: str, password_hash: str) -> float:
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
    tokens = (await client.post("/identity/connect/token", data=form)).raise_for_status().json()
    old = {"Authorization": f"Bearer {tokens['access_token']}"}
    rotated = await client.post("/api/accounts/security-stamp", json={"masterPasswordHash": password_hash}, headers=old)
    rotated.raise_for_status()
    started = time.perf_counter()
    refresh = {"grant_type": "refresh_token", "client_id": "cli", "refresh_token": tokens["refresh_token"]}
    assert (await client.post("/identity/connect/token", data=refresh)).status_code == 400
    pending = set(ROUTES)
    while pending:
        statuses = await asyncio.gather(*(client.get(path, headers=old) for path in pending))
        pending = {path for path, answer in zip(list(pending), statuses, strict=True) if answer.status_code != 401}
        if pending:
            await asyncio.sleep(0.01)
        if time.perf_counter() - started > 30:
            raise TimeoutError(f"still accepted after 30 s by {sorted(pending)}")
    return (time.perf_counter() - started) * 1000


async def main() -> None:
    async with running_system() as system, https_client(system) as client:
        keys = account_keys("bench")
        latencies: list[float] = []
        began = time.perf_counter()
        for n in range(ACCOUNTS):
            email = f"sessions-{n}-{uuid.uuid4().hex[:6]}@bench.test"
            (await client.post("/identity/accounts/register", json=register_body(email, keys))).raise_for_status()
            latencies.append(await one_session_ended(client, email, keys.master_password_hash))
        figures = Figures(
            "security-stamp 200 → old token 401 at all 4 services",
            len(latencies),
            time.perf_counter() - began,
            latencies,
        )
    print_table(f"Sessions ended everywhere, {ACCOUNTS} accounts", [figures], unit="accounts/s")
    console.print(
        f"goal ≤ {GOAL_MS:.0f} ms: p50 {figures.p50:.0f} ms, p95 {figures.pct(0.95):.0f} ms, "
        f"max {max(figures.latencies_ms):.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
