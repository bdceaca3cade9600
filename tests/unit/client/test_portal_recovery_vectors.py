"""The portal's committed account-recovery vectors (portal/src/pages/org/recoveryVectors.json) still hold for the
Python client: the steps of `Organizations.recover_account` open the same user key from the details and make the
same new master-password hash. The portal's vitest suite checks `prepareRecovery` against the same file.
Regenerate with `.venv/bin/python portal/scripts/make_recovery_vectors.py`."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from mspvault.client.crypto import (
    KdfConfig,
    SymmetricKey,
    derive_master_key,
    rewrap_user_key,
    unlock_user_key,
    unwrap_with_private_key,
)

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[3] / "portal/src/pages/org/recoveryVectors.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"kdf{v['details']['kdf']}")
def test_recovery_vector(vector: dict[str, Any]) -> None:
    details = vector["details"]
    org_key = SymmetricKey.from_bytes(base64.b64decode(vector["orgKey"]))
    org_private_key = org_key.decrypt(details["encryptedPrivateKey"])
    user_key = SymmetricKey.from_bytes(unwrap_with_private_key(details["resetPasswordKey"], org_private_key))
    assert user_key.to_bytes() == base64.b64decode(vector["userKey"])
    kdf = KdfConfig.from_wire(details["kdf"], details["kdfIterations"], details["kdfMemory"], details["kdfParallelism"])
    new = rewrap_user_key(vector["email"], vector["newPassword"], kdf, user_key)
    assert new.master_password_hash == vector["newMasterPasswordHash"]
    master_key = derive_master_key(vector["newPassword"], vector["email"], kdf)
    assert unlock_user_key(master_key, new.protected_user_key).to_bytes() == user_key.to_bytes()
