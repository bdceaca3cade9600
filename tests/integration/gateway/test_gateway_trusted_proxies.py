"""X-Forwarded-For is believed only from the configured proxies (issue 11): from anyone else, a caller who writes a
new address in the header each time still meets the per-IP limits, and the services are told the connecting
address."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.integration.gateway.conftest import GatewayOverrides, GatewayUnderTest


@pytest.fixture
def gateway_overrides(request: pytest.FixtureRequest) -> GatewayOverrides:
    return {"trusted_proxies": getattr(request, "param", [])}


@asynccontextmanager
async def from_ip(gateway: GatewayUnderTest, ip: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=gateway.app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://gateway.test") as client:
        yield client


def login_form() -> dict[str, str]:
    username = f"{uuid.uuid4().hex[:8]}@x.test"
    return {"grant_type": "password", "username": username, "password": "x", "client_id": "cli", "scope": "api"}


async def _logins(client: httpx.AsyncClient, count: int, *, spoof: bool) -> list[int]:
    statuses = []
    for index in range(count):
        headers = {"X-Forwarded-For": f"198.51.100.{index + 1}"} if spoof else {}
        statuses.append((await client.post("/identity/connect/token", data=login_form(), headers=headers)).status_code)
    return statuses


async def test_without_trusted_proxies_a_forged_x_forwarded_for_changes_nothing(gateway: GatewayUnderTest) -> None:
    async with from_ip(gateway, "127.0.0.1") as local, from_ip(gateway, "203.0.113.9") as remote:
        for client in (local, remote):  # not even from the loopback (uvicorn's default would trust it)
            statuses = await _logins(client, 11, spoof=True)
            assert statuses == [200] * 10 + [429]
    seen = [s["headers"]["x-forwarded-for"] for s in gateway.stubs["identity"].seen]
    assert set(seen) == {"127.0.0.1", "203.0.113.9"}


@pytest.mark.parametrize("gateway_overrides", [["10.0.0.0/8"]], indirect=True)
async def test_a_configured_proxy_names_the_client_and_nobody_else_can(gateway: GatewayUnderTest) -> None:
    async with from_ip(gateway, "10.1.2.3") as proxy, from_ip(gateway, "203.0.113.9") as outsider:
        # Through the proxy, each client has its own limit, and the services are told who it is.
        assert await _logins(proxy, 12, spoof=True) == [200] * 12
        told = [s["headers"]["x-forwarded-for"] for s in gateway.stubs["identity"].seen]
        assert told == [f"198.51.100.{i + 1}" for i in range(12)]
        # A chain: the client is the nearest address the proxies did not add themselves.
        chained = {"X-Forwarded-For": "192.0.2.66, 198.51.100.200, 10.9.9.9"}
        await proxy.post("/identity/connect/token", data=login_form(), headers=chained)
        assert gateway.stubs["identity"].seen[-1]["headers"]["x-forwarded-for"] == "198.51.100.200"
        # Someone else writing the header is its own address, and limited as one.
        assert await _logins(outsider, 11, spoof=True) == [200] * 10 + [429]
        assert gateway.stubs["identity"].seen[-1]["headers"]["x-forwarded-for"] == "203.0.113.9"
