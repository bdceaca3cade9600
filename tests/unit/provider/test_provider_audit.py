"""What the provider's audit log records, over fakes: its own events, its clients' events, and who acted for it."""

from __future__ import annotations

import uuid

from mspvault.provider.domain.client import ClientLink
from mspvault.provider.domain.enums import ProviderUserType
from mspvault.provider.service_layer import audit
from mspvault.shared.audit.codes import EventType
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import provider as pc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from tests.unit.provider.fakes import FakeProviderStore, FakeProviderWorld
from tests.unit.provider.provider_builders import add_member, contoso_client, set_up_roster


def wrap(event: EventData, actor: Actor | None = None) -> Envelope:
    return Envelope.wrap(event, producer="test", correlation_id=None, actor=actor)


def client_world() -> tuple[FakeProviderWorld, ClientLink, uuid.UUID]:
    roster, _ = set_up_roster()
    bob = add_member(roster, "bob@acme.test", ProviderUserType.SERVICE_USER)
    assert bob.user_id is not None
    link = contoso_client(roster)
    store = FakeProviderStore(rosters={roster.provider.id: roster}, clients={link.id: link})
    return FakeProviderWorld(store=store), link, bob.user_id


async def test_a_client_link_event_goes_to_the_provider_and_the_client_log_with_the_links_id() -> None:
    world, link, _ = client_world()
    event = pc.ClientOrgAddedV1(provider_id=link.provider_id, organization_id=link.organization_id, provider_name="A")
    await audit.record_own_event(world.work(), event, wrap(event))
    ((entry, client_log),) = world.audit.entries
    assert (entry.type, entry.provider_organization_id, client_log) == (
        EventType.PROVIDER_ORGANIZATION_ADDED,
        link.id,
        link.provider_id,
    )


async def test_events_of_providers_we_do_not_hold_are_skipped() -> None:
    world, _, _ = client_world()
    event = pc.ProviderUserRemovedV1(provider_id=uuid.uuid4(), provider_user_id=uuid.uuid4(), email="x@y.test", type=1)
    await audit.record_own_event(world.work(), event, wrap(event))
    assert world.audit.entries == []


async def test_a_service_users_vault_action_in_a_client_is_attributed_to_the_provider_unless_they_own_it() -> None:
    world, link, bob = client_world()
    event = vc.CipherUpdatedV1(
        owner_id=link.organization_id, cipher_id=uuid.uuid4(), organization_id=link.organization_id
    )
    await audit.record_vault_event(world.work(), event, wrap(event, Actor(user_id=bob)))
    ((entry, client_log),) = world.audit.entries
    assert (entry.provider_id, client_log) == (link.provider_id, link.provider_id)

    world.store.members[uuid.uuid4()] = {
        "organization_id": link.organization_id,
        "user_id": bob,
        "type": 0,
        "status": 2,
    }
    again = vc.CipherUpdatedV1(
        owner_id=link.organization_id, cipher_id=uuid.uuid4(), organization_id=link.organization_id
    )
    await audit.record_vault_event(world.work(), again, wrap(again, Actor(user_id=bob)))
    assert world.audit.entries[-1][0].provider_id is None  # an Owner in their own right acts for themselves


async def test_an_organization_event_outside_our_clients_is_skipped() -> None:
    world, _, _ = client_world()
    event = oc.OrganizationUpdatedV1(organization_id=uuid.uuid4(), name="Elsewhere", enabled=True)
    await audit.record_organization_event(world.work(), event, wrap(event))
    assert world.audit.entries == []


async def test_only_a_vault_event_that_does_not_say_for_whom_its_user_acted_is_attributed() -> None:
    world, link, bob = client_world()
    org_id = link.organization_id
    collection = oc.CollectionCreatedV1(organization_id=org_id, collection_id=uuid.uuid4(), name="2.x|y|z")
    await audit.record_organization_event(world.work(), collection, wrap(collection, Actor(user_id=bob)))
    said = vc.CipherUpdatedV1(owner_id=org_id, cipher_id=uuid.uuid4(), organization_id=org_id)
    other_provider = uuid.uuid4()
    await audit.record_vault_event(world.work(), said, wrap(said, Actor(user_id=bob, provider_id=other_provider)))
    assert [(entry.provider_id, client_log) for entry, client_log in world.audit.entries] == [
        (None, link.provider_id),  # the organization's actor says who acted for a provider: nobody
        (other_provider, link.provider_id),
    ]
