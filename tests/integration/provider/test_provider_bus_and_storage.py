"""The provider service against the real broker and database: events out, read models in, mail retried,
migrations equal to the ORM metadata."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from mspvault.provider.adapters.orm import mail_outbox, metadata
from mspvault.provider.bootstrap import build_parts
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.identity import UserKeysSetV1, UserRegisteredV1
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.runtime import run_migrations
from mspvault.shared.settings import ProviderSettings
from mspvault.shared.testing.wait import wait_until
from tests.integration.provider.provider_flows import SERVICE, open_provider, set_up_provider

pytestmark = pytest.mark.integration


async def test_migrations_produce_exactly_the_orm_metadata(new_database, kafka):
    url = await new_database("provider_migrations")
    parts = build_parts(ProviderSettings(database_url=url, kafka_bootstrap=kafka.bootstrap))
    await asyncio.to_thread(run_migrations, parts)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
    finally:
        await engine.dispose()
    assert diff == []


async def test_events_reach_the_broker_keyed_by_provider(provider_service, kafka):
    h = provider_service
    acme = await set_up_provider(h)
    consumer = AIOKafkaConsumer(
        events_topic("provider"),
        bootstrap_servers=kafka.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"provider-test-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen: list[dict[str, Any]] = []
    expected = ["ProviderCreated", "ProviderUserInvited", "ProviderUserAccepted", "ProviderUserConfirmed"]
    try:

        async def arrived() -> bool:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                seen.extend(json.loads(r.value) for r in records if r.key == acme.id.encode())
            return [e["type"] for e in seen][:4] == expected

        await wait_until(arrived, timeout=30, message="the provider's events on provider.events")
    finally:
        await consumer.stop()
    assert {envelope["producer"] for envelope in seen} == {"provider"}
    assert all(envelope["key"] == acme.id for envelope in seen)


async def test_identity_events_from_the_broker_feed_the_user_read_model(provider_service, kafka):
    h = provider_service
    acme = await set_up_provider(h)
    bob = await h.new_user("bob", register=False)
    producer = make_producer(kafka.bootstrap, idempotent=kafka.idempotent_supported, client_id="provider-test")
    await producer.start()
    try:
        for event in (
            UserRegisteredV1(user_id=bob.id, email=bob.email, name="Bob"),
            UserKeysSetV1(user_id=bob.id, public_key=bob.public_key_b64),
        ):
            envelope = Envelope.wrap(event, producer="identity", correlation_id=uuid.uuid4().hex)
            await producer.send_and_wait(
                events_topic("identity"), envelope.model_dump_json().encode(), key=str(bob.id).encode()
            )
    finally:
        await producer.stop()

    await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json={"emails": [bob.email], "type": SERVICE})
    invite = await h.mail.invite_for(bob.email)
    await h.call("POST", f"{acme.base()}/users/{invite.provider_user_id}/accept", bob, json={"token": invite.token})

    async def bobs_key() -> list[Any]:
        response = await h.call(
            "POST", f"{acme.base()}/users/public-keys", acme.admin, json={"ids": [invite.provider_user_id]}
        )
        return list(response.json()["data"])

    (entry,) = await wait_until(bobs_key, timeout=60, interval=0.2, message="bob's public key from identity.events")
    assert entry["key"] == bob.public_key_b64
    users = (await h.call("GET", f"{acme.base()}/users", acme.admin)).json()["data"]
    assert any(row["name"] == "Bob" for row in users)


async def test_invite_mail_survives_an_smtp_outage(provider_service):
    h = provider_service
    owner = await h.new_user("alice")
    await h.mail.stop()
    try:
        provider_id = await open_provider(h, owner)

        async def failed_once() -> bool:
            async with h.runtime.session_factory() as session:
                row = (await session.execute(select(mail_outbox).where(mail_outbox.c.recipient == owner.email))).first()
                # The relay being away is not the message's fault: kept with its error, not counted against it.
                return row is not None and row.last_error is not None and row.sent_at is None and row.attempts == 0

        await wait_until(failed_once, timeout=15, message="a failed delivery attempt kept in the mail outbox")
    finally:
        await h.mail.start()
    invite = await h.mail.invite_for(owner.email)
    assert invite.provider_id == provider_id
