"""Other services' events against in-memory fakes: what the read models keep, whose revision date moves, and the
item events a deletion elsewhere publishes. Also the item event log's recorder."""

from __future__ import annotations

import uuid
from datetime import timedelta

from mspvault.shared import user_projections
from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.contracts.vault import CipherDeletedV1, CipherUpdatedV1
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.access import Membership, OrganizationAudience
from mspvault.vault.service_layer import audit, projections
from mspvault.vault.service_layer.ports import VaultWork
from tests.unit.vault.fakes import CONFIRMED, CUSTOM, NOW, OWNER, USER, FakeVaultWorld


def envelope_of(event: EventData, actor: Actor | None = None) -> Envelope:
    return Envelope.wrap(event, producer="test", correlation_id=None, actor=actor)


async def member_saved(work: VaultWork, event: projections.MemberSaved) -> None:
    """As delivered now (its envelope's time is the time of the call)."""
    await projections.member_saved(work, event, envelope_of(event))


def member_event(kind: type[org.MemberUpdatedV1] | type[EventData], organization_id: uuid.UUID, **fields: object):
    values = {"member_id": uuid.uuid4(), "user_id": uuid.uuid4(), "email": "m@vault.test", "type": USER}
    return kind(organization_id=organization_id, **{"status": CONFIRMED, **values, **fields})  # type: ignore[call-arg]


async def test_a_member_event_replaces_the_membership_and_bumps_its_user() -> None:
    world, organization_id = FakeVaultWorld(), uuid.uuid4()
    event = member_event(org.MemberConfirmedV1, organization_id, type=CUSTOM, permissions={"editAnyCollection": True})
    await member_saved(world.work(), event)
    saved = world.read_models.members[event.member_id]
    assert saved.membership.has_full_access
    assert saved.permissions == {"editAnyCollection": True}
    assert world.revised() == {event.user_id}


async def test_an_invite_without_an_account_bumps_nobody_and_a_later_event_keeps_the_user() -> None:
    world, organization_id = FakeVaultWorld(), uuid.uuid4()
    member_id, user_id = uuid.uuid4(), uuid.uuid4()
    await member_saved(
        world.work(), member_event(org.MemberInvitedV1, organization_id, member_id=member_id, user_id=None, status=0)
    )
    assert world.revised() == set()
    await member_saved(
        world.work(), member_event(org.MemberAcceptedV1, organization_id, member_id=member_id, user_id=user_id)
    )
    await member_saved(
        world.work(), member_event(org.MemberRevokedV1, organization_id, member_id=member_id, user_id=None, status=-1)
    )
    assert world.read_models.members[member_id].user_id == user_id
    assert world.revised() == {user_id}


async def test_a_collection_access_change_bumps_who_was_and_who_is_on_it() -> None:
    world, organization_id, collection_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    leaving, staying, joining = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    world.read_models.collection_access[collection_id] = {leaving, staying}
    event = org.CollectionAccessChangedV1(
        organization_id=organization_id,
        collection_id=collection_id,
        access=[org.MemberAccess(user_id=staying), org.MemberAccess(user_id=joining, read_only=True)],
    )
    await projections.collection_access_changed(world.work(), event, envelope_of(event))
    assert world.read_models.collections[collection_id] == organization_id
    assert world.read_models.collection_access[collection_id] == {staying, joining}
    assert world.revised() == {leaving, staying, joining}


async def test_a_deleted_collection_bumps_whoever_saw_items_through_it() -> None:
    world, organization_id, collection_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    owner, member, revoked = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    world.store.audiences[organization_id] = OrganizationAudience(
        members={owner: Membership(OWNER, CONFIRMED), member: Membership(USER, CONFIRMED)},
        collection_users={collection_id: {member, revoked}},
    )
    world.read_models.collections[collection_id] = organization_id
    deleted = org.CollectionDeletedV1(organization_id=organization_id, collection_id=collection_id)
    await projections.collection_deleted(world.work(), deleted, envelope_of(deleted))
    assert collection_id not in world.read_models.collections
    assert world.revised() == {owner, member, revoked}  # the revoked user still sees its id on cached items


