"""The Bitwarden response shapes (bw-cli-api.md §3.2–3.6), checked key by key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from mspvault.identity.domain.access_tokens import IssuedTokens
from mspvault.identity.domain.account import Account, KeyPair
from mspvault.identity.domain.kdf import DEFAULT_KDF, KdfSettings, KdfType
from mspvault.identity.entrypoints.http import responses as r
from mspvault.shared.dates import bitwarden_date, epoch_ms
from tests.unit.identity.samples import enc_string_2, public_key, user_key_id

NOW = datetime(2026, 11, 29, 3, 52, 26, 109464, tzinfo=UTC)
TOKENS = IssuedTokens(access_token="a.b.c", refresh_token="r", expires_in=3600)


def wire(model: BaseModel) -> dict[str, Any]:
    """The body as it goes out: the JSON of the model by its Bitwarden names."""
    body: dict[str, Any] = model.model_dump(mode="json", by_alias=True)
    return body


def account(*, keys: bool = True, kdf: KdfSettings = DEFAULT_KDF) -> Account:
    acc = Account.register(
        email="alice@acme.test",
        name="Alice",
        master_password_hint=None,
        kdf=kdf,
        protected_user_key=enc_string_2(),
        key_pair=KeyPair.parse(public_key(), enc_string_2()) if keys else None,
        now=NOW,
    )
    acc.set_password_hash("$argon2id$...")
    return acc


def test_password_grant_response_has_exactly_bitwardens_fields() -> None:
    acc = account()
    assert acc.key_pair is not None
    body = wire(r.TokenResponse.of_login(acc, TOKENS))
    assert set(body) == {
        "access_token", "expires_in", "token_type", "refresh_token", "scope", "Key", "PrivateKey", "Kdf",
        "KdfIterations", "KdfMemory", "KdfParallelism", "ResetMasterPassword", "ForcePasswordReset",
        "MasterPasswordPolicy", "AccountKeys", "UserDecryptionOptions",
    }  # fmt: skip
    assert body["access_token"] == "a.b.c"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "api offline_access"
    assert body["Key"] == acc.protected_user_key
    assert body["PrivateKey"] == acc.key_pair.wrapped_private_key
    assert (body["Kdf"], body["KdfIterations"], body["KdfMemory"], body["KdfParallelism"]) == (0, 600000, None, None)
    assert body["ResetMasterPassword"] is False
    assert body["ForcePasswordReset"] is False
    assert body["AccountKeys"] == {
        "publicKeyEncryptionKeyPair": {
            "wrappedPrivateKey": acc.key_pair.wrapped_private_key,
            "publicKey": acc.key_pair.public_key,
            "Object": "publicKeyEncryptionKeyPair",
        },
        "Object": "privateKeys",
    }
    assert body["UserDecryptionOptions"] == {
        "HasMasterPassword": True,
        "MasterPasswordUnlock": {
            "Kdf": {"KdfType": 0, "Iterations": 600000, "Memory": None, "Parallelism": None},
            "MasterKeyEncryptedUserKey": acc.protected_user_key,
            "MasterKeyWrappedUserKey": acc.protected_user_key,
            "Salt": "alice@acme.test",
        },
        "Object": "userDecryptionOptions",
    }


def test_argon2_settings_travel_in_the_token_response() -> None:
    body = wire(r.TokenResponse.of_login(account(kdf=KdfSettings(KdfType.ARGON2ID, 3, 64, 4)), TOKENS))
    assert (body["Kdf"], body["KdfIterations"], body["KdfMemory"], body["KdfParallelism"]) == (1, 3, 64, 4)
    unlock_kdf = body["UserDecryptionOptions"]["MasterPasswordUnlock"]["Kdf"]
    assert unlock_kdf == {"KdfType": 1, "Iterations": 3, "Memory": 64, "Parallelism": 4}


def test_account_without_keys_sends_null_key_fields() -> None:
    body = wire(r.TokenResponse.of_login(account(keys=False), TOKENS))
    assert body["PrivateKey"] is None
    assert body["AccountKeys"] is None


def test_refresh_response_shape() -> None:
    assert wire(r.RefreshResponse.of(TOKENS)) == {
        "access_token": "a.b.c",
        "expires_in": 3600,
        "token_type": "Bearer",
        "refresh_token": "r",
        "scope": "api offline_access",
    }


def test_grant_error_shape() -> None:
    assert wire(r.GrantErrorResponse.of("invalid_grant", "why", r.INVALID_CREDENTIALS)) == {
        "error": "invalid_grant",
        "error_description": "why",
        "ErrorModel": {"Message": "Username or password is incorrect. Try again", "Object": "error"},
    }


def test_prelogin_shape() -> None:
    assert wire(r.PreloginResponse.of(DEFAULT_KDF, "a@b.test")) == {
        "kdf": 0,
        "kdfIterations": 600000,
        "kdfMemory": None,
        "kdfParallelism": None,
        "kdfSettings": {"kdfType": 0, "iterations": 600000, "memory": None, "parallelism": None},
        "salt": "a@b.test",
    }


def test_profile_is_vaultwardens_user_to_json() -> None:
    acc = account()
    assert acc.key_pair is not None
    body = wire(r.ProfileResponse.of(acc))
    assert body["id"] == str(acc.id)
    assert body["email"] == "alice@acme.test"
    assert body["name"] == "Alice"
    assert body["key"] == acc.protected_user_key
    assert body["privateKey"] == acc.key_pair.wrapped_private_key
    assert body["securityStamp"] == acc.security_stamp
    assert body["organizations"] == body["providers"] == body["providerOrganizations"] == []
    assert body["creationDate"] == "2026-11-29T03:52:26.109464Z"
    assert body["object"] == "profile"
    assert body["premium"] is True
    assert body["accountKeys"]["publicKeyEncryptionKeyPair"]["publicKey"] == acc.key_pair.public_key
    assert body["accountKeys"]["object"] == "privateKeys"
    for field in ("_status", "emailVerified", "premiumFromOrganization", "culture", "twoFactorEnabled",
                  "forcePasswordReset", "avatarColor", "usesKeyConnector"):  # fmt: skip
        assert field in body


def test_internal_sync_leaves_memberships_to_other_services() -> None:
    acc = account()
    acc.set_user_key_id(user_key_id(), NOW)
    body = wire(r.InternalSyncResponse.of(acc))
    assert set(body) == {"profile", "userDecryption"}
    assert not {"organizations", "providers", "providerOrganizations"} & set(body["profile"])
    assert body["userDecryption"] == {
        "masterPasswordUnlock": {
            "kdf": {"kdfType": 0, "iterations": 600000, "memory": None, "parallelism": None},
            "masterKeyEncryptedUserKey": acc.protected_user_key,
            "masterKeyWrappedUserKey": acc.protected_user_key,
            "salt": "alice@acme.test",
        },
        "userKeyId": acc.user_key_id,
    }


def test_dates() -> None:
    assert epoch_ms(NOW) == 1795924346109
    assert bitwarden_date(NOW) == "2026-11-29T03:52:26.109464Z"


def test_public_key_shape() -> None:
    assert wire(r.UserKeyResponse(user_id="u", public_key="k")) == {
        "userId": "u",
        "publicKey": "k",
        "object": "userKey",
    }
