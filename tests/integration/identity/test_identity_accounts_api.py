"""Register, prelogin, profile, revision dates, keys, user-key id and the public-key directory."""

from __future__ import annotations

import uuid

import pytest

from mspvault.shared.auth.signing import SigningKey
from tests.integration.identity.conftest import IdentityService, bearer, jwt_claims
from tests.unit.identity.samples import enc_string_2, enc_string_4, public_key, random_email, user_key_id

pytestmark = pytest.mark.integration


def jwt_sub(token: str) -> str:
    return str(jwt_claims(token)["sub"])


async def test_register_then_log_in(identity: IdentityService) -> None:
    account = await identity.register()
    tokens = await identity.login(account)
    assert tokens["Key"] == account.body["key"]


async def test_register_lower_cases_the_email_and_answers_like_bitwarden(identity: IdentityService) -> None:
    email = random_email("MiXeD").upper()
    account = await identity.register(email=email)
    tokens = await identity.login(account)
    profile = (await identity.client.get("/api/accounts/profile", headers=bearer(tokens["access_token"]))).json()
    assert profile["email"] == email.lower()


async def test_registering_a_taken_email_answers_as_a_new_one_and_changes_nothing(identity: IdentityService) -> None:
    """Issue 11 #9: registration does not tell who has an account; the first account keeps its password."""
    account = await identity.register()
    fresh = await identity.client.post(
        "/identity/accounts/register", json=dict(account.body, email=random_email("Fresh"))
    )
    again = dict(account.body, email=account.email.upper(), masterPasswordHash="c2Vjb25kLWF0dGVtcHQ=")
    response = await identity.client.post("/identity/accounts/register", json=again)
    assert (response.status_code, response.json()) == (fresh.status_code, fresh.json()) == (200, fresh.json())
    tokens = await identity.login(account)  # the original password still opens the original account
    assert tokens["Key"] == account.body["key"]


