"""The real client recipe end to end: keys made client-side, the server stores them, the client unlocks again."""

from __future__ import annotations

import asyncio

import pytest

from mspvault.client.crypto import (
    KdfConfig,
    derive_master_key,
    make_account_keys,
    master_password_hash,
    unlock_private_key,
    unlock_user_key,
)
from tests.integration.identity.conftest import IdentityService
from tests.unit.identity.samples import random_email

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


async def test_client_made_keys_unlock_after_login(identity: IdentityService) -> None:
    email = random_email()
    keys = await asyncio.to_thread(make_account_keys, email, PASSWORD, KdfConfig.pbkdf2(600_000))
    register = await identity.client.post(
        "/identity/accounts/register",
        json={
            "email": keys.email,
            "name": "Carol",
            "masterPasswordHash": keys.master_password_hash,
            "key": str(keys.protected_user_key),
            "keys": {"publicKey": keys.public_key, "encryptedPrivateKey": str(keys.encrypted_private_key)},
            "kdf": 0,
            "kdfIterations": 600_000,
        },
    )
    assert register.status_code == 200, register.text

    prelogin = (await identity.client.post("/identity/accounts/prelogin/password", json={"email": email})).json()
    settings = prelogin["kdfSettings"]
    kdf = KdfConfig.from_wire(settings["kdfType"], settings["iterations"], settings["memory"], settings["parallelism"])
    master_key = await asyncio.to_thread(derive_master_key, PASSWORD, prelogin["salt"], kdf)
    response = await identity.password_grant(email, master_password_hash(master_key, PASSWORD))
    assert response.status_code == 200, response.text
    body = response.json()

    unlock = body["UserDecryptionOptions"]["MasterPasswordUnlock"]
    user_key = unlock_user_key(master_key, unlock["MasterKeyEncryptedUserKey"])
    assert user_key.to_bytes() == keys.user_key.to_bytes()
    assert unlock_private_key(user_key, body["PrivateKey"]) == keys.private_key
