from __future__ import annotations

import pytest

from mspvault.shared.encstring import (
    AES_CBC_HMAC,
    InvalidEncString,
    InvalidPublicKey,
    enc_string_problem,
    validate_enc_string,
    validate_public_key,
)
from tests.unit.identity.samples import b64, enc_string_2, enc_string_4, public_key

IV, MAC = b64(bytes(16)), b64(bytes(32))


def test_well_formed_type_2_and_type_4_pass() -> None:
    for value in (enc_string_2(), enc_string_2(1), enc_string_4()):
        assert enc_string_problem(value) is None
        assert validate_enc_string(value, field="key") == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not an enc string",
        "2",
        f"{IV}|{b64(bytes(32))}|{MAC}",  # no type header
        f"3.{IV}|{b64(bytes(32))}|{MAC}",  # unsupported type
        f"x.{IV}|{b64(bytes(32))}|{MAC}",
        f"2.{IV}|{b64(bytes(32))}",  # two parts
        f"2.{IV}|{b64(bytes(32))}|{MAC}|{MAC}",  # four parts
        f"2.{IV}|not*base64|{MAC}",
        f"2.{b64(bytes(8))}|{b64(bytes(32))}|{MAC}",  # short IV
        f"2.{IV}|{b64(bytes(30))}|{MAC}",  # ciphertext not whole AES blocks
        f"2.{IV}||{MAC}",  # empty ciphertext
        f"2.{IV}|{b64(bytes(32))}|{b64(bytes(20))}",  # short MAC
        "4.",
        "4.abc|def",
        "4.%%%",
    ],
)
def test_malformed_enc_strings_are_refused(value: str) -> None:
    assert enc_string_problem(value) is not None
    with pytest.raises(InvalidEncString) as raised:
        validate_enc_string(value, field="key")
    assert raised.value.field == "key"


def test_type_can_be_restricted() -> None:
    with pytest.raises(InvalidEncString, match="type 2"):
        validate_enc_string(enc_string_4(), field="key", types=(AES_CBC_HMAC,))


def test_error_never_quotes_the_value() -> None:
    secret = "2.c2VjcmV0|c2VjcmV0|c2VjcmV0"
    with pytest.raises(InvalidEncString) as raised:
        validate_enc_string(secret, field="key")
    assert "c2VjcmV0" not in raised.value.message


def test_public_key_must_be_base64_der() -> None:
    assert validate_public_key(public_key(), field="publicKey")
    for bad in ("", "not base64!", b64(b"\x01\x02\x03"), "A" * 5000):
        with pytest.raises(InvalidPublicKey):
            validate_public_key(bad, field="publicKey")