async def test_api_register_alias(identity: IdentityService) -> None:
    account = await identity.register()
    body = dict(account.body, email=random_email())
    assert (await identity.client.post("/api/accounts/register", json=body)).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kdfIterations": 100_000}, "kdfIterations"),
        ({"kdfIterations": 2_000_001}, "kdfIterations"),
        ({"kdf": 1, "kdfIterations": 1, "kdfMemory": 64, "kdfParallelism": 4}, "kdfIterations"),
        ({"kdf": 1, "kdfIterations": 3, "kdfMemory": 8, "kdfParallelism": 4}, "kdfMemory"),
        ({"kdf": 1, "kdfIterations": 3, "kdfMemory": 64, "kdfParallelism": 0}, "kdfParallelism"),
        ({"kdf": 5}, "kdf"),
        ({"key": "not-an-enc-string"}, "key"),
        ({"key": enc_string_4()}, "key"),
        ({"email": "nobody"}, "email"),
        ({"masterPasswordHash": ""}, "masterPasswordHash"),
        ({"keys": {"publicKey": "%%%", "encryptedPrivateKey": enc_string_2()}}, "publicKey"),
        ({"keys": {"publicKey": public_key(), "encryptedPrivateKey": "2.x|y|z"}}, "encryptedPrivateKey"),
        ({"kdfIterations": None}, "kdfIterations"),
    ],
)
async def test_register_validates_every_field(identity: IdentityService, change: dict[str, object], field: str) -> None:
    body: dict[str, object] = {
        "email": random_email(),
        "name": "x",
        "masterPasswordHash": "aGFzaA==",
        "key": enc_string_2(),
        "keys": {"publicKey": public_key(), "encryptedPrivateKey": enc_string_2()},
        "kdf": 0,
        "kdfIterations": 600000,
    }
    body.update(change)
    response = await identity.client.post("/identity/accounts/register", json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["validationErrors"]


async def test_argon2id_account_round_trips_through_prelogin(identity: IdentityService) -> None:
    account = await identity.register(kdf=1, kdfIterations=3, kdfMemory=64, kdfParallelism=4)
    response = await identity.client.post("/identity/accounts/prelogin/password", json={"email": account.email})
    assert response.json()["kdfSettings"] == {"kdfType": 1, "iterations": 3, "memory": 64, "parallelism": 4}
    tokens = await identity.login(account)
    assert tokens["UserDecryptionOptions"]["MasterPasswordUnlock"]["Kdf"]["Memory"] == 64


@pytest.mark.parametrize("path", ["/identity/accounts/prelogin", "/identity/accounts/prelogin/password"])
async def test_prelogin_for_an_unknown_email_answers_a_stable_plausible_kdf(
    identity: IdentityService, path: str
) -> None:
    """Issue 11 #9: not always the defaults (an account with other settings would stand out), the same answer every
    time for one email, in the shape of a real answer."""
    known = await identity.register(kdf=1, kdfIterations=3, kdfMemory=64, kdfParallelism=4)
    existing = await identity.client.post(path, json={"email": known.email})
    unknown_emails = [random_email(f"Nobody{i}") for i in range(24)]
    answers = [(await identity.client.post(path, json={"email": email})).json() for email in unknown_emails]
    again = (await identity.client.post(path, json={"email": unknown_emails[0].upper()})).json()
    assert existing.status_code == 200
    assert again == answers[0] | {"salt": unknown_emails[0].upper().lower()}
    assert {a["salt"] for a in answers} == {e.lower() for e in unknown_emails}
    assert {a["kdf"] for a in answers} == {0, 1}
    assert all(set(a) == set(existing.json()) for a in answers)
    assert existing.json()["kdfSettings"] in [a["kdfSettings"] for a in answers]


async def test_profile_has_the_vaultwarden_shape(identity: IdentityService) -> None:
    account = await identity.register()
    tokens = await identity.login(account)
    response = await identity.client.get("/api/accounts/profile", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == jwt_sub(tokens["access_token"])
    assert profile["email"] == account.email
    assert profile["name"] == "Test User"
    assert profile["key"] == account.body["key"]
    assert profile["privateKey"] == account.body["keys"]["encryptedPrivateKey"]
    assert profile["organizations"] == profile["providers"] == profile["providerOrganizations"] == []
    assert profile["object"] == "profile"
    assert profile["creationDate"].endswith("Z")


async def test_revision_dates_and_user_key_id(identity: IdentityService) -> None:
    account = await identity.register()
    headers = bearer((await identity.login(account))["access_token"])
    before = (await identity.client.get("/api/accounts/revision-date", headers=headers)).json()
    assert isinstance(before, int)
    internal = (await identity.client.get("/internal/revision-date", headers=headers)).json()
    assert internal == {"revisionDate": before}
    sync = (await identity.client.get("/internal/sync", headers=headers)).json()
    assert sync["userDecryption"]["userKeyId"] is None

    key_id = user_key_id()
    first = await identity.client.post(
        "/api/accounts/key-management/user-key-id", json={"userKeyId": key_id}, headers=headers
    )
    assert first.status_code == 200
    assert first.content == b""
    after = (await identity.client.get("/api/accounts/revision-date", headers=headers)).json()
    assert after > before

    sync = (await identity.client.get("/internal/sync", headers=headers)).json()
    assert set(sync) == {"profile", "userDecryption"}
    assert sync["userDecryption"]["userKeyId"] == key_id
    unlock = sync["userDecryption"]["masterPasswordUnlock"]
    assert unlock["masterKeyEncryptedUserKey"] == unlock["masterKeyWrappedUserKey"] == account.body["key"]
    assert unlock["kdf"] == {"kdfType": 0, "iterations": 600000, "memory": None, "parallelism": None}
    assert unlock["salt"] == account.email

    second = await identity.client.post(
        "/api/accounts/key-management/user-key-id", json={"userKeyId": user_key_id()}, headers=headers
    )
    assert second.status_code == 400
    assert second.json()["message"] == "User key id is already set."


async def test_malformed_user_key_id_is_refused(identity: IdentityService) -> None:
    headers = bearer((await identity.login(await identity.register()))["access_token"])
    response = await identity.client.post(
        "/api/accounts/key-management/user-key-id", json={"userKeyId": "NOT-HEX"}, headers=headers
    )
    assert response.status_code == 400
    assert "userKeyId" in response.json()["validationErrors"]


async def test_public_key_directory(identity: IdentityService) -> None:
    owner = await identity.register()
    owner_id = jwt_sub((await identity.login(owner))["access_token"])
    reader = bearer((await identity.login(await identity.register()))["access_token"])
    found = await identity.client.get(f"/api/users/{owner_id}/public-key", headers=reader)
    assert found.json() == {"userId": owner_id, "publicKey": owner.body["keys"]["publicKey"], "object": "userKey"}
    missing = await identity.client.get(f"/api/users/{uuid.uuid4()}/public-key", headers=reader)
    assert missing.status_code == 404


async def test_key_pair_is_set_when_missing_and_only_once(identity: IdentityService) -> None:
    account = await identity.register(keys=False)
    headers = bearer((await identity.login(account))["access_token"])
    user_id = (await identity.client.get("/api/accounts/profile", headers=headers)).json()["id"]
    assert (await identity.client.get(f"/api/users/{user_id}/public-key", headers=headers)).status_code == 404

    pair = {"publicKey": public_key(), "encryptedPrivateKey": enc_string_2()}
    response = await identity.client.post("/api/accounts/keys", json=pair, headers=headers)
    assert response.json() == {
        "privateKey": pair["encryptedPrivateKey"],
        "publicKey": pair["publicKey"],
        "object": "keys",
    }
    assert (await identity.client.post("/api/accounts/keys", json=pair, headers=headers)).status_code == 200
    other = {"publicKey": public_key(), "encryptedPrivateKey": enc_string_2()}
    refused = await identity.client.post("/api/accounts/keys", json=other, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["message"] == "Account keys already set."
    found = await identity.client.get(f"/api/users/{user_id}/public-key", headers=headers)
    assert found.json()["publicKey"] == pair["publicKey"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/accounts/profile"),
        ("GET", "/api/accounts/revision-date"),
        ("POST", "/api/accounts/key-management/user-key-id"),
        ("POST", "/api/accounts/keys"),
        ("GET", f"/api/users/{uuid.uuid4()}/public-key"),
        ("GET", "/internal/revision-date"),
        ("GET", "/internal/sync"),
    ],
)
async def test_account_routes_need_a_valid_token(identity: IdentityService, method: str, path: str) -> None:
    assert (await identity.client.request(method, path, json={})).status_code == 401
    forged = SigningKey.generate().mint(user_id=uuid.uuid4(), email="x@y.test")
    assert (await identity.client.request(method, path, json={}, headers=bearer(forged))).status_code == 401


async def test_token_for_an_unknown_account_does_not_authenticate(identity: IdentityService) -> None:
    key = SigningKey.generate()
    identity.app.state.verifier.add_jwks(key.jwks())
    token = key.mint(user_id=uuid.uuid4(), email="ghost@example.test")
    assert (await identity.client.get("/api/accounts/profile", headers=bearer(token))).status_code == 401
