from __future__ import annotations

import uuid
from typing import Annotated

import pytest
from pydantic import ValidationError

from mspvault.shared.contracts import Envelope
from mspvault.shared.contracts.envelope import AggregateId, EventData, UnknownEventError
from mspvault.shared.contracts.identity import UserRegisteredV1
from mspvault.shared.contracts.provider import ClientOrgCreatedV1


def test_wrap_keys_the_event_by_its_aggregate_and_round_trips() -> None:
    event = UserRegisteredV1(user_id=uuid.uuid4(), email="a@b.test", name="A")
    envelope = Envelope.wrap(event, producer="identity", correlation_id="c0ffee00c0ffee00")
    assert envelope.key == str(event.user_id)
    assert envelope.type == "UserRegistered"
    assert envelope.version == 1
    parsed = Envelope.model_validate_json(envelope.model_dump_json())
    assert parsed.payload() == event
    assert parsed.correlation_id == "c0ffee00c0ffee00"


def test_provider_events_are_ordered_per_provider() -> None:
    provider_id = uuid.uuid4()
    event = ClientOrgCreatedV1(
        provider_id=provider_id,
        organization_id=uuid.uuid4(),
        provider_name="Acme",
        name="Contoso",
        billing_email="b@contoso.test",
        owner_email="o@contoso.test",
        plan_type=3,
        seats=10,
        public_key="AAAA",
        encrypted_private_key="2.a|b|c",
    )
    assert Envelope.wrap(event, producer="provider", correlation_id=None).key == str(provider_id)


def test_unknown_event_version_is_refused_not_guessed() -> None:
    envelope = Envelope(type="UserRegistered", version=99, producer="identity", key="k", data={})
    with pytest.raises(UnknownEventError):
        envelope.payload()


def test_events_are_frozen_and_strict() -> None:
    event = UserRegisteredV1(user_id=uuid.uuid4(), email="a@b.test")
    with pytest.raises(ValidationError):
        UserRegisteredV1.model_validate({**event.model_dump(), "surprise": 1})
    with pytest.raises(ValidationError):
        event.email = "other@b.test"  # type: ignore[misc]


def test_the_key_is_the_field_marked_aggregate_key_inherited_or_own() -> None:
    class _Keyed(EventData):
        thing_id: AggregateId
        other_id: uuid.UUID

    class KeyedInherited(_Keyed):
        extra: Annotated[str, "not a key"] = ""

    thing_id = uuid.uuid4()
    assert KeyedInherited.aggregate_field == "thing_id"
    assert KeyedInherited(thing_id=thing_id, other_id=uuid.uuid4()).aggregate_id == str(thing_id)


def test_an_event_with_two_keys_is_refused() -> None:
    with pytest.raises(TypeError, match="one"):

        class _TwoKeys(EventData):
            first_id: AggregateId
            second_id: AggregateId
