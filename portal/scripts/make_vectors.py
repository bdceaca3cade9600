"""Write the portal's crypto test vectors with the Python client, so the TypeScript agrees with it byte for byte.

    .venv/bin/python portal/scripts/make_vectors.py

Writes portal/src/lib/crypto/vectors.json (random keys, so every run differs; commit the result) and
portal/src/lib/crypto/wordlist.ts (the EFF long word list from the client package, so there is one source).
tests/unit/client/test_portal_vectors.py checks both still match the Python client.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from mspvault.client.crypto import (
    KdfConfig,
    KdfType,
    SymmetricKey,
    b64encode,
    derive_master_key,
    make_account_keys,
    master_password_hash,
    stretch_master_key,
    wrap_for_public_key,
)
from mspvault.client.fingerprint import eff_long_word_list, fingerprint_phrase

CRYPTO_DIR = Path(__file__).resolve().parents[1] / "src" / "lib" / "crypto"
VECTORS = CRYPTO_DIR / "vectors.json"
WORDLIST = CRYPTO_DIR / "wordlist.ts"

# Bitwarden's own published fingerprint vector (sdk-internal fingerprint.rs test), kept beside ours.
BITWARDEN_FINGERPRINT = {
    "material": "a09726a0-9590-49d1-a5f5-afe300b6a515",
    "publicKey": (
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuyYs8W7NWf0Zv35Ueco93730dtRKi4Jhc6Snar+86drE+ruSfaCWMcbgsAoAj2Pm6K"
        "AzaJrTIVCqBERQ23OncpzjfcGAeyf+v3w/gSw/EjihMJ4AG5ICY4hLFYcGdgwa+7is+TVO0i6PEWjKQa3l2+mQo2XY7pg2ngHDMssV4gxSqq+q"
        "oBX3+FBhewCYdOV+3cebwsAzz7HwoFTxKViwNW8crbHonhZPhZgfIAzEkzo5MvzQg5azhLKW6vuPfaOQFC5HqPykVnh8OPzO0uzUi3+97CguAu"
        "4N2CgwVYXltZuw2fGamdVw3kjbxQPbOE1tL0j7gyTwYKkfUl2m8gMh1QIDAQAB"
    ),
    "phrase": "turban-deftly-anime-chatroom-unselfish",
}

KDF_CASES: list[tuple[str, str, KdfConfig]] = [
    ("correct horse battery staple", "  Alice@Acme.EXAMPLE ", KdfConfig.pbkdf2()),
    ("pässwörd ✓ 密码", "bob@acme.example", KdfConfig.pbkdf2(5_000)),
    ("argon two", "Carol@Contoso.example", KdfConfig.argon2id()),
    ("argon small", "dave@other.example", KdfConfig.argon2id(iterations=2, memory=16, parallelism=1)),
]

PLAINTEXTS = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "seventeen bytes!!", "Zürich ✓ 🔐 密码", "x" * 1000]


def kdf_json(kdf: KdfConfig) -> dict[str, Any]:
    if kdf.kdf_type is KdfType.PBKDF2_SHA256:
        return {"kdf": int(kdf.kdf_type), "iterations": kdf.iterations}
    argon2 = {"memory": kdf.memory, "parallelism": kdf.parallelism}
    return {"kdf": int(kdf.kdf_type), "iterations": kdf.iterations, **argon2}


def kdf_vectors() -> list[dict[str, Any]]:
    vectors = []
    for password, email, kdf in KDF_CASES:
        master_key = derive_master_key(password, email, kdf)
        vectors.append(
            {
                "password": password,
                "email": email,
                "kdf": kdf_json(kdf),
                "masterKey": b64encode(master_key.key),
                "masterPasswordHash": master_password_hash(master_key, password),
                "stretchedKey": b64encode(stretch_master_key(master_key).to_bytes()),
            }
        )
    return vectors


def tamper(enc: str, part: int) -> str:
    """Flip one bit in part `part` (0 iv, 1 ct, 2 mac) of a type-2 EncString."""
    header, body = enc.split(".", 1)
    parts = body.split("|")
    raw = bytearray(base64.b64decode(parts[part]))
    raw[0] ^= 1
    parts[part] = b64encode(bytes(raw))
    return f"{header}.{'|'.join(parts)}"


def main() -> None:
    account = make_account_keys("Erin@Example.org", "erin's master password", KdfConfig.pbkdf2(5_000))
    user_key = account.user_key
    provider_key, org_key, other_key = SymmetricKey.generate(), SymmetricKey.generate(), SymmetricKey.generate()
    sample = str(user_key.encrypt_str("sample"))
    vectors = {
        "_comment": "Made by portal/scripts/make_vectors.py with the Python client; checked by crypto.test.ts "
        "and tests/unit/client/test_portal_vectors.py. Test keys only.",
        "kdf": kdf_vectors(),
        "account": {
            "email": "Erin@Example.org",
            "password": "erin's master password",
            "kdf": kdf_json(account.kdf),
            "masterPasswordHash": account.master_password_hash,
            "protectedUserKey": str(account.protected_user_key),
            "userKey": b64encode(user_key.to_bytes()),
            "publicKey": account.public_key,
            "encryptedPrivateKey": str(account.encrypted_private_key),
            "privateKey": b64encode(account.private_key),
        },
        "encStrings": [
            {"key": b64encode(user_key.to_bytes()), "plaintext": text, "encString": str(user_key.encrypt_str(text))}
            for text in PLAINTEXTS
        ],
        "tampered": [
            {"key": b64encode(user_key.to_bytes()), "encString": tamper(sample, 0), "what": "iv"},
            {"key": b64encode(user_key.to_bytes()), "encString": tamper(sample, 1), "what": "ct"},
            {"key": b64encode(user_key.to_bytes()), "encString": tamper(sample, 2), "what": "mac"},
            {"key": b64encode(other_key.to_bytes()), "encString": sample, "what": "wrong key"},
        ],
        # The provider user's path to a client item: provider key (type 4 to the account), client org key
        # (type 2 under the provider key), an item name under the org key.
        "sharedKeys": {
            "providerKey": b64encode(provider_key.to_bytes()),
            "providerKeyForAccount": str(wrap_for_public_key(provider_key.to_bytes(), account.public_key)),
            "orgKey": b64encode(org_key.to_bytes()),
            "orgKeyUnderProviderKey": str(provider_key.encrypt(org_key.to_bytes())),
            "itemName": "Contoso domain admin",
            "itemNameUnderOrgKey": str(org_key.encrypt_str("Contoso domain admin")),
        },
        "fingerprints": [
            BITWARDEN_FINGERPRINT,
            {
                "material": "4b9d0c4e-3f4f-4a5e-9a59-0c3c7f3d2b11",
                "publicKey": account.public_key,
                "phrase": fingerprint_phrase("4b9d0c4e-3f4f-4a5e-9a59-0c3c7f3d2b11", account.public_key),
            },
        ],
    }
    VECTORS.write_text(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    WORDLIST.write_text(render_wordlist(), encoding="utf-8")
    print(f"wrote {os.path.relpath(VECTORS)} and {os.path.relpath(WORDLIST)}")


def render_wordlist() -> str:
    words = eff_long_word_list()
    lines = [
        "// Generated by portal/scripts/make_vectors.py from client/src/mspvault/client/eff_large_wordlist.txt.",
        "// The EFF long word list (CC BY 3.0), used for fingerprint phrases. Do not edit.",
        "export const EFF_LONG_WORD_LIST: readonly string[] = (",
    ]
    # One string split at build time keeps the module small and quick to parse.
    chunk = 12
    for i in range(0, len(words), chunk):
        last = i + chunk >= len(words)
        lines.append(f'  "{" ".join(words[i : i + chunk])}' + ('"' if last else ' " +'))
    lines.append(').split(" ");')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
