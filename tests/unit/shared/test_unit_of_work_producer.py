"""An event's producer is the owner of the topic it goes out on: that is what every consumer checks."""

from __future__ import annotations

import uuid
from typing import Any, cast

from mspvault.shared.contracts.identity import UserRegisteredV1
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.db.unit_of_work import UnitOfWork


def unit_of_work(service: str, topic: str) -> UnitOfWork:
    # publish() only records the envelope; neither sessions nor tables are touched before commit.
    return UnitOfWork(cast(Any, None), cast(Any, None), service=service, topic=topic)


def event() -> UserRegisteredV1:
    return UserRegisteredV1(user_id=uuid.uuid4(), email="a@b.test", name="A")


def test_a_service_publishes_as_itself_on_its_own_topic() -> None:
    assert unit_of_work("identity", events_topic("identity")).publish(event()).producer == "identity"


def test_a_service_named_apart_from_its_topic_still_publishes_as_the_topics_owner() -> None:
    # Test harnesses give a service a name of its own (its consumer group) while it writes the real topic; the
    # consumers' producer check must not set its events aside.
    renamed = unit_of_work("identity_3f2a9c1d", events_topic("identity"))
    assert renamed.publish(event()).producer == "identity"