async def test_an_organization_bumps_everyone_only_when_it_is_enabled_or_disabled() -> None:
    world, organization_id, member = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    created = org.OrganizationCreatedV1(organization_id=organization_id, name="Contoso", plan_type=0)
    await projections.organization_created(world.work(), created, envelope_of(created))
    await member_saved(world.work(), member_event(org.MemberConfirmedV1, organization_id, user_id=member))
    world.store.revisions.clear()

    renamed = org.OrganizationUpdatedV1(organization_id=organization_id, name="Contoso Ltd", enabled=True)
    await projections.organization_updated(world.work(), renamed, envelope_of(renamed))
    assert world.revised() == set()
    disabled = org.OrganizationUpdatedV1(organization_id=organization_id, name="Contoso Ltd", enabled=False)
    await projections.organization_updated(world.work(), disabled, envelope_of(disabled))
    assert world.revised() == {member}


async def test_a_deleted_organization_takes_its_items_and_says_so_as_the_actor_who_deleted_it() -> None:
    world, organization_id, member = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    await member_saved(world.work(), member_event(org.MemberConfirmedV1, organization_id, user_id=member))
    items = [uuid.uuid4(), uuid.uuid4()]
    world.read_models.owned[organization_id] = items
    world.store.revisions.clear()
    deleted = org.OrganizationDeletedV1(organization_id=organization_id)
    actor = Actor(user_id=uuid.uuid4())

    await projections.organization_deleted(world.work(), deleted, envelope_of(deleted, actor))

    assert [(event.cipher_id, event.owner_id) for event in world.uow.events(CipherDeletedV1)] == [
        (item, organization_id) for item in items
    ]
    assert {who for _, who in world.uow.published} == {actor}
    assert world.revised() == {member}
    assert world.uow.commits == 0  # the inbox commits, with its row


async def test_a_deleted_account_takes_its_personal_items() -> None:
    world, user_id = FakeVaultWorld(), uuid.uuid4()
    await user_projections.user_registered(
        world.work(), idn.UserRegisteredV1(user_id=user_id, email="a@vault.test", name="A", public_key="pk")
    )
    await user_projections.user_profile_updated(
        world.work(), idn.UserProfileUpdatedV1(user_id=user_id, email="b@vault.test", name="B")
    )
    assert world.read_models.users[user_id] == {"public_key": "pk", "email": "b@vault.test", "name": "B"}
    world.read_models.owned[user_id] = [item := uuid.uuid4()]

    await projections.user_deleted(world.work(), idn.UserDeletedV1(user_id=user_id))

    [(event, actor)] = world.uow.published
    assert isinstance(event, CipherDeletedV1)
    assert (event.cipher_id, event.owner_id, event.user_id) == (item, user_id, user_id)
    assert actor == Actor(user_id=user_id)


async def test_provider_users_gain_and_lose_a_client_and_its_items() -> None:
    world, provider_id, organization_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    user_id = uuid.uuid4()
    confirmed = prv.ProviderUserConfirmedV1(
        provider_id=provider_id, provider_user_id=uuid.uuid4(), user_id=user_id, email="p@vault.test", type=1
    )
    await projections.provider_user_confirmed(world.work(), confirmed, envelope_of(confirmed))
    world.store.revisions.clear()

    added = prv.ClientOrgAddedV1(provider_id=provider_id, organization_id=organization_id, provider_name="Acme")
    added_at = envelope_of(added).model_copy(update={"occurred_at": NOW})
    await projections.client_org_linked(world.work(), added, added_at)
    assert world.read_models.links[organization_id][:2] == (provider_id, True)
    assert world.revised() == {user_id}

    world.store.revisions.clear()
    unchanged = prv.ClientSettingsChangedV1(
        provider_id=provider_id, organization_id=organization_id, provider_access_to_items=True
    )
    await projections.client_settings_changed(world.work(), unchanged)
    assert world.revised() == set()
    turned_off = prv.ClientSettingsChangedV1(
        provider_id=provider_id, organization_id=organization_id, provider_access_to_items=False
    )
    await projections.client_settings_changed(world.work(), turned_off)
    assert world.revised() == {user_id}

    removed = prv.ClientOrgRemovedV1(provider_id=provider_id, organization_id=organization_id)
    earlier = envelope_of(removed).model_copy(update={"occurred_at": NOW - timedelta(seconds=1)})
    await projections.client_org_removed(world.work(), removed, earlier)  # older news than the link: ignored
    assert world.read_models.links[organization_id][:2] == (provider_id, True)
    later = envelope_of(removed).model_copy(update={"occurred_at": NOW + timedelta(seconds=1)})
    await projections.client_org_removed(world.work(), removed, later)
    assert world.read_models.links[organization_id][:2] == (provider_id, False)


