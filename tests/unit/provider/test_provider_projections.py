"""The provider's handlers of other services' events, over fakes: read models, and a deleted client's link."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TypeVar
from unittest.mock import ANY

from mspvault.provider.domain.client import ClientLink
from mspvault.provider.domain.enums import PlanType, ProviderUserType
from mspvault.provider.service_layer import projections
from mspvault.provider.service_layer.clients import create_client
from mspvault.provider.service_layer.commands import CreateClient
from mspvault.shared import user_projections
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.provider import ClientOrgCreatedV1, ClientOrgRemovedV1, ProviderUserRemovedV1
from tests.unit.provider.fakes import FakeProviderStore, FakeProviderWorld
from tests.unit.provider.provider_builders import NOW, SYM, add_member, contoso_client, set_up_roster


def client_world() -> tuple[FakeProviderWorld, ClientLink, set[uuid.UUID]]:
    roster, _ = set_up_roster()
    add_member(roster, "bob@acme.test", ProviderUserType.SERVICE_USER)
    link = contoso_client(roster)
    world = FakeProviderWorld(store=FakeProviderStore(rosters={roster.provider.id: roster}, clients={link.id: link}))
    return world, link, roster.users_with_accounts()


async def test_a_deleted_client_ends_its_link_and_says_so_without_committing() -> None:
    world, link, accounts = client_world()
    deleter = uuid.uuid4()
    event = oc.OrganizationDeletedV1(organization_id=link.organization_id)
    envelope = Envelope.wrap(event, producer="organization", correlation_id=None, actor=Actor(user_id=deleter))

    await projections.organization_deleted(world.work(), event, envelope)

    assert world.store.clients == {}
    ((removed, actor),) = world.uow.published
    assert removed == ClientOrgRemovedV1(provider_id=link.provider_id, organization_id=link.organization_id)
    assert actor == Actor(user_id=deleter, provider_id=link.provider_id)
    assert world.store.bumped == accounts
    assert len(accounts) == 2
    assert world.uow.commits == 0  # the inbox commits, with its row


async def test_a_deleted_organization_that_is_no_client_only_leaves_the_read_model() -> None:
    world, link, _ = client_world()
    other = uuid.uuid4()
    await projections.organization_created(
        world.work(), oc.OrganizationCreatedV1(organization_id=other, name="Solo", plan_type=0, seats=2)
    )
    event = oc.OrganizationDeletedV1(organization_id=other)
    await projections.organization_deleted(world.work(), event, Envelope.wrap(event, producer="o", correlation_id=None))
    assert other not in world.read_models.organizations
    assert list(world.store.clients) == [link.id]
    assert world.uow.published == []
    assert world.store.bumped == set()


E = TypeVar("E", bound=oc._MemberEvent)


def at(event: E, seconds: int) -> tuple[E, Envelope]:
    """The event, and its envelope as the organization recorded it `seconds` after NOW."""
    envelope = Envelope.wrap(event, producer="organization", correlation_id=None)
    return event, envelope.model_copy(update={"occurred_at": NOW + timedelta(seconds=seconds)})


async def test_member_events_keep_one_row_per_member_with_its_current_state() -> None:
    world, _, _ = client_world()
    org_id, member_id, user_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    common = {"organization_id": org_id, "member_id": member_id, "email": "carol@contoso.test"}
    await projections.member_saved(world.work(), *at(oc.MemberInvitedV1(**common, type=0, status=0), 1))
    await projections.member_saved(
        world.work(), *at(oc.MemberConfirmedV1(**common, user_id=user_id, type=0, status=2), 2)
    )
    assert world.read_models.members == {
        member_id: {"organization_id": org_id, "user_id": user_id, "type": 0, "status": 2, "source_at": ANY}
    }
    assert await world.store.is_confirmed_owner(org_id, user_id)
    await projections.member_removed(world.work(), *at(oc.MemberRemovedV1(**common, type=0, status=2), 3))
    assert world.read_models.members[member_id]["status"] == -1  # a tombstone without an account
    assert world.read_models.members[member_id]["user_id"] is None
    assert not await world.store.is_confirmed_owner(org_id, user_id)


async def test_an_older_member_event_replayed_after_a_revocation_or_removal_changes_nothing() -> None:
    """Issue 11 #5: a DLQ replay or a late redelivery of Confirmed must not make a removed Owner one again."""
    world, _, _ = client_world()
    org_id, member_id, user_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    common = {"organization_id": org_id, "member_id": member_id, "email": "carol@contoso.test"}
    confirmed = at(oc.MemberConfirmedV1(**common, user_id=user_id, type=0, status=2), 1)
    await projections.member_saved(world.work(), *confirmed)
    await projections.member_saved(
        world.work(), *at(oc.MemberRevokedV1(**common, user_id=user_id, type=0, status=-1), 2)
    )
    await projections.member_saved(world.work(), *confirmed)  # replayed
    assert world.read_models.members[member_id]["status"] == -1
    assert not await world.store.is_confirmed_owner(org_id, user_id)

    await projections.member_removed(world.work(), *at(oc.MemberRemovedV1(**common, type=0, status=-1), 3))
    await projections.member_saved(world.work(), *confirmed)  # replayed after the removal
    assert world.read_models.members[member_id]["status"] == -1
    assert not await world.store.is_confirmed_owner(org_id, user_id)


