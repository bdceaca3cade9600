"""Abuse limits, driven through the gateway at their real default values: sliding windows per IP, per account
and per organization, answering 429 with Retry-After and the JSON error body; refused requests never reach the
service and never count. The last test shares the counters of two gateways through PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from mspvault.gateway.bootstrap import build_http_client, create_app
from mspvault.shared.settings import GatewaySettings
from tests.integration.gateway.conftest import GatewayUnderTest
from tests.integration.gateway.stubs import StubService

DEFAULTS = GatewaySettings()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # the start of a minute and of an hour

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def from_ip(gateway: GatewayUnderTest, ip: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=gateway.app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://gateway.test") as client:
        yield client


def login_form(username: str) -> dict[str, str]:
    return {"grant_type": "password", "username": username, "password": "x", "client_id": "cli", "scope": "api"}


def _assert_429(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.json()["object"] == "error"
    retry_after = int(response.headers["retry-after"])
    assert retry_after >= 1
    assert f"{retry_after} seconds" in response.json()["message"]
    return retry_after


def _reached(gateway: GatewayUnderTest, service: str, path: str) -> int:
    return sum(1 for seen in gateway.stubs[service].seen if seen["path"] == path)


def test_the_defaults_are_bitwardens_login_limit_and_sane_others() -> None:
    assert DEFAULTS.login_per_ip_per_minute == 10
    assert DEFAULTS.login_per_account_per_minute > DEFAULTS.login_per_ip_per_minute


async def test_ten_logins_per_minute_per_ip_then_429_until_retry_after(gateway: GatewayUnderTest) -> None:
    clock = FakeClock()
    gateway.app.state.gateway.limiter.counters.clock = clock
    for _ in range(10):
        response = await gateway.client.post("/identity/connect/token", data=login_form(f"{uuid.uuid4()}@x.test"))
        assert response.status_code == 200
    refused = await gateway.client.post("/identity/connect/token", data=login_form("late@x.test"))
    retry_after = _assert_429(refused)
    assert _reached(gateway, "identity", "/identity/connect/token") == 10

    clock.now += retry_after - 1
    assert (await gateway.client.post("/identity/connect/token", data=login_form("a@x.test"))).status_code == 429
    clock.now += 1
    assert (await gateway.client.post("/identity/connect/token", data=login_form("a@x.test"))).status_code == 200


async def test_a_flood_from_one_address_does_not_lock_the_owner_out(gateway: GatewayUnderTest) -> None:
    async with from_ip(gateway, "203.0.113.7") as attacker, from_ip(gateway, "198.51.100.2") as owner:
        statuses = [
            (await attacker.post("/identity/connect/token", data=login_form("alice@x.test"))).status_code
            for _ in range(100)
        ]
        assert statuses.count(200) == 10
        assert statuses.count(429) == 90
        assert (await owner.post("/identity/connect/token", data=login_form("alice@x.test"))).status_code == 200


async def test_an_account_tried_from_many_addresses_is_limited(gateway: GatewayUnderTest) -> None:
    per_account = DEFAULTS.login_per_account_per_minute
    passed = 0
    for n in range(per_account // 5 + 1):  # 5 tries from each of many addresses, all under the per-IP limit
        async with from_ip(gateway, f"192.0.2.{n + 1}") as client:
            for _ in range(5):
                response = await client.post("/identity/connect/token", data=login_form("Carol@X.test "))
                passed += response.status_code == 200
    assert passed == per_account
    async with from_ip(gateway, "192.0.2.200") as fresh:
        _assert_429(await fresh.post("/identity/connect/token", data=login_form("carol@x.test")))
        assert (await fresh.post("/identity/connect/token", data=login_form("dave@x.test"))).status_code == 200


async def test_two_step_codes_are_limited_per_account_and_provider(gateway: GatewayUnderTest) -> None:
    """Guessed authenticator codes use up that provider's allowance; the owner still logs in with an email code,
    a remembered device, or another account's limits are untouched (issue 14)."""
    limit = DEFAULTS.two_factor_codes_per_account_per_hour
    gateway.app.state.gateway.limiter.counters.clock = FakeClock()

    def with_code(username: str, provider: str) -> dict[str, str]:
        return login_form(username) | {"twoFactorToken": "123456", "twoFactorProvider": provider}

    statuses = []
    for n in range(limit + 1):
        async with from_ip(gateway, f"192.0.2.{n + 1}") as client:
            statuses.append(
                (await client.post("/identity/connect/token", data=with_code("erin@x.test", "0"))).status_code
            )
    assert statuses.count(200) == limit
    assert statuses[-1] == 429
    async with from_ip(gateway, "198.51.100.40") as owner:
        assert (await owner.post("/identity/connect/token", data=with_code("erin@x.test", "1"))).status_code == 200
        assert (await owner.post("/identity/connect/token", data=with_code("erin@x.test", "5"))).status_code == 200
        assert (await owner.post("/identity/connect/token", data=with_code("frank@x.test", "0"))).status_code == 200


async def test_anonymous_two_step_routes_count_as_logins(gateway: GatewayUnderTest) -> None:
    for _ in range(DEFAULTS.login_per_ip_per_minute):
        response = await gateway.client.post("/api/two-factor/recover", json={"email": "a@x.test"})
        assert response.status_code == 200
    _assert_429(await gateway.client.post("/api/two-factor/send-email-login", json={"email": "a@x.test"}))