async def test_revoking_restoring_and_removing_a_provider_user_refresh_the_account_the_read_model_knows() -> None:
    world, provider_id, provider_user_id, user_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ids = {"provider_id": provider_id, "provider_user_id": provider_user_id, "email": "p@vault.test", "type": 1}
    accepted = prv.ProviderUserAcceptedV1(user_id=user_id, **ids)
    await projections.provider_user_known(world.work(), accepted, envelope_of(accepted))

    for kind, handler in [
        (prv.ProviderUserRevokedV1, projections.provider_user_revoked),
        (prv.ProviderUserRestoredV1, projections.provider_user_restored),
        (prv.ProviderUserRemovedV1, projections.provider_user_removed),
    ]:
        world.store.revisions.clear()
        event = kind(**ids)  # no user id on the event: the read model's is the one to refresh
        await handler(world.work(), event, envelope_of(event))  # type: ignore[operator]
        assert world.revised() == {user_id}, kind.__name__
    assert provider_user_id not in world.read_models.provider_users


async def test_the_item_log_names_the_provider_a_provider_user_acted_for() -> None:
    world, provider_id, client_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    technician = uuid.uuid4()
    world.provider_user_of(technician, provider_id, client_id)
    event = CipherUpdatedV1(owner_id=client_id, cipher_id=uuid.uuid4(), organization_id=client_id)

    await audit.record_cipher_event(world.work(), event, envelope_of(event, Actor(user_id=technician)))

    [entry] = world.audit.entries
    assert (entry.cipher_id, entry.acting_user_id, entry.provider_id) == (event.cipher_id, technician, provider_id)


async def test_older_member_and_access_events_replayed_after_newer_ones_change_nothing() -> None:
    """Issue 11 #5: a Confirmed (or an access list) that sat in the DLQ, replayed after the revocation, removal or a
    newer list, does not bring back what they ended."""
    world, organization_id, collection_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    member_id, user_id = uuid.uuid4(), uuid.uuid4()
    confirmed = member_event(org.MemberConfirmedV1, organization_id, member_id=member_id, user_id=user_id)
    old_confirmed = envelope_of(confirmed)
    revoked = member_event(org.MemberRevokedV1, organization_id, member_id=member_id, user_id=user_id, status=-1)
    removed = member_event(org.MemberRemovedV1, organization_id, member_id=member_id, user_id=user_id)
    granted = org.CollectionAccessChangedV1(
        organization_id=organization_id, collection_id=collection_id, access=[org.MemberAccess(user_id=user_id)]
    )
    old_grant = envelope_of(granted)
    emptied = org.CollectionAccessChangedV1(organization_id=organization_id, collection_id=collection_id, access=[])

    await projections.member_saved(world.work(), revoked, envelope_of(revoked))
    await projections.member_saved(world.work(), confirmed, old_confirmed)
    assert world.read_models.members[member_id].membership.status == -1
    await projections.member_removed(world.work(), removed, envelope_of(removed))
    await projections.member_saved(world.work(), confirmed, old_confirmed)
    assert world.read_models.members[member_id].user_id is None

    await projections.collection_access_changed(world.work(), emptied, envelope_of(emptied))
    await projections.collection_access_changed(world.work(), granted, old_grant)
    assert world.read_models.collection_access[collection_id] == set()


async def test_an_access_list_replayed_after_its_collection_was_deleted_changes_nothing() -> None:
    """Issue 11 #5: deleting a collection left no trace, so a replayed access list re-created it with its grants."""
    world, organization_id, collection_id, user_id = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    created = org.CollectionCreatedV1(organization_id=organization_id, collection_id=collection_id, name=enc_string())
    granted = org.CollectionAccessChangedV1(
        organization_id=organization_id, collection_id=collection_id, access=[org.MemberAccess(user_id=user_id)]
    )
    old_grant = envelope_of(granted)
    await projections.collection_saved(world.work(), created)
    await projections.collection_access_changed(world.work(), granted, old_grant)
    deleted = org.CollectionDeletedV1(organization_id=organization_id, collection_id=collection_id)
    await projections.collection_deleted(world.work(), deleted, envelope_of(deleted))

    await projections.collection_saved(world.work(), created)  # replayed
    await projections.collection_access_changed(world.work(), granted, old_grant)  # replayed
    assert collection_id not in world.read_models.collections
    assert collection_id not in world.read_models.collection_access
