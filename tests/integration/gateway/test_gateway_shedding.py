"""Graceful overload (issue 12 #3): syncs offered at 3× the gateway's sync capacity for a bounded time, with logins
and small writes arriving beside them. The gateway sheds the excess syncs with 503 + Retry-After + the JSON error
body before any service sees them, every sync it accepts is answered in full, and no login or write is shed.

Capacity here is what the configured lane allows against a vault that takes `SYNC_SECONDS` per sync: `in_flight` /
`SYNC_SECONDS` syncs per second. The latency goal for accepted syncs is measured by `make bench BENCH=sync_load`,
not asserted here; the figures are printed."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest_asyncio

from mspvault.gateway.bootstrap import build_http_client, create_app
from mspvault.gateway.shedding import RouteClass, classify
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.settings import GatewaySettings, LaneLimit
from tests.integration.gateway.stubs import StubService

SYNC_SECONDS = 0.2
HEAVY = LaneLimit(in_flight=2, queue=2, max_wait_seconds=0.5)
CAPACITY = HEAVY.in_flight / SYNC_SECONDS  # 10 syncs/s
OFFERED = 3 * CAPACITY
SECONDS = 3.0
LOGINS_PER_SECOND = 5.0
WRITES_PER_SECOND = 10.0


@pytest_asyncio.fixture(loop_scope="session")
async def overloadable() -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, StubService], str]]:
    stubs = {name: StubService(name) for name in ("identity", "provider", "organization", "vault")}
    stubs["identity"].sync_body = {"profile": {"id": "u", "object": "profile"}, "userDecryption": None}
    stubs["provider"].sync_body = {"providers": [], "clientKinds": [], "clients": []}
    stubs["organization"].sync_body = {"organizations": [], "collections": [], "policies": []}
    stubs["vault"].sync_body = {"folders": [], "ciphers": [{"id": f"c{n}"} for n in range(50)]}
    stubs["vault"].sync_seconds = SYNC_SECONDS
    settings = GatewaySettings(
        public_url="https://vault.example.test",
        identity_url="http://identity.test",
        provider_url="http://provider.test",
        organization_url="http://organization.test",
        vault_url="http://vault.test",
        shed_heavy=HEAVY,
        shed_retry_after_seconds=3,
        login_per_ip_per_minute=100_000,
        login_per_account_per_minute=100_000,
    )
    mounts: dict[str, httpx.AsyncBaseTransport] = {
        f"http://{name}.test": httpx.ASGITransport(app=stub.app()) for name, stub in stubs.items()
    }
    http = build_http_client(settings, mounts=mounts)
    app = create_app(settings, http=http)
    key = SigningKey.generate()
    app.state.verifier.add_jwks(key.jwks())
    user_id = uuid.uuid4()
    token = key.mint(user_id=user_id, email=f"{user_id.hex[:8]}@example.test")
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://gateway.test") as client,
    ):
        yield client, stubs, token
    await http.aclose()


async def offer(rate: float, seconds: float, call: Callable[[], Awaitable[httpx.Response]]) -> list[httpx.Response]:
    """Open-model arrivals: one call every 1/rate s for `seconds`, none waiting for another to finish."""
    started = time.perf_counter()
    tasks = []
    for n in range(int(rate * seconds)):
        # Pacing the arrivals (not waiting for a result): each call starts at its own time.
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
        tasks.append(asyncio.ensure_future(call()))
    return list(await asyncio.gather(*tasks))


async def test_past_capacity_syncs_are_shed_while_logins_and_writes_keep_working(
    overloadable: tuple[httpx.AsyncClient, dict[str, StubService], str],
) -> None:
    client, stubs, token = overloadable
    auth = {"Authorization": f"Bearer {token}"}
    login_form = {"grant_type": "password", "username": "a@example.test", "password": "x", "client_id": "cli"}

    def latency(call: Callable[[], Awaitable[httpx.Response]]) -> Callable[[], Awaitable[httpx.Response]]:
        async def timed() -> httpx.Response:
            started = time.perf_counter()
            response = await call()
            response.extensions["ms"] = (time.perf_counter() - started) * 1000
            return response

        return timed

    syncs, logins, writes = await asyncio.gather(
        offer(OFFERED, SECONDS, latency(lambda: client.get("/api/sync?excludeDomains=true", headers=auth))),
        offer(LOGINS_PER_SECOND, SECONDS, latency(lambda: client.post("/identity/connect/token", data=login_form))),
        offer(
            WRITES_PER_SECOND, SECONDS, latency(lambda: client.post("/api/folders", json={"name": "2.x"}, headers=auth))
        ),
    )

    accepted = [r for r in syncs if r.status_code == 200]
    shed = [r for r in syncs if r.status_code == 503]
    accepted_ms = sorted(r.extensions["ms"] for r in accepted)
    print(
        f"\noffered {len(syncs)} syncs at {OFFERED:g}/s (3× a capacity of {CAPACITY:g}/s) for {SECONDS:g} s: "
        f"{len(accepted)} accepted, {len(shed)} shed; accepted p50 {accepted_ms[len(accepted_ms) // 2]:.0f} ms, "
        f"max {accepted_ms[-1]:.0f} ms; logins {Counter(r.status_code for r in logins)}, "
        f"writes {Counter(r.status_code for r in writes)}"
    )
    assert shed, "nothing was shed at 3× capacity"
    assert accepted, "every sync was shed"
    assert len(accepted) + len(shed) == len(syncs), Counter(r.status_code for r in syncs)
    for response in shed:
        assert int(response.headers["retry-after"]) == 3
        assert response.headers["content-type"] == "application/json"
        assert response.json()["object"] == "error"
        assert "busy" in response.json()["message"]
    for response in accepted:
        assert response.json()["object"] == "sync"
        assert len(response.json()["ciphers"]) == 50
    # Shed syncs never reached a service: the vault saw exactly the accepted ones.
    assert sum(1 for seen in stubs["vault"].seen if seen["path"] == "/internal/sync") == len(accepted)
    # Logins and writes queue in lanes of their own: none shed, all answered by their service.
    assert [r.status_code for r in logins] == [200] * len(logins)
    assert [r.status_code for r in writes] == [200] * len(writes)
    assert {r.json()["path"] for r in writes} == {"/api/folders"}


def test_route_classes() -> None:
    assert classify("GET", "/api/sync") is RouteClass.HEAVY
    assert classify("GET", "/api/ciphers") is RouteClass.HEAVY
    assert classify("GET", "/api/ciphers/organization-details") is RouteClass.HEAVY
    assert classify("GET", "/api/ciphers/c1") is RouteClass.READ
    assert classify("GET", "/api/accounts/revision-date") is RouteClass.READ
    assert classify("POST", "/identity/connect/token") is RouteClass.LOGIN
    assert classify("POST", "/identity/accounts/prelogin") is RouteClass.LOGIN
    assert classify("POST", "/api/ciphers") is RouteClass.WRITE
    assert classify("PUT", "/api/sync") is RouteClass.WRITE
    for never in ("/health", "/alive", "/", "/assets/app.js", "/ops", "/api"):
        assert classify("GET", never) is None
