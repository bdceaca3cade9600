"""Session control over HTTP: change the master password or KDF, log out everywhere, delete the account. Each
needs the current master-password hash (400 "Invalid password." otherwise), revokes every refresh token at once,
and makes every access token of the account stop authenticating (the security-stamp watch)."""

from __future__ import annotations

import base64
import os
from typing import Any

import httpx
import pytest

from mspvault.identity.adapters.organization_directory import HttpOrganizationDirectory
from mspvault.shared.testing import wait_until
from tests.integration.identity.conftest import IdentityService, Registered, bearer
from tests.unit.identity.samples import enc_string_2

pytestmark = pytest.mark.integration


def new_hash() -> str:
    return base64.b64encode(os.urandom(32)).decode()


async def unauthorized(identity: IdentityService, token: str) -> bool:
    """A route that needs only a valid token (no account lookup): refused once the watch knows the new stamp."""
    response = await identity.client.post("/api/accounts/security-stamp", json={}, headers=bearer(token))
    return response.status_code == 401


async def assert_sessions_ended(identity: IdentityService, session: dict[str, Any]) -> None:
    refreshed = await identity.refresh(session["refresh_token"])
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"
    profile = await identity.client.get("/api/accounts/profile", headers=bearer(session["access_token"]))
    assert profile.status_code == 401
    await wait_until(lambda: unauthorized(identity, session["access_token"]), timeout=10, message="old token refused")


async def post(identity: IdentityService, path: str, token: str, body: dict[str, Any]) -> httpx.Response:
    return await identity.client.post(path, json=body, headers=bearer(token))


async def test_changing_the_master_password_ends_every_session_and_the_new_one_logs_in(
    identity: IdentityService,
) -> None:
    account = await identity.register()
    first, second = await identity.login(account), await identity.login(account)
    password, key = new_hash(), enc_string_2(64)
    body = {"masterPasswordHash": account.password_hash, "newMasterPasswordHash": password, "key": key}
    response = await post(identity, "/api/accounts/password", first["access_token"], body)
    assert response.status_code == 200, response.text
    for session in (first, second):
        await assert_sessions_ended(identity, session)
    assert (await identity.password_grant(account.email, account.password_hash)).status_code == 400
    fresh = await identity.login(Registered(account.email, password, account.body))
    assert fresh["Key"] == key
    profile = await identity.client.get("/api/accounts/profile", headers=bearer(fresh["access_token"]))
    assert profile.status_code == 200


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/api/accounts/password", {"newMasterPasswordHash": "bmV3", "key": enc_string_2()}),
        (
            "/api/accounts/kdf",
            {"newMasterPasswordHash": "bmV3", "key": enc_string_2(), "kdf": 0, "kdfIterations": 700000},
        ),
        ("/api/accounts/security-stamp", {}),
        ("/api/accounts/delete", {}),  # refused before any other service is asked
    ],
)
async def test_a_wrong_master_password_hash_is_a_400_and_the_session_lives_on(
    identity: IdentityService, path: str, extra: dict[str, Any]
) -> None:
    account = await identity.register()
    session = await identity.login(account)
    response = await post(identity, path, session["access_token"], {"masterPasswordHash": new_hash(), **extra})
    assert response.status_code == 400
    assert response.json()["validationErrors"] == {"masterPasswordHash": ["Invalid password."]}
    assert (await identity.refresh(session["refresh_token"])).status_code == 200
    profile = await identity.client.get("/api/accounts/profile", headers=bearer(session["access_token"]))
    assert profile.status_code == 200


async def test_changing_the_kdf_is_what_prelogin_answers_next(identity: IdentityService) -> None:
    account = await identity.register()
    session = await identity.login(account)
    password = new_hash()
    body = {
        "masterPasswordHash": account.password_hash,
        "newMasterPasswordHash": password,
        "key": enc_string_2(48),
        "kdf": 1,
        "kdfIterations": 3,
        "kdfMemory": 64,
        "kdfParallelism": 4,
    }
    assert (await post(identity, "/api/accounts/kdf", session["access_token"], body)).status_code == 200
    prelogin = (await identity.client.post("/identity/accounts/prelogin", json={"email": account.email})).json()
    assert (prelogin["kdf"], prelogin["kdfIterations"], prelogin["kdfMemory"], prelogin["kdfParallelism"]) == (
        1,
        3,
        64,
        4,
    )
    await assert_sessions_ended(identity, session)
    await identity.login(Registered(account.email, password, account.body))


async def test_kdf_below_the_floor_is_refused(identity: IdentityService) -> None:
    account = await identity.register()
    session = await identity.login(account)
    body = {"masterPasswordHash": account.password_hash, "newMasterPasswordHash": new_hash(), "key": enc_string_2()}
    response = await post(identity, "/api/accounts/kdf", session["access_token"], body | {"kdf": 0, "kdfIterations": 1})
    assert response.status_code == 400
    assert "kdfIterations" in response.json()["validationErrors"]


async def test_logging_out_everywhere_keeps_the_password(identity: IdentityService) -> None:
    account = await identity.register()
    session = await identity.login(account)
    body = {"masterPasswordHash": account.password_hash}
    assert (await post(identity, "/api/accounts/security-stamp", session["access_token"], body)).status_code == 200
    await assert_sessions_ended(identity, session)
    await identity.login(account)


async def no_sole_ownership(self: HttpOrganizationDirectory, bearer: str) -> tuple[int, int]:
    return 0, 0


async def test_deleting_the_account_ends_it(identity: IdentityService, monkeypatch: pytest.MonkeyPatch) -> None:
    # No organization or provider service runs beside this identity: neither has anything of this account.
    monkeypatch.setattr(HttpOrganizationDirectory, "sole_ownership", no_sole_ownership)
    account = await identity.register()
    session = await identity.login(account)
    response = await identity.client.request(
        "DELETE",
        "/api/accounts",
        json={"masterPasswordHash": account.password_hash},
        headers=bearer(session["access_token"]),
    )
    assert response.status_code == 200, response.text
    await assert_sessions_ended(identity, session)
    assert (await identity.password_grant(account.email, account.password_hash)).status_code == 400
    await identity.register(email=account.email)  # the address is free again
