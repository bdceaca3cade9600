"""Write items encrypted by the Python client, so the portal's vault model is tested against it.

    .venv/bin/python portal/scripts/make_cipher_vectors.py

Writes portal/src/lib/vault/vectors.json: a user key, an org key and items of all five types (one with a key of
its own, as Bitwarden's clients make them), each beside the plaintext the TypeScript must read back. Random keys,
so every run differs; commit the result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mspvault.client.ciphers import (
    Card,
    CustomField,
    FieldType,
    Identity,
    Login,
    LoginUri,
    PasswordHistoryEntry,
    PlainCipher,
    SecureNote,
    SshKey,
    encrypt_cipher,
)
from mspvault.client.crypto import SymmetricKey, b64encode

OUT = Path(__file__).resolve().parents[1] / "src" / "lib" / "vault" / "vectors.json"


def items() -> list[PlainCipher]:
    return [
        PlainCipher(
            name="Router ✓",
            notes="rack 4, Zürich",
            content=Login(
                username="admin",
                password="s3cret!",
                totp="JBSWY3DPEHPK3PXP",
                uris=[LoginUri("https://router.example", 3), LoginUri("ssh://10.0.0.1")],
            ),
            fields=[
                CustomField("PIN", "1234", FieldType.HIDDEN),
                CustomField("VPN", "true", FieldType.BOOLEAN),
                CustomField("Site", "Berlin", FieldType.TEXT),
            ],
            password_history=[PasswordHistoryEntry("old-pw", "2026-01-01T00:00:00.000Z")],
            favorite=True,
        ),
        PlainCipher(name="Note", notes="only notes", content=SecureNote()),
        PlainCipher(
            name="Company card",
            content=Card("Carol C", "Visa", "4242424242424242", "12", "2030", "123"),
            organization_id="00000000-0000-0000-0000-00000000000a",
        ),
        PlainCipher(
            name="Carol",
            content=Identity(
                title="Ms", first_name="Carol", last_name="Contoso", email="carol@contoso.example", ssn="078-05-1120"
            ),
        ),
        PlainCipher(
            name="Deploy key",
            content=SshKey(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
                "ssh-ed25519 AAAA",
                "SHA256:abc",
            ),
        ),
    ]


def with_item_key(plain: PlainCipher, owner: SymmetricKey) -> dict[str, Any]:
    """As Bitwarden's clients make items today: fields under a key of the item's own, wrapped by the owner key."""
    item_key = SymmetricKey.generate()
    body = encrypt_cipher(plain, item_key)
    body["key"] = str(owner.encrypt(item_key.to_bytes()))
    return body


def wire(body: dict[str, Any], index: int) -> dict[str, Any]:
    """The request body as the server would send it back (cipherDetails)."""
    names = ("login", "secureNote", "card", "identity", "sshKey")
    return {
        **{name: None for name in names},
        **body,
        "id": f"00000000-0000-0000-0000-0000000000{index:02d}",
        "collectionIds": [],
        "edit": True,
        "viewPassword": True,
        "creationDate": "2026-01-01T00:00:00.000Z",
        "revisionDate": "2026-01-02T00:00:00.000Z",
        "deletedDate": None,
    }


def main() -> None:
    user_key, org_key = SymmetricKey.generate(), SymmetricKey.generate()
    vectors = []
    for index, plain in enumerate(items()):
        owner = org_key if plain.organization_id else user_key
        body = with_item_key(plain, owner) if index in (0, 2) else encrypt_cipher(plain, owner)
        plain_json = json.loads(json.dumps(plain, default=lambda o: o.__dict__))
        vectors.append({"wire": wire(body, index), "plain": plain_json})
    OUT.write_text(
        json.dumps(
            {
                "_comment": "Made by portal/scripts/make_cipher_vectors.py with the Python client. Test keys only.",
                "userKey": b64encode(user_key.to_bytes()),
                "orgKey": b64encode(org_key.to_bytes()),
                "orgId": "00000000-0000-0000-0000-00000000000a",
                "ciphers": vectors,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
