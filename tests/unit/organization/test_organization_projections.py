"""Handlers of identity and provider events against fakes: read models, and the client organizations a provider
creates, links, resizes and detaches."""

from __future__ import annotations

import uuid

from mspvault.organization.domain.access import Grant, access_changed_events
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer import projections as p
from mspvault.shared import user_projections
from mspvault.shared.contracts import provider as pvc
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.contracts.identity import UserDeletedV1, UserKeysSetV1, UserProfileUpdatedV1, UserRegisteredV1
from mspvault.shared.contracts.organization import CollectionAccessChangedV1, MemberRemovedV1, OrganizationUpdatedV1
from tests.unit.organization.fakes import SYM, world


def delivered(event: EventData, actor: Actor | None = None) -> Envelope:
    return Envelope.wrap(event, producer="provider", correlation_id=None, actor=actor)


def client_created(provider_id: uuid.UUID, org_id: uuid.UUID, *, collection: bool = True) -> pvc.ClientOrgCreatedV1:
    return pvc.ClientOrgCreatedV1(
        provider_id=provider_id,
        organization_id=org_id,
        provider_name="Acme MSP",
        name="Contoso",
        billing_email="Billing@Contoso.test",
        owner_email="Owner@Contoso.test",
        plan_type=20,
        seats=5,
        public_key="AAAA",
        encrypted_private_key=SYM,
        collection_name=SYM if collection else None,
    )


async def test_users_are_kept_with_normalized_emails_and_their_keys() -> None:
    w = world()
    uid = uuid.uuid4()
    await user_projections.user_registered(
        w.work(), UserRegisteredV1(user_id=uid, email="A@X.test", name="a", public_key=None)
    )
    await user_projections.user_keys_set(w.work(), UserKeysSetV1(user_id=uid, public_key="KEY"))
    await user_projections.user_profile_updated(w.work(), UserProfileUpdatedV1(user_id=uid, email="B@X.test", name="b"))
    assert w.read_models.users[uid] == {"email": "b@x.test", "name": "b", "public_key": "KEY"}


async def test_provider_users_are_upserted_in_any_order_and_their_accounts_bumped() -> None:
    w = world()
    provider_id, row, uid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    revoked = pvc.ProviderUserRevokedV1(provider_id=provider_id, provider_user_id=row, user_id=uid, email="b@x", type=1)
    revoked_at = delivered(revoked)
    await p.provider_user_saved(w.work(), revoked, revoked_at)
    assert w.read_models.provider_users[row] == {
        "status": int(MemberStatus.CONFIRMED),
        "revoked": True,
        "user_id": uid,
        "provider_id": provider_id,
        "type": 1,
        "source_at": revoked_at.occurred_at,
    }
    restored = pvc.ProviderUserRestoredV1(
        provider_id=provider_id, provider_user_id=row, user_id=uid, email="b@x", type=1
    )
    await p.provider_user_saved(w.work(), restored, delivered(restored))
    assert w.read_models.provider_users[row]["revoked"] is False
    removed = pvc.ProviderUserRemovedV1(
        provider_id=provider_id, provider_user_id=row, user_id=None, email="b@x", type=1
    )
    await p.provider_user_removed(w.work(), removed, delivered(removed))
    assert w.read_models.provider_users[row]["revoked"] is True
    assert w.store.bumped == {uid}


async def test_an_older_provider_user_event_replayed_after_a_revocation_or_removal_changes_nothing() -> None:
    """Issue 11 #5: a DLQ replay (or a late redelivery) of an old Restored/Confirmed must not restore access."""
    w = world()
    provider_id, row, uid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    facts = {"provider_id": provider_id, "provider_user_id": row, "user_id": uid, "email": "b@x", "type": 1}
    confirmed = delivered(pvc.ProviderUserConfirmedV1(**facts))
    restored = delivered(pvc.ProviderUserRestoredV1(**facts))
    revoked = delivered(pvc.ProviderUserRevokedV1(**facts))
    removed = delivered(pvc.ProviderUserRemovedV1(**facts))
    assert confirmed.occurred_at < restored.occurred_at < revoked.occurred_at < removed.occurred_at

    await p.provider_user_saved(w.work(), pvc.ProviderUserConfirmedV1(**facts), confirmed)
    await p.provider_user_saved(w.work(), pvc.ProviderUserRevokedV1(**facts), revoked)
    await p.provider_user_saved(w.work(), pvc.ProviderUserRestoredV1(**facts), restored)  # older: ignored
    assert w.read_models.provider_users[row]["revoked"] is True

    await p.provider_user_removed(w.work(), pvc.ProviderUserRemovedV1(**facts), removed)
    await p.provider_user_saved(w.work(), pvc.ProviderUserConfirmedV1(**facts), confirmed)
    await p.provider_user_saved(w.work(), pvc.ProviderUserRestoredV1(**facts), restored)
    assert w.read_models.provider_users[row]["revoked"] is True
    assert w.read_models.provider_users[row]["status"] == int(MemberStatus.REVOKED)