async def test_a_renamed_client_refreshes_its_provider_users_but_an_unchanged_name_does_not() -> None:
    world, link, accounts = client_world()
    world.read_models.client_names[link.organization_id] = (link.provider_id, "Contoso")
    same = oc.OrganizationUpdatedV1(organization_id=link.organization_id, name="Contoso", enabled=True)
    await projections.organization_updated(world.work(), same)
    assert world.store.bumped == set()
    renamed = oc.OrganizationUpdatedV1(organization_id=link.organization_id, name="Contoso Ltd", enabled=True)
    await projections.organization_updated(world.work(), renamed)
    assert world.store.bumped == accounts


async def test_users_are_kept_with_lower_cased_emails_and_their_keys() -> None:
    world, _, _ = client_world()
    user_id = uuid.uuid4()
    await user_projections.user_registered(world.work(), idc.UserRegisteredV1(user_id=user_id, email="Dan@X.test"))
    await user_projections.user_keys_set(world.work(), idc.UserKeysSetV1(user_id=user_id, public_key="PK"))
    await user_projections.user_profile_updated(
        world.work(), idc.UserProfileUpdatedV1(user_id=user_id, email="Dan@Y.test", name="Dan")
    )
    assert world.read_models.users[user_id] == {"email": "dan@y.test", "name": "Dan", "public_key": "PK"}
    await projections.user_deleted(world.work(), idc.UserDeletedV1(user_id=user_id))
    assert world.read_models.users == {}


async def test_creating_a_client_publishes_it_as_the_caller_for_the_provider_and_commits() -> None:
    world, _, _ = client_world()
    (roster,) = world.store.rosters.values()
    admin = next(u for u in roster.users if u.user_id is not None)
    caller = Principal(user_id=admin.user_id, email=admin.email)
    command = CreateClient(
        provider_id=roster.provider.id,
        name="Fabrikam",
        owner_email="Erin@Fabrikam.test",
        plan_type=int(PlanType.TEAMS_MONTHLY),
        seats=5,
        key=SYM,
        public_key="MIIBIjANBg==",
        encrypted_private_key=SYM,
    )
    link = await create_client(world.work(), caller, command)
    (created,) = world.uow.events(ClientOrgCreatedV1)
    assert (created.organization_id, created.owner_email) == (link.organization_id, "erin@fabrikam.test")
    assert world.uow.published[0][1].provider_id == roster.provider.id
    assert world.store.clients[link.id].creation_date == NOW
    # The provider users' revision date comes from the new link's (queries.revision_date): no row of theirs is
    # locked, so concurrent creations do not queue (issue 12 #4). The integration test checks the date moves.
    assert world.store.clients[link.id].revision_date == NOW
    assert world.store.bumped == set()
    # ... and still announced, for the gateway's revision dates.
    assert world.uow.revisions == dict.fromkeys(roster.users_with_accounts(), NOW)
    assert world.uow.commits == 1


async def test_a_deleted_account_leaves_every_provider_it_was_in() -> None:
    world, _, _ = client_world()
    (roster,) = world.store.rosters.values()
    bob = next(u for u in roster.users if u.email == "bob@acme.test")
    assert bob.user_id is not None
    await projections.user_deleted(world.work(), idc.UserDeletedV1(user_id=bob.user_id))
    assert all(u.user_id != bob.user_id for u in world.store.rosters[roster.provider.id].users)
    ((removed, actor),) = world.uow.published
    assert isinstance(removed, ProviderUserRemovedV1)
    assert removed.user_id == bob.user_id
    assert actor == Actor(user_id=bob.user_id, provider_id=roster.provider.id)
    assert world.uow.commits == 0
