"""`mspvault.shared.by_name`: commands and responses built from objects whose field names line up."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from mspvault.shared.by_name import dataclass_by_name, model_by_name


@dataclass(frozen=True)
class Rename:
    name: str
    hint: str | None = None
    owner: str = "nobody"
    derived: list[str] = field(default_factory=list, init=False)


@dataclass
class Body:
    name: str
    hint: str | None
    extra: int = 7


class Answer(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)

    name: str
    hint_text: str | None = None
    object: str = "answer"


def test_a_dataclass_takes_each_field_from_the_source_or_from_what_is_given() -> None:
    command = dataclass_by_name(Rename, Body(name="a", hint="h"), owner="me")
    assert command == Rename(name="a", hint="h", owner="me")


def test_what_is_given_wins_over_the_source() -> None:
    assert dataclass_by_name(Rename, Body(name="a", hint="h"), name="b", owner="me").name == "b"


def test_a_field_neither_given_nor_on_the_source_is_an_error_not_its_default() -> None:
    with pytest.raises(AttributeError):
        dataclass_by_name(Rename, Body(name="a", hint=None))


def test_a_model_takes_the_fields_the_source_has_and_defaults_the_others() -> None:
    answer = model_by_name(Answer, Body(name="a", hint="h"))
    assert answer.model_dump() == {"name": "a", "hintText": None, "object": "answer"}


def test_a_model_takes_what_is_given_over_the_source() -> None:
    answer = model_by_name(Answer, Body(name="a", hint="h"), name="b", hint_text="given")
    assert answer.model_dump() == {"name": "b", "hintText": "given", "object": "answer"}
