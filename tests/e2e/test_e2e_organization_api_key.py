"""An organization's API key through the gateway (issue 14): an Owner views it with the master-password hash
(checked by the gateway with identity), logs in with `client_credentials` as `organization.<id>` (scope
`api.organization`), reads the organization's members at `/api/public/members`; the token is good for nothing else,
and rotating refuses the old token at once and the old secret as soon as identity hears of it."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.crypto import derive_master_key, master_password_hash
from mspvault.client.onboarding import wait_for
from mspvault.deploy.system import System
from mspvault.shared.testing import samples
from tests.e2e.conftest import new_email

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple 42"


@pytest_asyncio.fixture(loop_scope="session")
async def raw(system: System) -> AsyncIterator[httpx.AsyncClient]:
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=30) as http:
        yield http


async def owner_of_new_org(client: MSPVaultClient, raw: httpx.AsyncClient) -> tuple[str, dict[str, str], str]:
    email = new_email()
    await client.register(email, PASSWORD, name="Olga")
    session = await client.login(email, PASSWORD)
    auth = {"Authorization": f"Bearer {session.access_token}"}
    created = await raw.post(
        "/api/organizations",
        headers=auth,
        json={
            "name": "Fabrikam",
            "billingEmail": email,
            "planType": 20,
            "key": samples.rsa_enc_string(),
            "keys": {"publicKey": samples.public_key(), "encryptedPrivateKey": samples.enc_string()},
            "collectionName": samples.enc_string(),
        },
    )
    assert created.status_code == 200, created.text
    secret = master_password_hash(derive_master_key(PASSWORD, email, session.kdf), PASSWORD)
    return created.json()["id"], auth, secret


async def org_token(raw: httpx.AsyncClient, org_id: str, secret: str) -> httpx.Response:
    form = {
        "grant_type": "client_credentials",
        "scope": "api.organization",
        "client_id": f"organization.{org_id}",
        "client_secret": secret,
    }
    return await raw.post("/identity/connect/token", data=form)


async def test_an_organization_api_key_reads_its_members_and_rotating_ends_the_old_one(
    client: MSPVaultClient, raw: httpx.AsyncClient
) -> None:
    org_id, auth, secret = await owner_of_new_org(client, raw)
    path = f"/api/organizations/{org_id}/api-key"
    wrong = await raw.post(path, headers=auth, json={"masterPasswordHash": "d3Jvbmc=", "type": 0})
    assert wrong.status_code == 400
    assert wrong.json()["message"] == "User verification failed."
    assert (await raw.post(path, headers=auth, json={"type": 0})).status_code == 400
    viewed = await raw.post(path, headers=auth, json={"masterPasswordHash": secret, "type": 0})
    assert viewed.status_code == 200, viewed.text
    assert viewed.json()["object"] == "apiKey"
    api_key = viewed.json()["apiKey"]

    tokens: list[str] = []

    async def logged_in() -> bool:
        response = await org_token(raw, org_id, api_key)
        if response.status_code == 200:
            tokens.append(response.json()["access_token"])
        return response.status_code == 200

    await wait_for(logged_in, what="identity to learn the organization's API key", timeout=30)
    org_auth = {"Authorization": f"Bearer {tokens[-1]}"}
    members = await raw.get("/api/public/members", headers=org_auth)
    assert members.status_code == 200, members.text
    [olga] = members.json()["data"]
    assert (olga["object"], olga["type"], olga["status"]) == ("member", 0, 2)
    # The organization's token speaks for no user, and a user's token is no organization's.
    assert (await raw.get("/api/accounts/profile", headers=org_auth)).status_code == 401
    assert (await raw.get(f"/api/organizations/{org_id}", headers=org_auth)).status_code == 401
    assert (await raw.get("/api/public/members", headers=auth)).status_code == 401

    rotated = await raw.post(
        f"/api/organizations/{org_id}/rotate-api-key", headers=auth, json={"masterPasswordHash": secret, "type": 0}
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["apiKey"] != api_key
    assert (await raw.get("/api/public/members", headers=org_auth)).status_code == 401  # at once

    async def old_secret_refused() -> bool:
        return (await org_token(raw, org_id, api_key)).status_code == 400

    await wait_for(old_secret_refused, what="identity to refuse the rotated-away secret", timeout=30)
    api_key = rotated.json()["apiKey"]
    await wait_for(logged_in, what="the new secret to log in", timeout=30)
    fresh = {"Authorization": f"Bearer {tokens[-1]}"}
    assert (await raw.get("/api/public/members", headers=fresh)).status_code == 200


async def test_only_owners_see_the_organization_api_key(
    client: MSPVaultClient, raw: httpx.AsyncClient, system: System
) -> None:
    org_id, _, _ = await owner_of_new_org(client, raw)
    email = new_email()
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path) as stranger:
        await stranger.register(email, PASSWORD)
        session = await stranger.login(email, PASSWORD)
        secret = master_password_hash(derive_master_key(PASSWORD, email, session.kdf), PASSWORD)
        refused = await raw.post(
            f"/api/organizations/{org_id}/api-key",
            headers={"Authorization": f"Bearer {session.access_token}"},
            json={"masterPasswordHash": secret, "type": 0},
        )
    assert refused.status_code == 404