async def test_a_created_client_is_linked_and_its_owner_invited_by_mail() -> None:
    w = world()
    provider_id, org_id = uuid.uuid4(), uuid.uuid4()
    bob = uuid.uuid4()
    w.store.provider_users.add((provider_id, bob))
    actor = Actor(user_id=bob, provider_id=provider_id)
    event = client_created(provider_id, org_id)
    await p.client_org_created(w.work(), event, delivered(event, actor))

    org = w.store.orgs[org_id]
    assert (org.provider_id, org.seats, org.billing_email) == (provider_id, 5, "billing@contoso.test")
    [owner] = [m for m in w.store.members.values() if m.organization_id == org_id]
    assert (owner.email, owner.type, owner.status) == ("owner@contoso.test", MemberType.OWNER, MemberStatus.INVITED)
    [mail] = w.store.mails
    assert mail["to"] == "owner@contoso.test"
    assert mail["body"].startswith("You have been invited to join the organization Contoso")
    assert w.uow.types() == ["OrganizationCreated", "MemberInvited", "CollectionCreated", "CollectionAccessChanged"]
    assert {a for _, a in w.uow.published} == {actor}
    assert w.store.providers == {provider_id: "Acme MSP"}
    assert w.store.bumped == {bob}
    # The access list is worked out without reading the new organization back: the same as from what was stored.
    [collection_id] = [c.id for c in w.store.collections.values() if c.organization_id == org_id]
    stored = await w.store.access_graph(org_id, [collection_id])
    assert w.uow.events(CollectionAccessChangedV1) == access_changed_events(org_id, stored, [collection_id])

    # The same event again changes nothing (the inbox normally stops it first).
    await p.client_org_created(w.work(), event, delivered(event, actor))
    assert len(w.uow.published) == 4


async def test_linking_detaching_and_resizing_publish_the_org_and_bump_who_saw_it() -> None:
    w = world()
    provider_id, bob = w.linked_to_provider()
    w.store.orgs[w.org.id].provider_id = None
    w.org.provider_id = None
    added = pvc.ClientOrgAddedV1(provider_id=provider_id, organization_id=w.org.id, provider_name="Acme MSP")
    await p.client_org_added(w.work(), added, delivered(added))
    assert w.store.orgs[w.org.id].provider_id == provider_id
    assert w.store.bumped == {w.owner.user_id, bob.user_id}

    seats = pvc.ClientSeatsChangedV1(provider_id=provider_id, organization_id=w.org.id, seats=9, name="Renamed")
    await p.client_seats_changed(w.work(), seats, delivered(seats))
    assert (w.store.orgs[w.org.id].seats, w.store.orgs[w.org.id].name) == (9, "Renamed")

    w.store.bumped.clear()
    removed = pvc.ClientOrgRemovedV1(provider_id=provider_id, organization_id=w.org.id)
    await p.client_org_removed(w.work(), removed, delivered(removed))
    assert w.store.orgs[w.org.id].provider_id is None
    assert w.store.bumped == {w.owner.user_id, bob.user_id}
    updates = w.uow.events(OrganizationUpdatedV1)
    assert [(u.provider_id, u.name) for u in updates] == [
        (provider_id, "Fabrikam"),
        (provider_id, "Renamed"),
        (None, "Renamed"),
    ]

    # Detaching from a provider it is not linked to is ignored.
    await p.client_org_removed(w.work(), removed, delivered(removed))
    assert len(w.uow.events(OrganizationUpdatedV1)) == 3


async def test_a_deleted_account_leaves_every_organization_it_was_in() -> None:
    w = world()
    who, member = w.join("dora")
    collection = w.collection(users=[(member.id, Grant())])
    await p.user_deleted(w.work(), UserDeletedV1(user_id=who.user_id))
    assert member.id not in w.store.members
    removed = w.uow.events(MemberRemovedV1)
    assert [(e.member_id, e.user_id) for e in removed] == [(member.id, who.user_id)]
    (access,) = w.uow.events(CollectionAccessChangedV1)
    assert access.collection_id == collection.id
    assert who.user_id not in {a.user_id for a in access.access}
    assert w.uow.commits == 0
