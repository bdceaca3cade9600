"""How big an item may be (issue 11 #4): Bitwarden's per-field limits in encrypted characters, bounded lists, a
bounded whole; each refusal names the field as the clients print it."""

from __future__ import annotations

from typing import Any

import pytest

from mspvault.shared.errors import DomainError
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.content import CipherContent, build_content
from mspvault.vault.domain.limits import MAX_ITEM_CHARACTERS, MAX_LIST_ENTRIES


def longer_than(limit: int) -> str:
    """A well-formed type-2 EncString of more than `limit` characters."""
    blocks = 1
    while len(value := enc_string(blocks)) <= limit:
        blocks *= 2
    return value


def content(**overrides: object) -> CipherContent:
    values: dict[str, Any] = {
        "type": 1,
        "name": enc_string(),
        "notes": None,
        "key": None,
        "reprompt": None,
        "type_data": {"login": {"username": enc_string(), "uris": [{"uri": enc_string(), "match": None}]}},
        "fields": None,
        "password_history": None,
    }
    values.update(overrides)
    return build_content(**values)


def refused_field(**overrides: object) -> str | None:
    with pytest.raises(DomainError) as refused:
        content(**overrides)
    return refused.value.field


def test_an_item_at_bitwardens_limits_is_accepted() -> None:
    at_limit = {
        "username": enc_string(30),  # ~700 characters, under 1,000
        "password": enc_string(200),  # ~4,300, under 5,000
        "uris": [{"uri": enc_string(400)} for _ in range(10)],
    }
    content(name=enc_string(30), notes=enc_string(400), type_data={"login": at_limit})


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": longer_than(1_000)}, "name"),
        ({"notes": longer_than(10_000)}, "notes"),
        ({"key": longer_than(1_000)}, "key"),
        ({"type_data": {"login": {"username": longer_than(1_000)}}}, "login.username"),
        ({"type_data": {"login": {"password": longer_than(5_000)}}}, "login.password"),
        (
            {"type_data": {"login": {"uris": [{"uri": enc_string()}, {"uri": longer_than(10_000)}]}}},
            "login.uris[1].uri",
        ),
        ({"type_data": {"login": {"junk": longer_than(10_000)}}}, "login.junk"),
        ({"type": 3, "type_data": {"card": {"number": longer_than(1_000)}}}, "card.number"),
        ({"type": 4, "type_data": {"identity": {"ssn": longer_than(1_000)}}}, "identity.ssn"),
        ({"type": 5, "type_data": {"sshKey": {"privateKey": longer_than(5_000)}}}, "sshKey.privateKey"),
        ({"fields": [{"name": enc_string(), "value": longer_than(5_000), "type": 0}]}, "fields[0].value"),
        ({"password_history": [{"password": longer_than(5_000)}]}, "passwordHistory[0].password"),
    ],
)
def test_a_field_over_its_limit_is_refused_by_name(overrides: dict[str, object], field: str) -> None:
    assert refused_field(**overrides) == field


def test_lists_and_nesting_are_bounded() -> None:
    many = MAX_LIST_ENTRIES + 1
    assert refused_field(fields=[{"name": enc_string(), "value": enc_string(), "type": 0}] * many) == "fields"
    assert refused_field(password_history=[{"password": enc_string()}] * many) == "passwordHistory"
    uris = [{"uri": enc_string()}] * many
    assert refused_field(type_data={"login": {"uris": uris}}) == "login.uris"
    deep: dict[str, Any] = {"x": "y"}
    for _ in range(10):
        deep = {"d": deep}
    assert (refused_field(type_data={"login": {"fido2Credentials": [deep]}}) or "").startswith("login.fido2Credentials")


def test_an_item_that_is_big_only_as_a_whole_is_refused() -> None:
    """Every field within its limit, but a hundred 5,000-character custom fields: one item must not weigh a
    megabyte in every sync of everyone who sees it."""
    value = enc_string(200)
    fields = [{"name": enc_string(), "value": value, "type": 1} for _ in range(MAX_LIST_ENTRIES)]
    assert len(value) * MAX_LIST_ENTRIES > MAX_ITEM_CHARACTERS
    assert refused_field(fields=fields) == "cipher"
