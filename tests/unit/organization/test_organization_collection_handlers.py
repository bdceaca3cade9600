"""Collection and group commands against fakes: who may run them, what they store, publish and bump."""

from __future__ import annotations

import uuid

import pytest

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.collections import CollectionLimitReached
from mspvault.organization.domain.errors import (
    CollectionNotFound,
    GroupNotFound,
    InvalidEncString,
    NotPermitted,
    OrganizationNotFound,
    UnknownReference,
)
from mspvault.organization.domain.roles import MemberType
from mspvault.organization.service_layer import collections, groups
from mspvault.organization.service_layer.commands import (
    CreateCollection,
    CreateGroup,
    DeleteCollection,
    DeleteGroup,
    SetGroupMembers,
    UpdateCollection,
    UpdateGroup,
)
from mspvault.shared.contracts.organization import CollectionAccessChangedV1, MemberAccess
from tests.unit.organization.fakes import SYM, principal, world

READ = Grant(read_only=True)
MANAGE = Grant(manage=True)


async def test_an_owner_creates_a_collection_and_its_full_access_list_is_published() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    command = CreateCollection(w.org.id, SYM, "ext", users=((carol_member.id, READ),))
    collection_id = await collections.create_collection(w.work(), w.owner, command)

    assert w.uow.types() == ["CollectionCreated", "CollectionAccessChanged"]
    [access] = w.uow.events(CollectionAccessChangedV1)
    assert sorted(access.access, key=lambda a: a.user_id) == sorted(
        [
            MemberAccess(user_id=carol.user_id, read_only=True, hide_passwords=False, manage=False),
            MemberAccess(user_id=w.owner.user_id, read_only=False, hide_passwords=False, manage=True),
        ],
        key=lambda a: a.user_id,
    )
    assert w.store.collection_users == {(collection_id, carol_member.id): READ}
    assert w.store.bumped == {w.owner.user_id, carol.user_id}
    assert w.uow.commits == 1


async def test_a_custom_creator_who_does_not_see_all_collections_keeps_managing_theirs() -> None:
    w = world()
    dave, dave_member = w.join("dave", MemberType.CUSTOM, permissions={"createNewCollections": True})
    collection_id = await collections.create_collection(w.work(), dave, CreateCollection(w.org.id, SYM))
    assert w.store.collection_users == {(collection_id, dave_member.id): MANAGE}


async def test_creating_needs_the_right_a_known_org_references_in_it_and_room() -> None:
    w = world(max_collections=1)
    carol, _ = w.join("carol")
    with pytest.raises(NotPermitted):
        await collections.create_collection(w.work(), carol, CreateCollection(w.org.id, SYM))
    with pytest.raises(OrganizationNotFound):
        await collections.create_collection(w.work(), principal("eve"), CreateCollection(w.org.id, SYM))
    stranger = ((uuid.uuid4(), READ),)
    with pytest.raises(UnknownReference):
        await collections.create_collection(w.work(), w.owner, CreateCollection(w.org.id, SYM, users=stranger))
    with pytest.raises(InvalidEncString):
        await collections.create_collection(w.work(), w.owner, CreateCollection(w.org.id, "plain name"))
    w.collection()
    with pytest.raises(CollectionLimitReached):
        await collections.create_collection(w.work(), w.owner, CreateCollection(w.org.id, SYM))
    assert w.uow.published == []
    assert w.uow.commits == 0


async def test_only_managers_of_a_collection_change_it_and_strangers_to_it_get_404() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    bert, bert_member = w.join("bert")
    collection = w.collection(users=[(carol_member.id, MANAGE), (bert_member.id, READ)])
    other = w.collection()

    await collections.update_collection(
        w.work(), carol, UpdateCollection(w.org.id, collection.id, SYM, users=((carol_member.id, MANAGE),))
    )
    assert w.store.collection_users == {(collection.id, carol_member.id): MANAGE}
    assert w.uow.types() == ["CollectionUpdated", "CollectionAccessChanged"]

    w.store.collection_users[(collection.id, bert_member.id)] = READ
    with pytest.raises(NotPermitted):
        await collections.update_collection(w.work(), bert, UpdateCollection(w.org.id, collection.id, SYM))
    with pytest.raises(CollectionNotFound):
        await collections.delete_collection(w.work(), carol, DeleteCollection(w.org.id, other.id))
    with pytest.raises(CollectionNotFound):
        await collections.delete_collection(w.work(), w.owner, DeleteCollection(w.org.id, uuid.uuid4()))


