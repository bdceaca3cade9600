"""An organization's API-key token (scope `api.organization`) speaks for the organization: the verifier marks it,
the shared `authenticated` dependency refuses it (401) on every user route of every service, and only routes that
take `organization_client` accept it (which refuses a user's token)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import Depends, FastAPI

from mspvault.shared.auth import JwksVerifier
from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.http.deps import CurrentUser, OrganizationClient, authenticated


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


def app_with(key: SigningKey) -> FastAPI:
    app = FastAPI()
    verifier = JwksVerifier("http://unused")
    verifier.add_jwks(key.jwks())
    app.state.verifier = verifier

    @app.get("/user", dependencies=[Depends(authenticated)])
    async def user_route(user: CurrentUser) -> dict[str, str]:
        return {"user": str(user.user_id)}

    @app.get("/org")
    async def org_route(client: OrganizationClient) -> dict[str, str]:
        return {"organization": str(client.organization_id)}

    return app


async def test_organization_tokens_are_refused_on_user_routes_and_the_other_way_round(key: SigningKey) -> None:
    org_id, user_id = uuid.uuid4(), uuid.uuid4()
    org = {"Authorization": "Bearer " + key.mint(user_id=org_id, email="", extra={"scope": ["api.organization"]})}
    user = {"Authorization": "Bearer " + key.mint(user_id=user_id, email="a@b.test")}
    transport = httpx.ASGITransport(app=app_with(key))
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
        assert (await http.get("/org", headers=org)).json() == {"organization": str(org_id)}
        assert (await http.get("/user", headers=org)).status_code == 401
        assert (await http.get("/user", headers=user)).json() == {"user": str(user_id)}
        assert (await http.get("/org", headers=user)).status_code == 401


async def test_the_verifier_marks_organization_tokens(key: SigningKey) -> None:
    verifier = JwksVerifier("http://unused")
    verifier.add_jwks(key.jwks())
    org_id = uuid.uuid4()
    principal: Principal = await verifier.verify(
        key.mint(user_id=org_id, email="", extra={"scope": ["api.organization"], "sstamp": "s1"})
    )
    assert (principal.organization_id, principal.security_stamp) == (org_id, "s1")
    assert (await verifier.verify(key.mint(user_id=uuid.uuid4(), email="a@b.test"))).organization_id is None
