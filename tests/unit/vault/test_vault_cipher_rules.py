"""Cipher content rules: the stale-write check, EncString shapes, cleaning of client noise, dates."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mspvault.shared.dates import bitwarden_date as format_date
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.cipher import check_not_stale
from mspvault.vault.domain.content import CipherContent, CipherType, build_content, parse_client_date
from mspvault.vault.domain.encstring import InvalidEncString, is_aes_cbc_hmac, require_encstring
from mspvault.vault.domain.errors import CipherDataMissing, InvalidCipherType, NotesTooLong, StaleCipher

STORED = datetime(2026, 11, 29, 3, 52, 26, 109464, tzinfo=UTC)


# --- stale writes ---------------------------------------------------------------------------------------------------


def test_copy_as_new_as_the_stored_one_is_accepted() -> None:
    check_not_stale(STORED, format_date(STORED))


def test_copy_up_to_one_second_older_is_accepted() -> None:
    check_not_stale(STORED, format_date(STORED - timedelta(seconds=1)))


def test_copy_more_than_one_second_older_is_refused() -> None:
    with pytest.raises(StaleCipher, match="out of date"):
        check_not_stale(STORED, format_date(STORED - timedelta(seconds=1, microseconds=1)))


@pytest.mark.parametrize("value", [None, "", "not a date", "2026-13-45T00:00:00Z"])
def test_missing_or_unparsable_date_is_not_an_error(value: str | None) -> None:
    check_not_stale(STORED, value)


def test_dotnet_dates_with_seven_digits_and_no_zone_parse_as_utc() -> None:
    assert parse_client_date("2026-11-29T03:52:26.1094641") == STORED
    assert parse_client_date("2026-11-29T03:52:26.109464Z") == STORED
    assert parse_client_date("2026-11-29T04:52:26.109464+01:00") == STORED


def test_dates_are_iso_utc_with_microseconds_and_z() -> None:
    assert format_date(STORED) == "2026-11-29T03:52:26.109464Z"
    assert format_date(STORED.replace(microsecond=0)) == "2026-11-29T03:52:26.000000Z"


# --- EncString shapes -----------------------------------------------------------------------------------------------


def test_a_type_2_encstring_is_accepted() -> None:
    assert is_aes_cbc_hmac(enc_string())
    require_encstring(enc_string(), "name")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plaintext name",
        "2.",
        "2.abc|def|ghi",
        "4." + base64.b64encode(os.urandom(256)).decode(),
        "0." + base64.b64encode(os.urandom(16)).decode() + "|" + base64.b64encode(os.urandom(32)).decode(),
        "2."
        + base64.b64encode(os.urandom(15)).decode()
        + "|"
        + base64.b64encode(os.urandom(32)).decode()
        + "|"
        + base64.b64encode(os.urandom(32)).decode(),  # short iv
        "2."
        + base64.b64encode(os.urandom(16)).decode()
        + "|"
        + base64.b64encode(os.urandom(30)).decode()
        + "|"
        + base64.b64encode(os.urandom(32)).decode(),  # not whole blocks
        "2."
        + base64.b64encode(os.urandom(16)).decode()
        + "|"
        + base64.b64encode(os.urandom(32)).decode()
        + "|"
        + base64.b64encode(os.urandom(20)).decode(),  # short mac
        enc_string() + "|extra",
        enc_string().replace("|", "|!", 1),
    ],
)
def test_malformed_encstrings_are_refused_naming_the_field(value: str) -> None:
    assert not is_aes_cbc_hmac(value)
    with pytest.raises(InvalidEncString) as error:
        require_encstring(value, "notes")
    assert error.value.field == "notes"


def test_optional_encstring_may_be_absent() -> None:
    require_encstring(None, "notes", optional=True)
    with pytest.raises(InvalidEncString):
        require_encstring(None, "name")


# --- content ----------------------------------------------------------------------------------------------------------


def content(**overrides: object) -> CipherContent:
    values: dict[str, Any] = {
        "type": 1,
        "name": enc_string(),
        "notes": None,
        "key": None,
        "reprompt": None,
        "type_data": {"login": {"username": enc_string(), "uris": []}},
        "fields": None,
        "password_history": None,
    }
    values.update(overrides)
    return build_content(**values)


def test_response_noise_is_stripped_and_legacy_uri_set() -> None:
    uri = enc_string()
    built = content(
        type_data={"login": {"response": None, "uris": [{"uri": uri, "match": "3", "response": None}]}},
        fields=[
            {"type": "0", "name": enc_string(), "value": enc_string(), "response": None},
            {"name": enc_string(), "type": "x"},
        ],
    )
    assert built.type is CipherType.LOGIN
    assert built.data == {"uris": [{"uri": uri, "match": 3}], "uri": uri}
    assert built.fields is not None
    assert [field["type"] for field in built.fields] == [0, 1]
    assert all("response" not in field for field in built.fields)


def test_secure_note_gets_a_numeric_type() -> None:
    assert content(type=2, type_data={"secureNote": {}}).data == {"type": 0}


def test_password_history_keeps_string_passwords_and_dates_them() -> None:
    password = enc_string()
    built = content(
        password_history=[{"password": password, "lastUsedDate": None}, {"password": None}, "junk"],
    )
    assert built.password_history == [{"password": password, "lastUsedDate": "1970-01-01T00:00:00.000000Z"}]


def test_reprompt_outside_zero_or_one_becomes_zero() -> None:
    assert content(reprompt=1).reprompt == 1
    assert content(reprompt=7).reprompt == 0


@pytest.mark.parametrize("kind", [0, 6, 99])
def test_unknown_type_is_refused(kind: int) -> None:
    with pytest.raises(InvalidCipherType):
        content(type=kind)


def test_missing_type_sub_object_is_refused_naming_it() -> None:
    with pytest.raises(CipherDataMissing) as error:
        content(type=3, type_data={"login": {}})
    assert error.value.field == "card"


def test_plaintext_name_or_notes_are_refused() -> None:
    with pytest.raises(InvalidEncString):
        content(name="My bank")
    with pytest.raises(InvalidEncString):
        content(notes="secret notes")


def test_notes_longer_than_ten_thousand_characters_are_refused() -> None:
    with pytest.raises(NotesTooLong):
        content(notes=enc_string(600))
