"""Cipher encryption: every type round-trips, and nothing readable reaches the wire."""

import json

import pytest

from mspvault.client.ciphers import (
    Card,
    CipherType,
    CustomField,
    FieldType,
    Identity,
    Login,
    LoginUri,
    PasswordHistoryEntry,
    PlainCipher,
    SecureNote,
    SshKey,
    decrypt_cipher,
    encrypt_cipher,
    uri_checksum,
)
from mspvault.client.crypto import EncString, MacMismatch, SymmetricKey
from mspvault.client.wire import UnexpectedResponse

CONTENTS = {
    CipherType.LOGIN: Login(
        username="admin@contoso.example",
        password="Tr0ub4dor&3",
        totp="otpauth://totp/contoso?secret=JBSWY3DPEHPK3PXP",
        uris=[LoginUri("https://rdp.contoso.example", match=0), LoginUri("ssh://10.0.0.7")],
        password_revision_date="2026-11-29T03:52:26.109464Z",
        autofill_on_page_load=False,
    ),
    CipherType.SECURE_NOTE: SecureNote(),
    CipherType.CARD: Card("Carol Contoso", "Visa", "4111111111111111", "12", "2031", "123"),
    CipherType.IDENTITY: Identity(
        title="Ms",
        first_name="Carol",
        last_name="Contoso",
        address1="1 Main St",
        postal_code="12345",
        email="carol@contoso.example",
        ssn="078-05-1120",
        passport_number="X1234567",
    ),
    CipherType.SSH_KEY: SshKey("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n", "ssh-ed25519 AAAAC3", "SHA256:abc"),
}


def make_plain(content, **overrides) -> PlainCipher:
    values = {
        "name": "Contoso domain admin",
        "content": content,
        "notes": "rotate quarterly",
        "fields": [CustomField("pin", "0000", FieldType.HIDDEN), CustomField("on-call", "carol-pager", FieldType.TEXT)],
        "password_history": [PasswordHistoryEntry("old-password", "2026-01-01T00:00:00Z")],
        "favorite": True,
        "folder_id": "f-1",
    }
    return PlainCipher(**(values | overrides))


def plaintext_strings(plain: PlainCipher) -> list[str]:
    content = vars(plain.content)
    strings = [v for v in content.values() if isinstance(v, str) and not v.startswith("2026-")]
    strings += [u.uri for u in content.get("uris", [])]
    strings += [plain.name, plain.notes or ""] + [f.value or "" for f in plain.fields]
    # Short values ("12", "Ms") could appear in base64 by chance; six characters cannot, in practice.
    return [s for s in strings if len(s) >= 6]


@pytest.mark.parametrize("cipher_type", list(CipherType))
def test_every_cipher_type_round_trips(cipher_type):
    key = SymmetricKey.generate()
    plain = make_plain(CONTENTS[cipher_type])

    body = encrypt_cipher(plain, key, encrypted_for="user-1")
    decrypted = decrypt_cipher(body, key)

    assert body["type"] == cipher_type
    assert body["encryptedFor"] == "user-1"
    assert decrypted.type is cipher_type
    assert decrypted == plain


@pytest.mark.parametrize("cipher_type", list(CipherType))
def test_no_plaintext_reaches_the_request_body(cipher_type):
    plain = make_plain(CONTENTS[cipher_type])

    wire = json.dumps(encrypt_cipher(plain, SymmetricKey.generate()))

    for secret in plaintext_strings(plain):
        assert secret not in wire


def test_login_strings_are_type_2_enc_strings():
    body = encrypt_cipher(make_plain(CONTENTS[CipherType.LOGIN]), SymmetricKey.generate())

    for value in (body["name"], body["login"]["password"], body["login"]["uris"][0]["uriChecksum"]):
        assert EncString.parse(value).enc_type == 2
    assert body["login"]["uris"][0]["match"] == 0
    assert body["login"]["passwordRevisionDate"].startswith("2026-")


def test_an_org_item_cannot_be_read_with_the_user_key():
    org_key, user_key = SymmetricKey.generate(), SymmetricKey.generate()
    body = encrypt_cipher(make_plain(CONTENTS[CipherType.CARD], organization_id="org-1"), org_key)

    with pytest.raises(MacMismatch):
        decrypt_cipher(body, user_key)


def test_a_swapped_uri_is_caught_by_its_checksum():
    key = SymmetricKey.generate()
    body = encrypt_cipher(make_plain(CONTENTS[CipherType.LOGIN]), key)
    body["login"]["uris"][0]["uri"] = str(key.encrypt_str("https://evil.example"))

    with pytest.raises(UnexpectedResponse):
        decrypt_cipher(body, key)


def test_a_per_item_key_is_opened_with_the_owning_key():
    user_key, item_key = SymmetricKey.generate(), SymmetricKey.generate()
    body = encrypt_cipher(make_plain(CONTENTS[CipherType.SECURE_NOTE]), item_key)
    body["key"] = str(user_key.encrypt(item_key.to_bytes()))

    assert decrypt_cipher(body, user_key).name == "Contoso domain admin"


def test_server_fields_are_read_back():
    key = SymmetricKey.generate()
    body = encrypt_cipher(make_plain(CONTENTS[CipherType.LOGIN]), key)
    body |= {"id": "c-1", "revisionDate": "2026-11-29T03:52:26Z", "collectionIds": ["col-1"], "deletedDate": None}

    decrypted = decrypt_cipher(body, key)

    assert (decrypted.id, decrypted.revision_date, decrypted.collection_ids) == (
        "c-1",
        "2026-11-29T03:52:26Z",
        ["col-1"],
    )


def test_uri_checksum_is_base64_sha256():
    assert uri_checksum("https://example.com") == "EAaArVRs5qV39C9S3zO0z9ynVoWeZkuNfeMpsVDQnOk="
