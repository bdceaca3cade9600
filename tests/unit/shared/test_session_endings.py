"""Which records the session-endings consumer takes: identity's rotations, nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.identity import SecurityStampRotatedV1, UserRegisteredV1
from mspvault.shared.messaging.session_endings import SessionEndings, session_endings_group


def rotation() -> SecurityStampRotatedV1:
    return SecurityStampRotatedV1(
        user_id=uuid.uuid4(), security_stamp="s2", rotated_at=datetime.now(UTC), reason="logout"
    )


def body(event: EventData, producer: str = "identity") -> bytes:
    return Envelope.wrap(event, producer=producer, correlation_id=None).model_dump_json().encode()


class Recorded(Exception):
    """Raised by the fake session factory: the consumer went on to record."""


def endings() -> SessionEndings:
    def no_database() -> Any:
        raise Recorded

    return SessionEndings(consumer="vault", table=cast(Any, None), sessions=cast(Any, no_database))


async def test_only_identitys_rotations_are_recorded() -> None:
    consumer = endings()
    registered = UserRegisteredV1(user_id=uuid.uuid4(), email="a@b.test", name="A")
    assert await consumer.deliver(body(registered)) is False
    assert await consumer.deliver(body(rotation(), producer="vault")) is False  # not identity's to say
    assert await consumer.deliver(b"{not json") is False
    with pytest.raises(Recorded):
        await consumer.deliver(body(rotation()))


def test_the_group_is_the_services_own_with_a_suffix() -> None:
    assert session_endings_group("vault") == "vault.sessions"
