"""Client-link handlers against fakes: linking an existing organization needs its confirmed Owner (per the read model;
anyone else: 404, nothing written), detaching needs an Owner left behind, and each is published as the caller's,
with every provider user's revision date moved, in one commit."""

from __future__ import annotations

import uuid

import pytest

from mspvault.provider.domain.client import KnownOrganization
from mspvault.provider.domain.errors import ClientHasNoConfirmedOwner, ClientNotFound, ProviderNotFound
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer import clients
from mspvault.provider.service_layer.commands import AddExistingClient, DetachClient
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.provider import ClientOrgAddedV1, ClientOrgRemovedV1
from tests.unit.provider.fakes import CONFIRMED, OWNER, FakeProviderWorld
from tests.unit.provider.provider_builders import SYM, set_up_roster


def provider_world() -> tuple[FakeProviderWorld, Roster, Principal, KnownOrganization]:
    roster, admin_id = set_up_roster()
    world = FakeProviderWorld()
    world.store.rosters[roster.provider.id] = roster
    org = KnownOrganization(id=uuid.uuid4(), name="Fabrikam", plan_type=20, seats=5, provider_id=None)
    world.store.organizations[org.id] = org
    return world, roster, Principal(user_id=admin_id, email="alice@acme.test"), org


def owns(world: FakeProviderWorld, org: KnownOrganization, user_id: uuid.UUID, status: int = CONFIRMED) -> None:
    world.store.members[uuid.uuid4()] = {
        "organization_id": org.id,
        "user_id": user_id,
        "type": OWNER,
        "status": status,
    }


async def test_the_confirmed_owner_links_their_organization() -> None:
    world, roster, admin, org = provider_world()
    owns(world, org, admin.user_id)

    link = await clients.add_existing_client(world.work(), admin, AddExistingClient(roster.provider.id, org.id, SYM))

    assert world.store.clients[link.id].organization_id == org.id
    [(added, actor)] = world.uow.published
    assert isinstance(added, ClientOrgAddedV1)
    assert (added.organization_id, actor.user_id, actor.provider_id) == (org.id, admin.user_id, roster.provider.id)
    assert world.store.bumped == roster.users_with_accounts()
    assert world.uow.commits == 1


@pytest.mark.parametrize("status", [0, 1])  # invited, accepted: not yet an Owner who may hand it over
async def test_an_organization_the_caller_does_not_own_is_not_found(status: int) -> None:
    world, roster, admin, org = provider_world()
    owns(world, org, admin.user_id, status=status)

    with pytest.raises(ClientNotFound):
        await clients.add_existing_client(world.work(), admin, AddExistingClient(roster.provider.id, org.id, SYM))
    with pytest.raises(ClientNotFound):
        await clients.add_existing_client(world.work(), admin, AddExistingClient(roster.provider.id, uuid.uuid4(), SYM))

    assert (world.store.clients, world.uow.published, world.uow.commits) == ({}, [], 0)


async def test_who_is_not_a_provider_user_learns_nothing() -> None:
    world, roster, _, org = provider_world()
    stranger = Principal(user_id=uuid.uuid4(), email="eve@evil.test")
    owns(world, org, stranger.user_id)

    with pytest.raises(ProviderNotFound):
        await clients.add_existing_client(world.work(), stranger, AddExistingClient(roster.provider.id, org.id, SYM))
    assert (world.store.clients, world.uow.commits) == ({}, 0)


async def test_detaching_needs_an_owner_to_leave_the_client_to() -> None:
    world, roster, admin, org = provider_world()
    owns(world, org, admin.user_id)
    link = await clients.add_existing_client(world.work(), admin, AddExistingClient(roster.provider.id, org.id, SYM))
    world.store.members.clear()  # the owner left the organization

    with pytest.raises(ClientHasNoConfirmedOwner):
        await clients.detach_client(world.work(), admin, DetachClient(roster.provider.id, link.id))
    assert link.id in world.store.clients

    owns(world, org, uuid.uuid4())
    await clients.detach_client(world.work(), admin, DetachClient(roster.provider.id, link.id))

    assert link.id not in world.store.clients
    [removed] = world.uow.events(ClientOrgRemovedV1)
    assert removed.organization_id == org.id
    assert world.uow.commits == 2
