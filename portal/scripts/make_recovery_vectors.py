"""Write the account-recovery vectors with the Python client, so the portal's `prepareRecovery` agrees with
`Organizations.recover_account` byte for byte (the new master-password hash) and opens the same user key.

    .venv/bin/python portal/scripts/make_recovery_vectors.py

Writes portal/src/pages/org/recoveryVectors.json (random keys, so every run differs; commit the result).
tests/unit/client/test_portal_recovery_vectors.py checks it still holds for the Python client.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mspvault.client.crypto import (
    KdfConfig,
    SymmetricKey,
    b64encode,
    generate_key_pair,
    rewrap_user_key,
    wrap_for_public_key,
)

VECTORS = Path(__file__).resolve().parents[1] / "src" / "pages" / "org" / "recoveryVectors.json"

CASES: list[tuple[str, str, KdfConfig]] = [
    ("  Carol@Contoso.EXAMPLE ", "carol's brand new master password", KdfConfig.pbkdf2(5_000)),
    ("grace@contoso.example", "grâce's mot de passe ✓", KdfConfig.argon2id(iterations=2, memory=16, parallelism=1)),
]


def case(email: str, password: str, kdf: KdfConfig) -> dict[str, Any]:
    org_key, org_pair, user_key = SymmetricKey.generate(), generate_key_pair(), SymmetricKey.generate()
    new = rewrap_user_key(email, password, kdf, user_key)
    return {
        "email": email,
        "newPassword": password,
        "orgKey": b64encode(org_key.to_bytes()),
        "details": {
            "encryptedPrivateKey": str(org_key.encrypt(org_pair.private_key)),
            "resetPasswordKey": str(wrap_for_public_key(user_key.to_bytes(), org_pair.public_key)),
            "kdf": int(kdf.kdf_type),
            "kdfIterations": kdf.iterations,
            "kdfMemory": kdf.memory,
            "kdfParallelism": kdf.parallelism,
        },
        "userKey": b64encode(user_key.to_bytes()),
        "newMasterPasswordHash": new.master_password_hash,
    }


def main() -> None:
    VECTORS.write_text(json.dumps([case(*c) for c in CASES], indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {VECTORS}")


if __name__ == "__main__":
    main()
