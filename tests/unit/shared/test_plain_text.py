"""Issue 11 #3: plaintext names refuse control characters and line breaks (they reach mail headers); one email form."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from mspvault.shared.text import PlainText, has_control_characters, normalize_email

REFUSED = ["\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", REFUSED)
def test_control_characters_and_line_breaks_are_found(char: str) -> None:
    assert has_control_characters(f"Evil{char}Bcc: everyone@example.test")


@pytest.mark.parametrize("name", ["Zoë Ångström", "Contoso, Ltd.", "山田 太郎", "O'Brien & Sons", "👩‍💻 team"])
def test_ordinary_names_pass(name: str) -> None:
    assert not has_control_characters(name)


def test_a_model_field_refuses_them_naming_the_field() -> None:
    class Body(BaseModel):
        name: Annotated[str, PlainText]
        nick: Annotated[str | None, PlainText] = None

    assert Body(name="Acme").name == "Acme"
    with pytest.raises(ValidationError) as raised:
        Body(name="Acme\x85Evil")
    assert raised.value.errors()[0]["loc"] == ("name",)


@pytest.mark.parametrize("given", ["Alice@Example.TEST", "  alice@example.test\t", "ALICE@EXAMPLE.TEST "])
def test_every_spelling_of_an_email_normalizes_to_the_one_stored_form(given: str) -> None:
    assert normalize_email(given) == "alice@example.test"