async def test_a_manager_through_a_group_deletes_and_no_access_list_follows_the_deletion() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    collection = w.collection()
    w.group(member_ids=[carol_member.id], collections=[(collection.id, MANAGE)])
    await collections.delete_collection(w.work(), carol, DeleteCollection(w.org.id, collection.id))
    assert w.uow.types() == ["CollectionDeleted"]
    assert collection.id not in w.store.collections
    assert w.store.bumped == {w.owner.user_id, carol.user_id}


async def test_group_changes_republish_the_collections_they_touch() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    first, second = w.collection(), w.collection()
    command = CreateGroup(w.org.id, "Team", collections=((first.id, READ),), member_ids=(carol_member.id,))
    group_id = await groups.create_group(w.work(), w.owner, command)
    [access] = w.uow.events(CollectionAccessChangedV1)
    assert access.collection_id == first.id
    assert MemberAccess(user_id=carol.user_id, read_only=True, hide_passwords=False, manage=False) in access.access

    w.uow.published.clear()
    await groups.update_group(
        w.work(), w.owner, UpdateGroup(w.org.id, group_id, "Team 2", collections=((second.id, READ),))
    )
    assert sorted(e.collection_id for e in w.uow.events(CollectionAccessChangedV1)) == sorted([first.id, second.id])
    assert w.store.groups[group_id].name == "Team 2"
    assert w.store.group_members == {(group_id, carol_member.id)}  # members left as they were

    w.uow.published.clear()
    await groups.set_group_members(w.work(), w.owner, SetGroupMembers(w.org.id, group_id, ()))
    [access] = w.uow.events(CollectionAccessChangedV1)
    assert [a.user_id for a in access.access] == [w.owner.user_id]

    w.uow.published.clear()
    await groups.delete_group(w.work(), w.owner, DeleteGroup(w.org.id, group_id))
    assert w.uow.types() == ["CollectionAccessChanged"]
    assert group_id not in w.store.groups


async def test_a_group_without_collections_publishes_nothing_and_bumps_nobody() -> None:
    w = world()
    await groups.create_group(w.work(), w.owner, CreateGroup(w.org.id, "Empty"))
    assert w.uow.published == []
    assert w.store.bumped == set()
    assert w.uow.commits == 1


async def test_groups_are_for_group_managers_and_unknown_groups_are_404() -> None:
    w = world()
    carol, _ = w.join("carol")
    gina, _ = w.join("gina", MemberType.CUSTOM, permissions={"manageGroups": True})
    with pytest.raises(NotPermitted):
        await groups.create_group(w.work(), carol, CreateGroup(w.org.id, "Team"))
    await groups.create_group(w.work(), gina, CreateGroup(w.org.id, "Team"))
    with pytest.raises(GroupNotFound):
        await groups.delete_group(w.work(), carol, DeleteGroup(w.org.id, uuid.uuid4()))
    with pytest.raises(UnknownReference):
        await groups.create_group(w.work(), gina, CreateGroup(w.org.id, "Team", member_ids=(uuid.uuid4(),)))


async def test_provider_users_act_as_owners_and_events_name_their_provider() -> None:
    w = world()
    provider_id, bob = w.linked_to_provider()
    await collections.create_collection(w.work(), bob, CreateCollection(w.org.id, SYM))
    actors = {actor.provider_id for _, actor in w.uow.published if actor is not None}
    assert actors == {provider_id}
    assert bob.user_id in w.store.bumped
