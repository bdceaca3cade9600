"""Wiring through the real broker: events published by other services reach the vault's read models, and the
vault's own events leave through its outbox."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.testing.samples import enc_string
from mspvault.shared.testing.wait import wait_until
from tests.integration.vault.vault_harness import ADMIN, CONFIRMED, USER, VaultService, publish

pytestmark = pytest.mark.integration


async def test_events_from_the_broker_feed_the_read_models(vault: VaultService, kafka: KafkaBroker) -> None:
    bob, carol = await vault.user("bob"), await vault.user("carol")
    acme, organization_id, collection_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    bob_provider_user = uuid.uuid4()
    await publish(
        kafka,
        events_topic("organization"),
        org.OrganizationCreatedV1(organization_id=organization_id, name="Contoso", plan_type=0),
        *(
            org.MemberConfirmedV1(
                organization_id=organization_id, member_id=uuid.uuid4(), user_id=user.id, email=user.email,
                type=kind, status=CONFIRMED,
            )
            for user, kind in ((bob, ADMIN), (carol, USER))
        ),
        org.CollectionCreatedV1(organization_id=organization_id, collection_id=collection_id, name=enc_string()),
        org.CollectionAccessChangedV1(
            organization_id=organization_id, collection_id=collection_id, access=[org.MemberAccess(user_id=carol.id)]
        ),
    )  # fmt: skip

    async def bob_can_create() -> dict[str, Any] | None:
        cipher = {"type": 2, "name": enc_string(), "secureNote": {"type": 0}, "organizationId": str(organization_id)}
        body = {"cipher": cipher, "collectionIds": [str(collection_id)]}
        response = await vault.http.post("/api/ciphers/create", json=body, headers=bob.headers)
        return response.json() if response.status_code == 200 else None

    item = await wait_until(bob_can_create, timeout=60, message="the vault learned Bob's membership from the broker")

    async def carol_sees_it() -> bool:
        return item["id"] in await vault.visible_ids(carol)

    await wait_until(carol_sees_it, timeout=30, message="Carol's collection access arrived")

    dave = await vault.user("dave")
    await publish(
        kafka,
        events_topic("provider"),
        prv.ProviderUserConfirmedV1(
            provider_id=acme, provider_user_id=bob_provider_user, user_id=dave.id, email=dave.email, type=1
        ),
        prv.ClientOrgAddedV1(provider_id=acme, organization_id=organization_id, provider_name="Acme"),
    )

    async def dave_sees_it() -> bool:
        return item["id"] in await vault.visible_ids(dave)

    await wait_until(dave_sees_it, timeout=30, message="provider access arrived")
    await publish(
        kafka, events_topic("provider"), prv.ClientOrgRemovedV1(provider_id=acme, organization_id=organization_id)
    )

    async def dave_lost_it() -> bool:
        return item["id"] not in await vault.visible_ids(dave)

    await wait_until(dave_lost_it, timeout=30, message="the detached client left Dave's vault")
    # The identity topic is consumed as well.
    await publish(kafka, events_topic("identity"), idn.UserDeletedV1(user_id=uuid.uuid4()))


async def test_vault_events_leave_through_the_outbox(vault: VaultService, kafka: KafkaBroker) -> None:
    alice = await vault.user()
    created = await vault.create(alice)
    await vault.http.put(f"/api/ciphers/{created['id']}/delete", headers=alice.headers)
    consumer = AIOKafkaConsumer(
        vault.settings.events_topic,
        bootstrap_servers=kafka.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"reader-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen: list[dict[str, Any]] = []
    try:

        async def both_events() -> bool:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                seen.extend(json.loads(record.value) for record in records)
            mine = [e for e in seen if e["data"].get("cipher_id") == created["id"]]
            return [e["type"] for e in mine] == ["CipherCreated", "CipherSoftDeleted"]

        await wait_until(both_events, timeout=30, message="CipherCreated and CipherSoftDeleted published")
    finally:
        await consumer.stop()
    event = next(e for e in seen if e["data"].get("cipher_id") == created["id"])
    assert event["key"] == str(alice.id)
    assert event["actor"]["user_id"] == str(alice.id)
    assert event["data"]["user_id"] == str(alice.id)
    assert event["data"]["organization_id"] is None
