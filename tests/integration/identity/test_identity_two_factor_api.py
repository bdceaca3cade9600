"""Two-step login and personal API keys over HTTP on the real PostgreSQL: Bitwarden's shapes, the token endpoint's
400 with `TwoFactorProviders2`, codes mailed through the outbox, remembered devices, and the denials."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import select

from mspvault.identity.adapters.orm import mail_outbox
from tests.integration.identity.conftest import IdentityService, Registered, bearer, jwt_claims

pytestmark = pytest.mark.integration


async def token_form(identity: IdentityService, account: Registered, **extra: str) -> httpx.Response:
    form = {
        "scope": "api offline_access",
        "client_id": "cli",
        "deviceType": "25",
        "deviceIdentifier": account.device_identifier,
        "deviceName": "linux",
        "grant_type": "password",
        "username": account.email,
        "password": account.password_hash,
    } | extra
    return await identity.client.post("/identity/connect/token", data=form)


async def logged_in(identity: IdentityService) -> tuple[Registered, dict[str, str]]:
    account = await identity.register()
    return account, bearer((await identity.login(account))["access_token"])


async def enable_authenticator(identity: IdentityService, account: Registered, auth: dict[str, str]) -> str:
    secret = {"masterPasswordHash": account.password_hash}
    got = await identity.client.post("/api/two-factor/get-authenticator", json=secret, headers=auth)
    assert got.status_code == 200, got.text
    assert got.json()["enabled"] is False
    assert got.json()["object"] == "twoFactorAuthenticator"
    key = got.json()["key"]
    body = secret | {"key": key, "token": pyotp.TOTP(key).now()}
    enabled = await identity.client.put("/api/two-factor/authenticator", json=body, headers=auth)
    assert enabled.status_code == 200, enabled.text
    assert enabled.json() == {
        "enabled": True,
        "key": key,
        "userVerificationToken": None,
        "object": "twoFactorAuthenticator",
    }
    return str(key)


def next_code(key: str) -> str:
    """A code of the next step: the one that enabled the authenticator is spent."""
    return pyotp.TOTP(key).at(time.time() + 30)


async def last_mail(identity: IdentityService, to: str) -> str:
    async with identity.runtime.session_factory() as session:
        rows = (
            await session.execute(
                select(mail_outbox.c.body).where(mail_outbox.c.recipient == to).order_by(mail_outbox.c.id)
            )
        ).all()
    match = re.search(r"code is (\d{6})", rows[-1].body)
    assert match
    return match.group(1)


async def test_an_authenticator_login_is_challenged_then_accepts_the_code_once(identity: IdentityService) -> None:
    account, auth = await logged_in(identity)
    key = await enable_authenticator(identity, account, auth)
    assert (await identity.client.get("/api/accounts/profile", headers=auth)).json()["twoFactorEnabled"] is True
    assert (await identity.client.get("/internal/sync", headers=auth)).json()["profile"]["twoFactorEnabled"] is True
    listed = await identity.client.get("/api/two-factor", headers=auth)
    assert listed.json() == {
        "data": [{"enabled": True, "type": 0, "object": "twoFactorProvider"}],
        "continuationToken": None,
        "object": "list",
    }

    challenged = await token_form(identity, account)
    assert challenged.status_code == 400
    assert challenged.json() == {
        "error": "invalid_grant",
        "error_description": "Two factor required.",
        "TwoFactorProviders": ["0"],
        "TwoFactorProviders2": {"0": None},
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
        "SsoEmail2faSessionToken": None,
    }
    wrong = await token_form(identity, account, twoFactorToken="000000", twoFactorProvider="0")
    if pyotp.TOTP(key).verify("000000", valid_window=1):  # one chance in a few hundred thousand
        pytest.skip("the random key's code happens to be 000000")
    assert wrong.status_code == 400
    assert wrong.json()["ErrorModel"]["Message"] == "Two-step token is invalid. Try again."

    code = next_code(key)
    passed = await token_form(identity, account, twoFactorToken=code, twoFactorProvider="0", twoFactorRemember="1")
    assert passed.status_code == 200, passed.text
    remember = passed.json()["TwoFactorToken"]
    assert passed.json()["refresh_token"]
    again = await token_form(identity, account, twoFactorToken=code, twoFactorProvider="0")
    assert again.status_code == 400  # single use

    remembered = await token_form(identity, account, twoFactorToken=remember, twoFactorProvider="5")
    assert remembered.status_code == 200, remembered.text
    assert "TwoFactorToken" not in remembered.json()
    elsewhere = await token_form(
        identity, account, twoFactorToken=remember, twoFactorProvider="5", deviceIdentifier=str(uuid.uuid4())
    )
    assert elsewhere.json()["TwoFactorProviders2"] == {"0": None}


async def test_every_change_needs_the_master_password_hash(identity: IdentityService) -> None:
    account, auth = await logged_in(identity)
    wrong = {"masterPasswordHash": "d3Jvbmc="}
    changes: list[tuple[str, dict[str, object]]] = [
        ("/api/two-factor/get-authenticator", {}),
        ("/api/two-factor/authenticator", {"key": pyotp.random_base32(32), "token": "123456"}),
        ("/api/two-factor/get-email", {}),
        ("/api/two-factor/send-email", {"email": account.email}),
        ("/api/two-factor/email", {"email": account.email, "token": "123456"}),
        ("/api/two-factor/get-recover", {}),
        ("/api/two-factor/disable", {"type": 0}),
        ("/api/accounts/api-key", {}),
        ("/api/accounts/rotate-api-key", {}),
    ]
    for path, extra in changes:
        response = await identity.client.post(path, json=wrong | extra, headers=auth)
        assert response.status_code == 400, path
        assert response.json()["message"] == "User verification failed.", path
        assert (await identity.client.post(path, json=wrong | extra)).status_code == 401, path


async def test_email_codes_enable_the_provider_and_log_in(identity: IdentityService) -> None:
    account, auth = await logged_in(identity)
    secret = {"masterPasswordHash": account.password_hash}
    got = await identity.client.post("/api/two-factor/get-email", json=secret, headers=auth)
    assert got.json() == {"enabled": False, "email": account.email, "object": "twoFactorEmail"}
    sent = await identity.client.post(
        "/api/two-factor/send-email", json=secret | {"email": account.email}, headers=auth
    )
    assert sent.status_code == 200, sent.text
    code = await last_mail(identity, account.email)
    enabled = await identity.client.put(
        "/api/two-factor/email", json=secret | {"email": account.email, "token": code}, headers=auth
    )
    assert enabled.json() == {"enabled": True, "email": account.email, "object": "twoFactorEmail"}

    challenged = await token_form(identity, account)
    assert challenged.status_code == 400
    (provider,) = challenged.json()["TwoFactorProviders2"].values()
    assert provider["Email"].endswith("@" + account.email.split("@")[1])
    assert provider["Email"] != account.email
    mailed = await last_mail(identity, account.email)  # the only provider: a code is mailed at once
    assert (await token_form(identity, account, twoFactorToken=mailed, twoFactorProvider="1")).status_code == 200
    asked = await identity.client.post("/api/two-factor/send-email-login", json=secret | {"email": account.email})
    assert asked.status_code == 200
    login_code = await last_mail(identity, account.email)
    passed = await token_form(identity, account, twoFactorToken=login_code, twoFactorProvider="1")
    assert passed.status_code == 200, passed.text


async def test_the_recovery_code_turns_two_step_login_off(identity: IdentityService) -> None:
    account, auth = await logged_in(identity)
    await enable_authenticator(identity, account, auth)
    secret = {"masterPasswordHash": account.password_hash}
    code = (await identity.client.post("/api/two-factor/get-recover", json=secret, headers=auth)).json()
    assert code["object"] == "twoFactorRecover"
    assert len(code["code"]) == 32
    refused = await identity.client.post(
        "/api/two-factor/recover", json=secret | {"email": account.email, "recoveryCode": "X" * 32}
    )
    assert refused.status_code == 400
    recovered = await identity.client.post(
        "/api/two-factor/recover", json=secret | {"email": account.email, "recoveryCode": code["code"]}
    )
    assert recovered.status_code == 200, recovered.text
    assert (await token_form(identity, account)).status_code == 200
    assert (await identity.client.get("/api/two-factor", headers=auth)).json()["data"] == []
    assert (await identity.client.get("/api/accounts/profile", headers=auth)).json()["twoFactorEnabled"] is False


async def test_a_personal_api_key_logs_in_and_a_rotated_one_is_refused_at_once(identity: IdentityService) -> None:
    account, auth = await logged_in(identity)
    await enable_authenticator(identity, account, auth)  # the key skips the second step, as Bitwarden's does
    secret = {"masterPasswordHash": account.password_hash}
    viewed = (await identity.client.post("/api/accounts/api-key", json=secret, headers=auth)).json()
    assert viewed["object"] == "apiKey"
    assert len(viewed["apiKey"]) == 30
    user_id = jwt_claims(auth["Authorization"].split()[1])["sub"]

    async def client_credentials(client_secret: str, client_id: str = f"user.{user_id}") -> httpx.Response:
        form = {
            "grant_type": "client_credentials",
            "scope": "api",
            "client_id": client_id,
            "client_secret": client_secret,
            "deviceType": "25",
            "deviceIdentifier": str(uuid.uuid4()),
            "deviceName": "linux",
        }
        return await identity.client.post("/identity/connect/token", data=form)

    logged = await client_credentials(viewed["apiKey"])
    assert logged.status_code == 200, logged.text
    body: dict[str, Any] = logged.json()
    assert "refresh_token" not in body
    assert body["scope"] == "api"
    assert body["Key"] == account.body["key"]
    claims = jwt_claims(body["access_token"])
    assert (claims["sub"], claims["scope"], claims["client_id"]) == (user_id, ["api"], f"user.{user_id}")
    profile = await identity.client.get("/api/accounts/profile", headers=bearer(body["access_token"]))
    assert profile.status_code == 200

    rotated = (await identity.client.post("/api/accounts/rotate-api-key", json=secret, headers=auth)).json()
    assert rotated["apiKey"] != viewed["apiKey"]
    old = await client_credentials(viewed["apiKey"])
    assert old.status_code == 400
    assert old.json()["error"] == "invalid_client"
    assert (await client_credentials(rotated["apiKey"])).status_code == 200
    assert (await client_credentials(rotated["apiKey"], client_id=f"user.{uuid.uuid4()}")).status_code == 400
    bad_scope = await identity.client.post(
        "/identity/connect/token",
        data={
            "grant_type": "client_credentials",
            "scope": "api.organization",
            "client_id": f"user.{user_id}",
            "client_secret": rotated["apiKey"],
            "deviceType": "25",
            "deviceIdentifier": "x",
            "deviceName": "linux",
        },
    )
    assert bad_scope.status_code == 400
