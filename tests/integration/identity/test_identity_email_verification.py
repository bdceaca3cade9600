"""Email verification (issue 11 #2): `POST /api/accounts/verify-email` mails a link, `POST
/api/accounts/verify-email-token` opens it; until then the account's tokens and profile say `email_verified: false`
and an operator address named in settings gives no operator rights."""

from __future__ import annotations

import uuid

from tests.integration.identity.conftest import OPERATOR_EMAIL, IdentityService, bearer, jwt_claims


async def _profile(identity: IdentityService, token: str) -> dict[str, object]:
    response = await identity.client.get("/api/accounts/profile", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_an_account_is_unverified_until_its_link_is_opened(identity: IdentityService) -> None:
    account = await identity.register(email=OPERATOR_EMAIL)
    token = (await identity.login(account))["access_token"]
    assert jwt_claims(token)["email_verified"] is False
    assert "operator" not in jwt_claims(token)
    assert (await _profile(identity, token))["emailVerified"] is False

    await identity.verify_email(account)
    assert (await _profile(identity, token))["emailVerified"] is True
    fresh = (await identity.login(account))["access_token"]
    assert jwt_claims(fresh)["email_verified"] is True
    assert jwt_claims(fresh)["operator"] is True
    again = await identity.client.post("/api/accounts/verify-email", headers=bearer(fresh))
    assert again.status_code == 400
    assert again.json()["message"] == "Email already verified."


async def test_a_bad_link_is_refused_with_400_and_changes_nothing(identity: IdentityService) -> None:
    alice = await identity.register()
    bob = await identity.register()
    bob_token = (await identity.login(bob))["access_token"]
    assert (await identity.client.post("/api/accounts/verify-email", headers=bearer(bob_token))).status_code == 200
    link = await identity.last_verification_link(bob.email)
    alice_id = jwt_claims((await identity.login(alice))["access_token"])["sub"]
    for body in (
        {"userId": alice_id, "token": link["token"]},  # Bob's link on Alice's account
        {"userId": str(uuid.uuid4()), "token": link["token"]},
        {"userId": link["userId"], "token": link["token"][:-3] + "abc"},
        {"userId": link["userId"], "token": "x" * 3000},  # over the field's cap
        {"userId": link["userId"]},
    ):
        response = await identity.client.post("/api/accounts/verify-email-token", json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.headers["content-type"].startswith("application/json")
    assert (await _profile(identity, bob_token))["emailVerified"] is False
    assert (await _profile(identity, (await identity.login(alice))["access_token"]))["emailVerified"] is False


async def test_asking_for_the_link_needs_a_token(identity: IdentityService) -> None:
    assert (await identity.client.post("/api/accounts/verify-email")).status_code == 401
