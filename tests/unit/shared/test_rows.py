"""Entities to rows and back: fields named as columns travel as they are, enums as their values."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field

from sqlalchemy import Column, Integer, MetaData, SmallInteger, Table, Text, Uuid

from mspvault.shared.db.rows import column_values, entity_from_row, given, optional


class Kind(enum.IntEnum):
    PLAIN = 0
    SPECIAL = 2


@dataclass
class Thing:
    id: uuid.UUID
    kind: Kind
    name: str
    previous: Kind | None = None
    events: list[str] = field(default_factory=list)


things = Table(
    "things",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("kind", SmallInteger),
    Column("name", Text),
    Column("previous", SmallInteger),
    Column("size", Integer),
)


def test_values_are_the_fields_that_are_columns_with_enums_as_their_values() -> None:
    thing = Thing(uuid.uuid4(), Kind.SPECIAL, "a", events=["x"])
    values = column_values(thing, things, exclude=("id",), size=3)
    assert values == {"kind": 2, "name": "a", "previous": None, "size": 3}
    assert type(values["kind"]) is int


def test_an_entity_comes_back_from_its_columns_through_the_converters() -> None:
    thing_id = uuid.uuid4()
    row = {"id": thing_id, "kind": 2, "name": "a", "previous": None, "size": 3, "other": "joined"}
    thing = entity_from_row(Thing, row, kind=Kind, previous=optional(Kind))
    assert thing == Thing(thing_id, Kind.SPECIAL, "a")
    assert entity_from_row(Thing, row | {"previous": 0}, kind=Kind, previous=optional(Kind)).previous is Kind.PLAIN


def test_given_keeps_only_what_an_event_says() -> None:
    assert given(user_id=None, status=0, revoked=False) == {"status": 0, "revoked": False}
