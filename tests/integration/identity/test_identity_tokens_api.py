"""The OAuth grants: password login, refresh rotation, reuse detection, expiry, and what a token carries."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from mspvault.identity.adapters.orm import devices, operators, refresh_token_families
from mspvault.identity.entrypoints import cli
from mspvault.shared.auth.verifier import JWKS_PATH, JwksVerifier
from tests.integration.identity.conftest import OPERATOR_EMAIL, IdentityService, bearer, jwt_claims

pytestmark = pytest.mark.integration

INVALID_LOGIN = {
    "error": "invalid_grant",
    "error_description": "Username or password is incorrect. Try again",
    "ErrorModel": {"Message": "Username or password is incorrect. Try again", "Object": "error"},
}


async def test_password_grant_answers_what_the_bw_cli_needs(identity: IdentityService) -> None:
    account = await identity.register()
    body = await identity.login(account)
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "api offline_access"
    assert body["refresh_token"]
    assert body["Key"] == account.body["key"]
    assert body["PrivateKey"] == account.body["keys"]["encryptedPrivateKey"]
    assert (body["Kdf"], body["KdfIterations"]) == (0, 600000)
    assert body["AccountKeys"]["publicKeyEncryptionKeyPair"]["publicKey"] == account.body["keys"]["publicKey"]
    unlock = body["UserDecryptionOptions"]["MasterPasswordUnlock"]
    assert unlock["MasterKeyEncryptedUserKey"] == unlock["MasterKeyWrappedUserKey"] == account.body["key"]
    assert unlock["Salt"] == account.email
    assert body["ResetMasterPassword"] is False
    assert body["ForcePasswordReset"] is False
    assert body["MasterPasswordPolicy"] == {"Object": "masterPasswordPolicy"}


async def test_access_token_claims(identity: IdentityService) -> None:
    account = await identity.register()
    token = (await identity.login(account))["access_token"]
    claims = jwt_claims(token)
    assert uuid.UUID(claims["sub"])
    assert claims["email"] == account.email
    assert claims["name"] == "Test User"
    assert claims["device"] == account.device_identifier
    assert claims["devicetype"] == "25"
    assert claims["client_id"] == "cli"
    assert claims["premium"] is True
    assert claims["email_verified"] is False  # nobody has opened a verification link yet (issue 11 #2)
    assert claims["scope"] == ["api", "offline_access"]
    assert claims["amr"] == ["Application"]
    assert claims["sstamp"]
    assert "operator" not in claims
    assert 3590 <= claims["exp"] - int(time.time()) <= 3600


async def test_tokens_verify_against_the_published_jwks(identity: IdentityService) -> None:
    token = (await identity.login(await identity.register()))["access_token"]
    jwks = (await identity.client.get(JWKS_PATH)).json()
    assert [key["alg"] for key in jwks["keys"]] == ["RS256"]
    verifier = JwksVerifier("http://unused")
    verifier.add_jwks(jwks)
    principal = await verifier.verify(token)
    assert str(principal.user_id) == jwt_claims(token)["sub"]
    assert principal.device_type == 25


async def test_wrong_password_and_unknown_user_fail_alike(identity: IdentityService) -> None:
    account = await identity.register()
    wrong = await identity.password_grant(account.email, "d3JvbmcgaGFzaA==")
    unknown = await identity.password_grant("nobody-" + account.email, account.password_hash)
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == INVALID_LOGIN


async def test_password_grant_needs_the_device_fields(identity: IdentityService) -> None:
    account = await identity.register()
    form = {"grant_type": "password", "client_id": "cli", "username": account.email, "password": "x"}
    response = await identity.client.post("/identity/connect/token", data=form)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_unsupported_grant(identity: IdentityService) -> None:
    response = await identity.client.post("/identity/connect/token", data={"grant_type": "authorization_code"})
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}


async def test_devices_are_recorded_per_user(identity: IdentityService) -> None:
    account = await identity.register()
    await identity.login(account)
    await identity.login(account)
    async with identity.runtime.session_factory() as session:
        rows = (await session.execute(select(devices).where(devices.c.identifier == account.device_identifier))).all()
    assert [(row.type, row.name) for row in rows] == [(25, "linux")]


async def test_refresh_rotates_the_token_every_time(identity: IdentityService) -> None:
    login = await identity.login(await identity.register())
    first = await identity.refresh(login["refresh_token"])
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "refresh_token", "scope"}
    assert body["refresh_token"] != login["refresh_token"]
    assert jwt_claims(body["access_token"])["sub"] == jwt_claims(login["access_token"])["sub"]
    second = await identity.refresh(body["refresh_token"])
    assert second.status_code == 200
    profile = await identity.client.get("/api/accounts/profile", headers=bearer(second.json()["access_token"]))
    assert profile.status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(identity: IdentityService) -> None:
    login = await identity.login(await identity.register())
    spent = login["refresh_token"]
    newest = (await identity.refresh(spent)).json()["refresh_token"]

    replay = await identity.refresh(spent)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    # The legitimate holder's newest token dies with the family: both parties must log in again.
    after = await identity.refresh(newest)
    assert after.status_code == 400
    assert after.json()["error"] == "invalid_grant"


async def test_other_logins_survive_a_revoked_family(identity: IdentityService) -> None:
    account = await identity.register()
    stolen = (await identity.login(account))["refresh_token"]
    other = (await identity.login(account))["refresh_token"]
    await identity.refresh(stolen)
    await identity.refresh(stolen)  # reuse: revokes the first family only
    assert (await identity.refresh(other)).status_code == 200


async def test_expired_family_is_refused(identity: IdentityService) -> None:
    login = await identity.login(await identity.register())
    user_id = uuid.UUID(jwt_claims(login["access_token"])["sub"])
    async with identity.runtime.session_factory() as session:
        await session.execute(
            update(refresh_token_families)
            .where(refresh_token_families.c.user_id == user_id)
            .values(expires_at=refresh_token_families.c.created_at - timedelta(seconds=1))
        )
        await session.commit()
    response = await identity.refresh(login["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_unknown_refresh_token(identity: IdentityService) -> None:
    response = await identity.refresh("not-a-token")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_configured_operator_gets_the_operator_claim(identity: IdentityService) -> None:
    account = await identity.register(email=OPERATOR_EMAIL.upper())
    assert "operator" not in jwt_claims((await identity.login(account))["access_token"])
    await identity.verify_email(account)
    login = await identity.login(account)
    assert jwt_claims(login["access_token"])["operator"] is True
    refreshed = (await identity.refresh(login["refresh_token"])).json()
    assert jwt_claims(refreshed["access_token"])["operator"] is True


async def test_add_operator_command_takes_a_verified_account_and_remove_operator_ends_it(
    identity: IdentityService, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = await identity.register()
    assert "operator" not in jwt_claims((await identity.login(account))["access_token"])
    monkeypatch.setenv("MSPVAULT_IDENTITY_DATABASE_URL", identity.settings.database_url)
    monkeypatch.setenv("MSPVAULT_IDENTITY_KAFKA_BOOTSTRAP", identity.settings.kafka_bootstrap)
    for email in (account.email, "nobody-" + account.email):  # not verified yet / no account at all
        with pytest.raises(SystemExit) as refused:
            await asyncio.to_thread(cli.main, ["add-operator", email])
        assert refused.value.code == 1
    await identity.verify_email(account)
    await asyncio.to_thread(cli.main, ["add-operator", f"  {account.email.upper()} "])
    await asyncio.to_thread(cli.main, ["add-operator", account.email])  # idempotent
    user_id = uuid.UUID(jwt_claims((await identity.login(account))["access_token"])["sub"])
    async with identity.runtime.session_factory() as session:
        stored = (await session.execute(select(operators.c.user_id).where(operators.c.user_id == user_id))).all()
    assert len(stored) == 1
    assert jwt_claims((await identity.login(account))["access_token"])["operator"] is True
    await asyncio.to_thread(cli.main, ["remove-operator", account.email])
    assert "operator" not in jwt_claims((await identity.login(account))["access_token"])
