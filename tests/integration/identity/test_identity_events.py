"""Registration publishes through the outbox: the row commits with the account, the relay puts it on the bus."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import select

from mspvault.identity.adapters.orm import tables
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.identity import UserKeysSetV1, UserRegisteredV1
from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.testing.wait import wait_until
from tests.integration.identity.conftest import IdentityService, bearer, jwt_claims
from tests.unit.identity.samples import enc_string_2, public_key

pytestmark = pytest.mark.integration


async def outbox_rows(identity: IdentityService, user_id: uuid.UUID) -> list[Any]:
    async with identity.runtime.session_factory() as session:
        query = select(tables.outbox).where(tables.outbox.c.key == str(user_id)).order_by(tables.outbox.c.id)
        return list((await session.execute(query)).all())


async def published(kafka: KafkaBroker, user_id: uuid.UUID, count: int) -> list[Envelope]:
    consumer = AIOKafkaConsumer(
        "identity.events",
        bootstrap_servers=kafka.bootstrap,
        group_id=None,  # no group: every partition from the start, without waiting for a group join
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[Envelope] = []
    try:

        async def enough() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    envelope = Envelope.model_validate_json(record.value)
                    if envelope.key == str(user_id):
                        assert record.key == str(user_id).encode()
                        found.append(envelope)
            return len(found) >= count

        await wait_until(enough, timeout=30, message=f"{count} identity events for {user_id}")
    finally:
        await consumer.stop()
    return found


async def test_register_publishes_user_registered_and_keys_set(identity: IdentityService, kafka: KafkaBroker) -> None:
    account = await identity.register()
    user_id = uuid.UUID(jwt_claims((await identity.login(account))["access_token"])["sub"])

    rows = await outbox_rows(identity, user_id)
    assert [row.event_type for row in rows] == ["UserRegistered", "UserKeysSet", "UserLoggedIn"]  # 1000, audited
    assert all(row.topic == "identity.events" for row in rows)

    envelopes = await published(kafka, user_id, 2)
    registered = envelopes[0].payload_as(UserRegisteredV1)
    assert registered == UserRegisteredV1(
        user_id=user_id, email=account.email, name="Test User", public_key=account.body["keys"]["publicKey"]
    )
    assert envelopes[0].producer == "identity"
    assert envelopes[0].actor.user_id == user_id
    keys_set = envelopes[1].payload_as(UserKeysSetV1)
    assert keys_set == UserKeysSetV1(user_id=user_id, public_key=account.body["keys"]["publicKey"])
    await wait_until(lambda: _all_sent(identity, user_id), timeout=10, message="outbox rows marked sent")


async def _all_sent(identity: IdentityService, user_id: uuid.UUID) -> bool:
    return all(row.sent_at is not None for row in await outbox_rows(identity, user_id))


async def test_register_without_keys_then_set_them(identity: IdentityService, kafka: KafkaBroker) -> None:
    account = await identity.register(keys=False)
    token = (await identity.login(account))["access_token"]
    user_id = uuid.UUID(jwt_claims(token)["sub"])
    assert [row.event_type for row in await outbox_rows(identity, user_id)] == ["UserRegistered", "UserLoggedIn"]

    key = public_key()
    pair = {"publicKey": key, "encryptedPrivateKey": enc_string_2()}
    assert (await identity.client.post("/api/accounts/keys", json=pair, headers=bearer(token))).status_code == 200
    assert (await identity.client.post("/api/accounts/keys", json=pair, headers=bearer(token))).status_code == 200
    rows = await outbox_rows(identity, user_id)
    assert [row.event_type for row in rows] == ["UserRegistered", "UserLoggedIn", "UserKeysSet"]

    envelopes = await published(kafka, user_id, 3)
    assert envelopes[0].payload_as(UserRegisteredV1).public_key is None
    assert envelopes[2].payload_as(UserKeysSetV1).public_key == key


async def test_a_refused_registration_publishes_nothing(identity: IdentityService) -> None:
    account = await identity.register()
    user_id = uuid.UUID(jwt_claims((await identity.login(account))["access_token"])["sub"])
    duplicate = await identity.client.post("/identity/accounts/register", json=account.body)
    assert duplicate.status_code == 200  # answered as a new registration would be: no enumeration (issue 11 #9)
    assert len(await outbox_rows(identity, user_id)) == 3  # registered, keys set, logged in
    async with identity.runtime.session_factory() as session:
        emails = select(tables.outbox.c.envelope["data"]["email"].astext).where(
            tables.outbox.c.envelope["data"]["email"].astext == account.email
        )
        assert len((await session.execute(emails)).all()) == 1
