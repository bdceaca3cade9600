"""Recording the provider's audit log on the real database: one statement per event (issue 12 #4: 10,000 client
creations left ~40,000 events to record at 2–4 round trips each), and the rules of `service_layer/audit.py` as
that statement applies them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import delete, select

from mspvault.provider.adapters.orm import audit_events, provider_organizations
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import provider as pc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.messaging.inbox import HandledEvent
from tests.integration.provider.provider_flows import (
    SERVICE,
    add_member,
    create_client,
    give_confirmed_owner,
    set_up_provider,
)
from tests.integration.provider.provider_harness import ProviderHarness

pytestmark = pytest.mark.integration


def envelope(event: EventData, actor: Actor | None = None) -> Envelope:
    producer = type(event).__module__.rsplit(".", 1)[-1]
    return Envelope.wrap(event, producer=producer, correlation_id=uuid.uuid4().hex, actor=actor)


async def apply_batch(h: ProviderHarness, envelopes: list[Envelope]) -> None:
    """As the consumer applies a fetched batch: one transaction, one inbox insert, each event's handlers."""
    consumer = h.runtime.consumer
    items = []
    for each in envelopes:
        topic = events_topic(each.producer)
        items.append(HandledEvent(topic, each, consumer.router.handlers[topic][each.type]))
    assert await consumer.apply_all(items) == ["applied"] * len(envelopes)


def placed(row: dict[str, Any] | None) -> tuple[uuid.UUID | None, ...] | None:
    """Where an entry went: (its provider, the client log it is in, its client link); None when it was skipped."""
    return None if row is None else (row["provider_id"], row["client_provider_id"], row["provider_organization_id"])


async def recorded(h: ProviderHarness, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    async with h.runtime.session_factory() as session:
        rows = await session.execute(select(audit_events).where(audit_events.c.id.in_(ids)))
        return {row.id: dict(row._mapping) for row in rows}


async def test_each_event_is_recorded_in_one_statement_by_the_rules_of_the_log(provider_service) -> None:
    h = provider_service
    acme = await set_up_provider(h)
    provider_id = uuid.UUID(acme.id)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    dave, _ = await add_member(h, acme, "dave", SERVICE)
    carol = await h.new_user("carol")
    link = await create_client(h, acme, bob)
    org_id, link_id = uuid.UUID(link["organizationId"]), uuid.UUID(link["id"])
    await give_confirmed_owner(h, str(org_id), dave)  # a provider user who owns the client in their own right
    elsewhere = uuid.uuid4()
    await h.own_events_applied()  # nothing of the set-up may be recorded while we count

    def cipher(org: uuid.UUID) -> vc.CipherCreatedV1:
        return vc.CipherCreatedV1(cipher_id=uuid.uuid4(), owner_id=org, organization_id=org)

    for_acme = Actor(user_id=bob.id, provider_id=provider_id)
    batch = {
        "bob's item in the client": envelope(cipher(org_id), Actor(user_id=bob.id)),
        "carol's item in the client": envelope(cipher(org_id), Actor(user_id=carol.id)),
        "dave's item in the client": envelope(cipher(org_id), Actor(user_id=dave.id)),
        "bob's own item elsewhere": envelope(cipher(elsewhere), Actor(user_id=bob.id)),
        "bob's item elsewhere for acme": envelope(cipher(elsewhere), for_acme),
        "a collection in the client": envelope(
            oc.CollectionCreatedV1(organization_id=org_id, collection_id=uuid.uuid4(), name="2.x|y|z"), for_acme
        ),
        "a collection elsewhere": envelope(
            oc.CollectionCreatedV1(organization_id=elsewhere, collection_id=uuid.uuid4(), name="2.x|y|z")
        ),
        "an acme user updated": envelope(
            pc.ProviderUserUpdatedV1(
                provider_id=provider_id, provider_user_id=uuid.uuid4(), user_id=bob.id, email=bob.email, type=1
            )
        ),
        "another provider's user removed": envelope(
            pc.ProviderUserRemovedV1(provider_id=uuid.uuid4(), provider_user_id=uuid.uuid4(), email="x@y.test", type=1)
        ),
        "the client added again": envelope(
            pc.ClientOrgAddedV1(provider_id=provider_id, organization_id=org_id, provider_name="Acme MSP")
        ),
    }
    with h.counting_statements() as statements:
        await apply_batch(h, list(batch.values()))
    print(f"\n{len(batch)} events recorded in {len(statements)} statements")
    assert len(statements) == len(batch), statements  # 22 before issue 12 #4: 2–4 round trips per event

    rows = await recorded(h, [each.id for each in batch.values()])
    got = {name: placed(rows.get(each.id)) for name, each in batch.items()}
    assert got == {
        "bob's item in the client": (provider_id, provider_id, None),  # he acted for acme, though the vault can't say
        "carol's item in the client": (None, provider_id, None),
        "dave's item in the client": (None, provider_id, None),  # an Owner in their own right acts for themselves
        "bob's own item elsewhere": None,
        "bob's item elsewhere for acme": (provider_id, None, None),
        "a collection in the client": (provider_id, provider_id, None),
        "a collection elsewhere": None,
        "an acme user updated": (provider_id, None, None),
        "another provider's user removed": None,
        "the client added again": (provider_id, provider_id, link_id),
    }

    # The link is gone by the time its removal is recorded: the entry keeps the link's id from an earlier entry, and
    # the former client's later events are no longer the provider's business.
    async with h.runtime.session_factory() as session:
        await session.execute(delete(provider_organizations).where(provider_organizations.c.id == link_id))
        await session.commit()
    after = {
        "the client removed": envelope(pc.ClientOrgRemovedV1(provider_id=provider_id, organization_id=org_id)),
        "carol's item in the former client": envelope(cipher(org_id), Actor(user_id=carol.id)),
    }
    with h.counting_statements() as statements:
        await apply_batch(h, list(after.values()))
    assert len(statements) == len(after), statements  # 5 before
    rows = await recorded(h, [each.id for each in after.values()])
    assert {name: placed(rows.get(each.id)) for name, each in after.items()} == {
        "the client removed": (provider_id, provider_id, link_id),
        "carol's item in the former client": None,
    }
