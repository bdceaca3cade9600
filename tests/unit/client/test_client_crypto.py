"""Client crypto: known vectors, EncString shape and integrity, RSA wrapping, account keys."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from mspvault.client.crypto import (
    DecryptionFailed,
    EncString,
    EncType,
    InvalidKdfConfig,
    InvalidKey,
    KdfConfig,
    KdfType,
    MacMismatch,
    MalformedEncString,
    SymmetricKey,
    UnsupportedEncStringType,
    derive_master_key,
    generate_key_pair,
    make_account_keys,
    master_password_hash,
    public_key_of,
    stretch_master_key,
    unlock_private_key,
    unlock_user_key,
    unwrap_symmetric_key,
    unwrap_with_private_key,
    wrap_for_public_key,
)

FAST_ARGON2 = KdfConfig.argon2id(iterations=2, memory=16, parallelism=1)


@pytest.fixture(scope="module")
def key_pair():
    return generate_key_pair()


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# --- known vectors ----------------------------------------------------------------------------------------


def test_master_password_hash_matches_the_bw_cli_vector():
    master_key = derive_master_key("Passw0rd!Passw0rd", "test@example.com", KdfConfig.pbkdf2(600_000))

    assert master_password_hash(master_key, "Passw0rd!Passw0rd") == "oGtyWNopwhxn7mr8i/aYzUH65x7MNHAdDTGDpZrtBKI="


@pytest.mark.parametrize("email", ["test@bitwarden.com", "TEST@bitwarden.com", " test@bitwarden.com "])
def test_pbkdf2_salt_is_the_trimmed_lowercased_email(email):
    # Vector from the Bitwarden SDK (bitwarden-crypto master_key tests).
    master_key = derive_master_key("asdfasdf", email, KdfConfig.pbkdf2(100_000))

    assert master_password_hash(master_key, "asdfasdf") == "wmyadRMyBZOH7P/a/ucTCbSghKgdzDpPqUnu/DAVtSw="


def test_argon2id_matches_the_bitwarden_sdk_vectors():
    kdf = KdfConfig.argon2id(iterations=4, memory=32, parallelism=2)

    hashed = master_password_hash(derive_master_key("asdfasdf", "test_salt", kdf), "asdfasdf")
    master_key = derive_master_key("67t9b5g67$%Dh89n", "test_key", kdf)

    assert hashed == "PR6UjYmjmppTYcdyTiNbAhPJuQQOmynKbdEl1oyi/iQ="
    assert list(master_key.key[:8]) == [207, 240, 225, 177, 162, 19, 163, 76]


def test_stretched_master_key_matches_the_bitwarden_sdk_vector():
    master_key = derive_master_key("67t9b5g67$%Dh89n", "test_key", KdfConfig.pbkdf2(10_000))

    stretched = stretch_master_key(master_key)

    assert list(master_key.key[:8]) == [31, 79, 104, 226, 150, 71, 177, 90]
    assert list(stretched.enc_key[:8]) == [111, 31, 178, 45, 238, 152, 37, 114]
    assert list(stretched.mac_key[:8]) == [221, 127, 206, 234, 101, 27, 202, 38]


def test_argon2id_derivation_is_deterministic_and_salted_by_email():
    first = derive_master_key("correct horse", "Alice@Example.com", FAST_ARGON2)
    again = derive_master_key("correct horse", " alice@example.com", FAST_ARGON2)
    other_email = derive_master_key("correct horse", "bob@example.com", FAST_ARGON2)
    pbkdf2 = derive_master_key("correct horse", "alice@example.com", KdfConfig.pbkdf2(5_000))

    assert first == again
    assert len(first.key) == 32
    assert first != other_email
    assert first != pbkdf2


# --- KDF configuration ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kdf_type", "iterations", "memory", "parallelism"),
    [
        (KdfType.PBKDF2_SHA256, 1_000, None, None),  # the CLI's pre-login downgrade floor is 5000
        (KdfType.PBKDF2_SHA256, 600_000, 64, None),
        (KdfType.ARGON2ID, 1, 64, 4),
        (KdfType.ARGON2ID, 3, 8, 4),
        (KdfType.ARGON2ID, 3, 64, 0),
        (KdfType.ARGON2ID, 3, None, 4),
    ],
)
def test_kdf_config_rejects_parameters_outside_bitwardens_range(kdf_type, iterations, memory, parallelism):
    with pytest.raises(InvalidKdfConfig):
        KdfConfig(kdf_type, iterations, memory, parallelism)


@pytest.mark.parametrize(
    "wire",
    [(2, 600_000, None, None), (0, "600000", None, None), (0, True, None, None), (None, 600_000, None, None)],
)
def test_kdf_config_from_wire_rejects_odd_json(wire):
    with pytest.raises(InvalidKdfConfig):
        KdfConfig.from_wire(*wire)


def test_kdf_config_from_wire_reads_argon2id():
    assert KdfConfig.from_wire(1, 3, 64, 4) == KdfConfig.argon2id(3, 64, 4)


# --- EncString and symmetric keys -------------------------------------------------------------------------


def test_symmetric_round_trip_through_the_wire_format():
    key = SymmetricKey.generate()

    wire = str(key.encrypt_str("hunter2 ✓"))
    parsed = EncString.parse(wire)

    assert wire.startswith("2.")
    assert wire.count("|") == 2
    assert str(parsed) == wire
    assert key.decrypt_str(wire) == "hunter2 ✓"
    assert key.decrypt(parsed) == "hunter2 ✓".encode()


def test_each_encryption_uses_a_fresh_iv():
    key = SymmetricKey.generate()

    assert str(key.encrypt(b"same")) != str(key.encrypt(b"same"))


def test_empty_plaintext_round_trips():
    key = SymmetricKey.generate()

    assert key.decrypt(key.encrypt(b"")) == b""


@pytest.mark.parametrize("part", ["iv", "data", "mac"])
def test_any_flipped_bit_fails_the_mac(part):
    key = SymmetricKey.generate()
    enc = key.encrypt(b"the vault")
    original = getattr(enc, part)
    flipped = bytes([original[0] ^ 0x01]) + original[1:]
    tampered = EncString(enc.enc_type, **{"data": enc.data, "iv": enc.iv, "mac": enc.mac, part: flipped})

    with pytest.raises(MacMismatch):
        key.decrypt(tampered)


def test_the_wrong_key_fails_the_mac():
    enc = SymmetricKey.generate().encrypt(b"the vault")

    with pytest.raises(DecryptionFailed):
        SymmetricKey.generate().decrypt(enc)


def test_swapped_ciphertexts_fail_the_mac():
    key = SymmetricKey.generate()
    first, second = key.encrypt(b"first secret"), key.encrypt(b"secret two")
    spliced = EncString(EncType.AES_CBC_256_HMAC_SHA256_B64, second.data, first.iv, first.mac)

    with pytest.raises(MacMismatch):
        key.decrypt(spliced)


IV, CT, MAC = b64(b"\x00" * 16), b64(b"\x00" * 32), b64(b"\x00" * 32)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2",
        "2.",
        "x.abc",
        f"2.{IV}|{CT}",
        f"2.{IV}|{CT}|{MAC}|{MAC}",
        f"2.{IV}|{CT}|not*base64",
        f"2.{b64(b'short')}|{CT}|{MAC}",
        f"2.{IV}|{CT}|{b64(b'short')}",
        f"2.{IV}|{b64(b'not a block')}|{MAC}",
        f"2.{IV}||{MAC}",
        f"4.{b64(b'too short for RSA-2048')}",
        f"4.{b64(bytes(256))}|{MAC}",
    ],
)
def test_malformed_enc_strings_are_rejected(text):
    with pytest.raises(MalformedEncString):
        EncString.parse(text)


@pytest.mark.parametrize("text", [f"0.{IV}|{CT}", f"6.{b64(bytes(256))}|{MAC}", f"9.{IV}|{CT}|{MAC}"])
def test_other_enc_string_types_are_unsupported(text):
    with pytest.raises(UnsupportedEncStringType):
        EncString.parse(text)


def test_enc_string_errors_never_echo_the_input():
    secret = "2.c2VjcmV0|c2VjcmV0|c2VjcmV0"

    with pytest.raises(MalformedEncString) as caught:
        EncString.parse(secret)

    assert "c2VjcmV0" not in str(caught.value)


def test_symmetric_key_refuses_other_sizes():
    with pytest.raises(InvalidKey):
        SymmetricKey.from_bytes(bytes(32))


def test_secrets_stay_out_of_repr():
    key = SymmetricKey.generate()

    assert key.enc_key.hex() not in repr(key)
    assert repr(key) == "SymmetricKey()"


# --- RSA --------------------------------------------------------------------------------------------------


def test_rsa_wrap_and_unwrap_a_shared_key(key_pair):
    org_key = SymmetricKey.generate()

    wrapped = wrap_for_public_key(org_key.to_bytes(), key_pair.public_key)

    assert str(wrapped).startswith("4.")
    assert EncString.parse(str(wrapped)) == wrapped
    assert unwrap_with_private_key(str(wrapped), key_pair.private_key) == org_key.to_bytes()
    assert unwrap_symmetric_key(wrapped, private_key=key_pair.private_key) == org_key


def test_key_pair_is_spki_and_pkcs8_der(key_pair):
    public = serialization.load_der_public_key(base64.b64decode(key_pair.public_key))
    private = serialization.load_der_private_key(key_pair.private_key, password=None)

    assert isinstance(public, rsa.RSAPublicKey)
    assert public.key_size == 2048
    assert public.public_numbers().e == 65537
    assert isinstance(private, rsa.RSAPrivateKey)
    assert public_key_of(key_pair.private_key) == key_pair.public_key


def test_another_private_key_cannot_unwrap(key_pair):
    wrapped = wrap_for_public_key(b"k" * 64, key_pair.public_key)

    with pytest.raises(DecryptionFailed):
        unwrap_with_private_key(wrapped, generate_key_pair().private_key)


def test_a_symmetric_key_cannot_open_type_4(key_pair):
    wrapped = wrap_for_public_key(b"k" * 64, key_pair.public_key)

    with pytest.raises(UnsupportedEncStringType):
        SymmetricKey.generate().decrypt(wrapped)


def test_a_private_key_cannot_open_type_2(key_pair):
    with pytest.raises(UnsupportedEncStringType):
        unwrap_with_private_key(SymmetricKey.generate().encrypt(b"x"), key_pair.private_key)


def spki_b64(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return b64(der)


@pytest.mark.parametrize(
    "public_key",
    [
        "not base64!",
        b64(b"not a key"),
        spki_b64(ec.generate_private_key(ec.SECP256R1()).public_key()),
        spki_b64(rsa.generate_private_key(65537, 1024).public_key()),
    ],
    ids=["garbage", "not-der", "ec-key", "rsa-1024"],
)
def test_wrapping_refuses_anything_but_an_rsa_2048_key(public_key):
    with pytest.raises(InvalidKey):
        wrap_for_public_key(b"k" * 64, public_key)


# --- account keys -----------------------------------------------------------------------------------------


def test_make_account_keys_round_trip():
    kdf = KdfConfig.pbkdf2(5_000)

    keys = make_account_keys(" Alice@Example.com", "s3cret pass", kdf)
    master_key = derive_master_key("s3cret pass", "alice@example.com", kdf)
    user_key = stretch_master_key(master_key).decrypt(keys.protected_user_key)
    private_key = unlock_private_key(
        unlock_user_key(master_key, str(keys.protected_user_key)), keys.encrypted_private_key
    )

    assert keys.email == "alice@example.com"
    assert keys.master_password_hash == master_password_hash(master_key, "s3cret pass")
    assert user_key == keys.user_key.to_bytes()
    assert private_key == keys.private_key
    assert public_key_of(private_key) == keys.public_key


def test_the_wrong_password_cannot_unlock_the_user_key():
    kdf = KdfConfig.pbkdf2(5_000)
    keys = make_account_keys("alice@example.com", "right password", kdf)

    with pytest.raises(MacMismatch):
        unlock_user_key(derive_master_key("wrong password", "alice@example.com", kdf), keys.protected_user_key)


def test_account_keys_repr_hides_every_secret():
    keys = make_account_keys("alice@example.com", "s3cret pass", KdfConfig.pbkdf2(5_000))

    text = repr(keys)

    assert keys.master_password_hash not in text
    assert b64(keys.user_key.to_bytes()) not in text
    assert "s3cret" not in text


def test_unwrap_symmetric_key_opens_a_client_link_with_the_provider_key():
    provider_key, org_key = SymmetricKey.generate(), SymmetricKey.generate()

    link = provider_key.encrypt(org_key.to_bytes())

    assert unwrap_symmetric_key(str(link), wrapping_key=provider_key) == org_key
    with pytest.raises(InvalidKey):
        unwrap_symmetric_key(link)
