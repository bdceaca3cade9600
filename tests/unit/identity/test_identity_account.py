from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mspvault.identity.domain.account import (
    Account,
    AccountKeysAlreadySet,
    InvalidAccountField,
    InvalidEmail,
    InvalidUserKeyId,
    KeyPair,
    UserKeyIdAlreadySet,
    validate_email,
    validate_master_password_hash,
)
from mspvault.identity.domain.devices import DeviceInfo, InvalidDevice
from mspvault.identity.domain.kdf import DEFAULT_KDF
from mspvault.shared.encstring import InvalidEncString, InvalidPublicKey
from tests.unit.identity.samples import enc_string_2, enc_string_4, public_key, user_key_id

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def new_account(**overrides: object) -> Account:
    fields: dict[str, object] = {
        "email": "  Alice@Acme.TEST ",
        "name": "Alice",
        "master_password_hint": None,
        "kdf": DEFAULT_KDF,
        "protected_user_key": enc_string_2(),
        "key_pair": None,
        "now": NOW,
    }
    fields.update(overrides)
    return Account.register(**fields)  # type: ignore[arg-type]


def test_register_lower_cases_email_and_stamps_dates() -> None:
    account = new_account()
    assert account.email == "alice@acme.test"
    assert account.created_at == account.revision_date == NOW
    assert account.security_stamp
    assert account.user_key_id is None
    assert account.password_hash == ""


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@b", "two@@at.test", "spa ce@x.test", "a" * 250 + "@x.test"])
def test_invalid_emails_are_refused(email: str) -> None:
    with pytest.raises(InvalidEmail) as raised:
        validate_email(email)
    assert raised.value.field == "email"


@pytest.mark.parametrize("char", ["\n", "\r", "\x85", "\u2028", "\x1b", "\x00"])
def test_names_hints_and_emails_with_control_characters_are_refused(char: str) -> None:
    """Issue 11 #3: they reach mail headers (an invitation's "To") and other people's screens."""
    with pytest.raises(InvalidAccountField) as raised:
        new_account(name=f"Eve{char}Bcc: all@x.test")
    assert raised.value.field == "name"
    with pytest.raises(InvalidAccountField) as raised:
        new_account(master_password_hint=f"my{char}hint")
    assert raised.value.field == "masterPasswordHint"
    with pytest.raises(InvalidEmail):
        validate_email(f"eve{char}x@acme.test")


def test_protected_user_key_must_be_a_type_2_enc_string() -> None:
    for bad in ("plain", enc_string_4()):
        with pytest.raises(InvalidEncString) as raised:
            new_account(protected_user_key=bad)
        assert raised.value.field == "key"


def test_name_and_hint_are_bounded() -> None:
    with pytest.raises(InvalidAccountField) as raised:
        new_account(name="x" * 51)
    assert raised.value.field == "name"
    with pytest.raises(InvalidAccountField) as raised:
        new_account(master_password_hint="x" * 51)
    assert raised.value.field == "masterPasswordHint"
    assert new_account(name="   ").name is None


def test_master_password_hash_is_required_and_bounded() -> None:
    assert validate_master_password_hash("abc=") == "abc="
    for bad in ("", "x" * 301):
        with pytest.raises(InvalidAccountField):
            validate_master_password_hash(bad)


def test_key_pair_shapes_are_checked() -> None:
    assert KeyPair.parse(public_key(), enc_string_2())
    with pytest.raises(InvalidPublicKey):
        KeyPair.parse("nope", enc_string_2())
    with pytest.raises(InvalidEncString) as raised:
        KeyPair.parse(public_key(), enc_string_4())
    assert raised.value.field == "encryptedPrivateKey"


def test_key_pair_is_set_once_and_identical_retry_is_a_no_op() -> None:
    account = new_account()
    pair = KeyPair.parse(public_key(), enc_string_2())
    later = NOW + timedelta(minutes=1)
    assert account.set_key_pair(pair, later) is True
    assert account.revision_date == later
    assert account.set_key_pair(pair, later + timedelta(minutes=1)) is False
    assert account.revision_date == later
    with pytest.raises(AccountKeysAlreadySet):
        account.set_key_pair(KeyPair.parse(public_key(), enc_string_2()), later)


def test_user_key_id_is_32_lowercase_hex_and_set_once() -> None:
    account = new_account()
    for bad in ("", "ABCDEF" * 6, "0" * 31, "0" * 33, "g" * 32, "098971005352656d14c406249af3e9bD"):
        with pytest.raises(InvalidUserKeyId):
            account.set_user_key_id(bad, NOW)
    first = user_key_id()
    account.set_user_key_id(first, NOW + timedelta(seconds=1))
    assert account.user_key_id == first
    assert account.revision_date == NOW + timedelta(seconds=1)
    with pytest.raises(UserKeyIdAlreadySet) as raised:
        account.set_user_key_id(user_key_id(), NOW)
    assert raised.value.message == "User key id is already set."
    with pytest.raises(UserKeyIdAlreadySet):
        account.set_user_key_id(first, NOW)
    assert account.user_key_id == first


def test_device_fields_are_required_and_typed() -> None:
    assert DeviceInfo.parse("abc", "25", "linux") == DeviceInfo("abc", 25, "linux")
    for identifier, kind, name, field in [
        (None, "25", "linux", "deviceIdentifier"),
        ("abc", "x", "linux", "deviceType"),
        ("abc", "-1", "linux", "deviceType"),
        ("abc", "25", "", "deviceName"),
        ("a" * 129, "25", "linux", "deviceIdentifier"),
    ]:
        with pytest.raises(InvalidDevice) as raised:
            DeviceInfo.parse(identifier, kind, name)
        assert raised.value.field == field
