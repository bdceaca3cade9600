"""The gateway in-process, in front of stub services reached through ASGI transports (no sockets)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from mspvault.gateway.bootstrap import build_http_client, create_app
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.settings import GatewaySettings
from tests.integration.gateway.stubs import StubService

SERVICES = ("identity", "provider", "organization", "vault")


@dataclass
class GatewayUnderTest:
    app: FastAPI
    client: httpx.AsyncClient
    stubs: dict[str, StubService]
    key: SigningKey
    user_id: uuid.UUID
    token: str

    def auth(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **extra}

    def operator_auth(self, user_id: uuid.UUID | None = None, *, still_operator: bool = True) -> dict[str, str]:
        """A bearer token with the operator claim (another user than `token`'s); identity confirms the user is an
        operator now unless `still_operator` is False."""
        user_id = user_id or uuid.uuid4()
        if still_operator:
            self.stubs["identity"].operators.add(str(user_id))
        token = self.key.mint(user_id=user_id, email="ops@example.test", extra={"operator": True})
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def stubs() -> dict[str, StubService]:
    return {name: StubService(name) for name in SERVICES}


@pytest.fixture
def unreachable() -> set[str]:
    """Names of services whose transport refuses every connection (a test adds to it before using the gateway)."""
    return set()


class RefusingTransport(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)


@pytest.fixture
def portal_dist(tmp_path: Path) -> Path:
    """Where the gateway looks for the portal's build: nothing there unless a test puts files in it."""
    return tmp_path / "portal-dist"


class GatewayOverrides(TypedDict, total=False):
    """The settings a test module may change for its gateway, typed as GatewaySettings types them."""

    trusted_proxies: list[str]


@pytest.fixture
def gateway_overrides() -> GatewayOverrides:
    """Settings a test module changes for its gateway (override this fixture)."""
    return {}


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(
    stubs: dict[str, StubService], unreachable: set[str], portal_dist: Path, gateway_overrides: GatewayOverrides
) -> AsyncIterator[GatewayUnderTest]:
    settings = GatewaySettings(
        **gateway_overrides,
        portal_dir=portal_dist,
        public_url="https://vault.example.test",
        identity_url="http://identity.test",
        provider_url="http://provider.test",
        organization_url="http://organization.test",
        vault_url="http://vault.test/",
    )
    mounts: dict[str, httpx.AsyncBaseTransport] = {
        f"http://{name}.test": RefusingTransport() if name in unreachable else httpx.ASGITransport(app=stub.app())
        for name, stub in stubs.items()
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
        yield GatewayUnderTest(app, client, stubs, key, user_id, token)
    await http.aclose()