async def test_prelogin_per_ip(gateway: GatewayUnderTest) -> None:
    for _ in range(DEFAULTS.prelogin_per_ip_per_minute):
        assert (await gateway.client.post("/identity/accounts/prelogin", json={"email": "a@x.test"})).status_code == 200
    _assert_429(await gateway.client.post("/api/accounts/prelogin", json={"email": "b@x.test"}))


async def test_registrations_per_ip_per_hour(gateway: GatewayUnderTest) -> None:
    for _ in range(DEFAULTS.register_per_ip_per_hour):
        response = await gateway.client.post("/identity/accounts/register", json={"email": f"{uuid.uuid4()}@x.test"})
        assert response.status_code == 200
    retry_after = _assert_429(await gateway.client.post("/api/accounts/register", json={"email": "z@x.test"}))
    assert retry_after > 60  # an hourly window
    async with from_ip(gateway, "198.51.100.9") as elsewhere:
        assert (await elsewhere.post("/identity/accounts/register", json={"email": "y@x.test"})).status_code == 200


async def test_invited_emails_per_organization_per_hour(gateway: GatewayUnderTest) -> None:
    limit = DEFAULTS.invites_per_org_per_hour
    org, other = uuid.uuid4(), uuid.uuid4()
    first = [f"{n}@x.test" for n in range(limit - 5)]
    path = f"/api/organizations/{org}/users/invite"
    assert (await gateway.client.post(path, json={"emails": first}, headers=gateway.auth())).status_code == 200
    _assert_429(await gateway.client.post(path, json={"emails": ["a"] * 6}, headers=gateway.auth()))
    assert (await gateway.client.post(path, json={"emails": ["a"] * 5}, headers=gateway.auth())).status_code == 200
    other_path = f"/api/organizations/{other}/users/invite"
    assert (await gateway.client.post(other_path, json={"emails": ["a"]}, headers=gateway.auth())).status_code == 200
    assert (await gateway.client.post(path, json={"emails": ["a"]})).status_code == 401  # anonymous spends nothing


async def test_other_routes_are_not_limited(gateway: GatewayUnderTest) -> None:
    for _ in range(DEFAULTS.login_per_ip_per_minute * 3):
        assert (await gateway.client.get("/api/ciphers", headers=gateway.auth())).status_code == 200


@asynccontextmanager
async def replica(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, StubService]]:
    stub = StubService("identity")
    settings = GatewaySettings(
        database_url=database_url, identity_url="http://identity.test", portal_dir="/nonexistent"
    )
    http = build_http_client(settings, mounts={"http://identity.test": httpx.ASGITransport(app=stub.app())})
    app = create_app(settings, http=http)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.50", 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="https://gateway.test") as client,
    ):
        yield client, stub
    await http.aclose()


@pytest.mark.integration
async def test_replicas_share_their_counters_through_postgresql(new_database) -> None:
    url = await new_database("gateway")
    async with replica(url) as (one, stub_one), replica(url) as (two, stub_two):
        statuses = []
        for n in range(12):
            client = one if n % 2 else two
            statuses.append((await client.post("/identity/connect/token", data=login_form(f"{n}@x.test"))).status_code)
        assert statuses[:10] == [200] * 10
        assert statuses[10:] == [429, 429]
        assert len(stub_one.seen) + len(stub_two.seen) == 10


ODD_SUBJECTS = ("nul\x00byte@x.test", "\ufffe\u202e💥\x85@x.test", "a" * 10_000 + "@x.test")


@pytest.mark.integration
async def test_odd_or_long_subjects_are_counted_not_a_500(new_database) -> None:
    """A NUL byte, odd characters or a 10 kB name in the login form: PostgreSQL refused them in the key column
    (NUL: SQLSTATE 22021; past ~2.7 kB: the index row is too big), a 500 at the gateway. Subjects are hashed."""
    url = await new_database("gateway")
    async with replica(url) as (client, stub):
        for username in ODD_SUBJECTS:
            response = await client.post("/identity/connect/token", data=login_form(username))
            assert response.status_code == 200, response.text
        recover = await client.post("/api/two-factor/recover", json={"email": "nul\x00byte@x.test"})
        assert recover.status_code == 200, recover.text
        lone_surrogate = b'{"email": "\\udcff@x.test"}'  # valid JSON, a string Python cannot encode as UTF-8
        headers = {"content-type": "application/json"}
        recover = await client.post("/api/two-factor/recover", content=lone_surrogate, headers=headers)
        assert recover.status_code == 200, recover.text
    assert len(stub.seen) == len(ODD_SUBJECTS) + 2


async def test_the_in_memory_counters_keep_no_raw_subject(gateway: GatewayUnderTest) -> None:
    """The counters hold a digest of each subject, never the email itself (nor its length: a 10 kB name costs 64
    characters of memory)."""
    long_name = "a" * 10_000 + "@x.test"
    assert (await gateway.client.post("/identity/connect/token", data=login_form(long_name))).status_code == 200
    keys = [key for key, _ in gateway.app.state.gateway.limiter.counters._hits]
    assert keys
    assert all("x.test" not in key and len(key) < 100 for key in keys)
