"""The portal's committed crypto vectors (portal/src/lib/crypto/vectors.json) still hold for the Python client.

The portal's vitest suite checks the TypeScript against the same file, so together they keep the two clients
in agreement byte for byte. Regenerate with `.venv/bin/python portal/scripts/make_vectors.py`.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mspvault.client.crypto import (
    KdfConfig,
    MacMismatch,
    SymmetricKey,
    derive_master_key,
    master_password_hash,
    public_key_of,
    stretch_master_key,
    unlock_private_key,
    unlock_user_key,
    unwrap_symmetric_key,
)
from mspvault.client.fingerprint import fingerprint_phrase

PORTAL = Path(__file__).resolve().parents[3] / "portal"
VECTORS: dict[str, Any] = json.loads((PORTAL / "src/lib/crypto/vectors.json").read_text(encoding="utf-8"))


def _kdf(wire: dict[str, Any]) -> KdfConfig:
    return KdfConfig.from_wire(wire["kdf"], wire["iterations"], wire.get("memory"), wire.get("parallelism"))


def _key(b64: str) -> SymmetricKey:
    return SymmetricKey.from_bytes(base64.b64decode(b64))


def _make_vectors() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_vectors", PORTAL / "scripts/make_vectors.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("vector", VECTORS["kdf"], ids=lambda v: f"{v['kdf']}")
def test_kdf_vectors(vector: dict[str, Any]) -> None:
    master_key = derive_master_key(vector["password"], vector["email"], _kdf(vector["kdf"]))
    assert base64.b64encode(master_key.key).decode() == vector["masterKey"]
    assert master_password_hash(master_key, vector["password"]) == vector["masterPasswordHash"]
    assert base64.b64encode(stretch_master_key(master_key).to_bytes()).decode() == vector["stretchedKey"]


def test_account_vector_unlocks() -> None:
    account = VECTORS["account"]
    master_key = derive_master_key(account["password"], account["email"], _kdf(account["kdf"]))
    assert master_password_hash(master_key, account["password"]) == account["masterPasswordHash"]
    user_key = unlock_user_key(master_key, account["protectedUserKey"])
    assert user_key.to_bytes() == base64.b64decode(account["userKey"])
    private_key = unlock_private_key(user_key, account["encryptedPrivateKey"])
    assert private_key == base64.b64decode(account["privateKey"])
    assert public_key_of(private_key) == account["publicKey"]


def test_shared_key_chain_opens() -> None:
    shared, private_key = VECTORS["sharedKeys"], base64.b64decode(VECTORS["account"]["privateKey"])
    provider_key = unwrap_symmetric_key(shared["providerKeyForAccount"], private_key=private_key)
    assert provider_key.to_bytes() == base64.b64decode(shared["providerKey"])
    org_key = unwrap_symmetric_key(shared["orgKeyUnderProviderKey"], wrapping_key=provider_key)
    assert org_key.decrypt_str(shared["itemNameUnderOrgKey"]) == shared["itemName"]


@pytest.mark.parametrize("vector", VECTORS["encStrings"], ids=lambda v: str(len(v["plaintext"])))
def test_enc_string_vectors(vector: dict[str, Any]) -> None:
    assert _key(vector["key"]).decrypt_str(vector["encString"]) == vector["plaintext"]


@pytest.mark.parametrize("vector", VECTORS["tampered"], ids=lambda v: v["what"])
def test_tampered_vectors_fail(vector: dict[str, Any]) -> None:
    with pytest.raises(MacMismatch):
        _key(vector["key"]).decrypt(vector["encString"])


@pytest.mark.parametrize("vector", VECTORS["fingerprints"], ids=lambda v: v["phrase"])
def test_fingerprint_vectors(vector: dict[str, Any]) -> None:
    assert fingerprint_phrase(vector["material"], vector["publicKey"]) == vector["phrase"]


def test_portal_word_list_is_generated_from_the_client_list() -> None:
    committed = (PORTAL / "src/lib/crypto/wordlist.ts").read_text(encoding="utf-8")
    assert committed == _make_vectors().render_wordlist(), "run portal/scripts/make_vectors.py"
