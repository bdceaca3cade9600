"""End to end over HTTPS through the gateway, with real client-side crypto (PBKDF2-SHA256 600k, HKDF stretch,
AES-256-CBC+HMAC EncStrings, RSA-2048): the walking skeleton's account flow as the Bitwarden CLI drives it."""

from __future__ import annotations

import asyncio
import ssl
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from mspvault.client import ApiError, MSPVaultClient
from mspvault.client.crypto import AccountKeys, KdfType, derive_master_key, unlock_user_key
from mspvault.deploy.system import System
from mspvault.shared.settings import GatewaySettings
from tests.e2e.conftest import new_email

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple 42"


@pytest_asyncio.fixture(loop_scope="session")
async def raw(system: System) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTPS to the gateway, for what the client library hides (headers, exact error bodies)."""
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=30) as http:
        yield http


async def _registered(client: MSPVaultClient, name: str = "Alice") -> tuple[str, AccountKeys]:
    email = new_email()
    keys = await client.register(email, PASSWORD, name=name)
    return email, keys


def _bearer(client: MSPVaultClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.session.access_token}"}


async def test_register_prelogin_login_and_profile(client: MSPVaultClient) -> None:
    email, keys = await _registered(client)

    kdf = await client.prelogin(email)
    assert kdf.kdf_type is KdfType.PBKDF2_SHA256
    assert kdf.iterations == 600_000

    session = await client.login(email, PASSWORD)
    assert session.user_key == keys.user_key  # the token response's Key opened with the master key
    assert session.private_key == keys.private_key

    profile = await client.profile()
    assert profile["email"] == email
    assert profile["name"] == "Alice"
    assert profile["id"] == session.user_id
    assert profile["object"] == "profile"
    assert profile["organizations"] == []
    assert profile["providers"] == []
    assert profile["providerOrganizations"] == []
    master_key = await asyncio.to_thread(derive_master_key, PASSWORD, email, kdf)
    assert unlock_user_key(master_key, profile["key"]) == keys.user_key

    assert await client.user_public_key(session.user_id) == keys.public_key


async def test_wrong_password_is_a_400_in_bitwardens_error_shape(client: MSPVaultClient) -> None:
    email, _ = await _registered(client)
    with pytest.raises(ApiError) as refused:
        await client.login(email, PASSWORD + "!")
    assert refused.value.status == 400
    assert refused.value.body["error"] == "invalid_grant"
    assert refused.value.body["ErrorModel"]["Message"] == "Username or password is incorrect. Try again"
    # An unknown account answers exactly alike: nothing tells who is registered.
    with pytest.raises(ApiError) as unknown:
        await client.login(new_email(), PASSWORD)
    assert unknown.value.status == 400
    assert unknown.value.body["ErrorModel"] == refused.value.body["ErrorModel"]


async def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(
    client: MSPVaultClient, raw: httpx.AsyncClient
) -> None:
    email, _ = await _registered(client)
    session = await client.login(email, PASSWORD)
    first = session.refresh_token
    assert first

    await client.refresh()
    second = client.session.refresh_token
    assert second
    assert second != first
    assert (await client.profile())["email"] == email  # the rotated access token works

    def refresh(token: str) -> dict[str, str]:
        return {"grant_type": "refresh_token", "client_id": "cli", "refresh_token": token}

    reused = await raw.post("/identity/connect/token", data=refresh(first))
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    # Reuse means theft: the whole family is revoked, so the legitimate latest token dies too.
    latest = await raw.post("/identity/connect/token", data=refresh(second))
    assert latest.status_code == 400
    assert latest.json()["error"] == "invalid_grant"


async def test_sync_returns_the_decryption_data_and_the_profile_key_opens_with_the_master_key(
    client: MSPVaultClient,
) -> None:
    email, keys = await _registered(client)
    session = await client.login(email, PASSWORD)
    sync = await client.vault.sync(exclude_domains=True)
    assert sync["object"] == "sync"
    assert sync["domains"] is None
    assert sync["sends"] == []
    assert sync["ciphers"] == []
    assert sync["folders"] == []
    assert isinstance(sync["collections"], list)
    assert isinstance(sync["policies"], list)
    assert sync["profile"]["id"] == session.user_id

    unlock = sync["userDecryption"]["masterPasswordUnlock"]
    assert unlock["kdf"] == {"kdfType": 0, "iterations": 600_000, "memory": None, "parallelism": None}
    assert unlock["salt"] == email
    master_key = await asyncio.to_thread(derive_master_key, PASSWORD, email, session.kdf)
    assert unlock_user_key(master_key, unlock["masterKeyEncryptedUserKey"]) == keys.user_key
    assert unlock_user_key(master_key, sync["profile"]["key"]) == keys.user_key

    with_domains = await client.vault.sync(exclude_domains=False)
    assert with_domains["domains"]["object"] == "domains"


async def test_user_key_id_is_stored_once_echoed_by_sync_and_bumps_the_revision_date(
    client: MSPVaultClient, raw: httpx.AsyncClient
) -> None:
    email, _ = await _registered(client)
    await client.login(email, PASSWORD)
    assert (await client.vault.sync())["userDecryption"]["userKeyId"] is None  # the CLI then backfills it

    before = await client.revision_date()
    assert datetime.now(UTC) - timedelta(minutes=5) < before <= datetime.now(UTC) + timedelta(seconds=5)
    key_id = await client.set_user_key_id()
    assert (await client.vault.sync())["userDecryption"]["userKeyId"] == key_id
    assert await client.revision_date() >= before

    with pytest.raises(ApiError) as again:
        await client.set_user_key_id()
    assert again.value.status == 400

    # The CLI reads the revision date as a bare JSON number of epoch milliseconds.
    response = await raw.get("/api/accounts/revision-date", headers=_bearer(client))
    assert response.status_code == 200
    assert isinstance(response.json(), int)


async def test_config_is_served_before_and_after_login(
    system: System, client: MSPVaultClient, raw: httpx.AsyncClient
) -> None:
    anonymous = await raw.get("/api/config")
    assert anonymous.status_code == 200
    config = anonymous.json()
    assert config["object"] == "config"
    assert config["version"] == "2026.6.0"
    assert config["environment"]["api"] == f"{system.gateway_url}/api"
    assert config["environment"]["identity"] == f"{system.gateway_url}/identity"

    email, _ = await _registered(client)
    await client.login(email, PASSWORD)
    signed_in = await raw.get("/api/config", headers=_bearer(client))
    assert signed_in.status_code == 200
    assert signed_in.json() == config


async def test_every_answer_carries_a_correlation_id(client: MSPVaultClient, raw: httpx.AsyncClient) -> None:
    mine = uuid.uuid4().hex
    echoed = await raw.post(
        "/identity/accounts/prelogin/password", json={"email": new_email()}, headers={"X-Correlation-Id": mine}
    )
    assert echoed.status_code == 200
    assert echoed.headers["x-correlation-id"] == mine
    for response in (
        await raw.get("/api/config"),
        await raw.get("/api/sync"),  # 401
        await raw.get("/internal/sync"),  # 404
    ):
        assert response.headers.get("x-correlation-id")


async def test_the_gateway_guards_internal_paths_and_checks_tokens(raw: httpx.AsyncClient) -> None:
    internal = await raw.get("/internal/sync")
    assert internal.status_code == 404
    assert internal.json()["object"] == "error"

    anonymous = await raw.get("/api/sync")
    assert anonymous.status_code == 401
    assert anonymous.json()["errorModel"]["object"] == "error"

    forged = await raw.get("/api/ciphers", headers={"Authorization": "Bearer a.b.c"})
    assert forged.status_code == 401


async def test_public_health_is_bare_and_the_detail_is_for_operators(raw: httpx.AsyncClient) -> None:
    response = await raw.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert (await raw.get("/api/ops/health")).status_code == 401


async def test_openapi_lists_the_public_api_of_every_service(raw: httpx.AsyncClient) -> None:
    response = await raw.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert "x-unavailable-services" not in document
    paths = document["paths"]
    assert "post" in paths["/identity/connect/token"]
    assert "get" in paths["/api/sync"]
    assert not [path for path in paths if path.startswith("/internal") or path == "/health"]
    assert (await raw.get("/docs")).status_code == 200


async def test_bodies_over_the_gateway_cap_are_refused_413(raw: httpx.AsyncClient) -> None:
    limit = GatewaySettings().max_request_body_bytes
    declared = await raw.post("/api/ciphers", content=b"x" * (limit + 1), headers={"Content-Type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["object"] == "error"

    async def chunked() -> AsyncIterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    # Chunked, to a public route that reads its whole body: the gateway counts it and cuts it off at the cap.
    streamed = await raw.post(
        "/identity/accounts/register", content=chunked(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert "too large" in streamed.json()["message"]
