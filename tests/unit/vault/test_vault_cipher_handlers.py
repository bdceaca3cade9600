"""Cipher and folder commands against in-memory fakes: what each refuses, changes, publishes, bumps and commits."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.vault import (
    CipherCreatedV1,
    CipherDeletedV1,
    CipherRestoredV1,
    CipherSharedV1,
    CipherSoftDeletedV1,
    CipherUpdatedV1,
    FolderCreatedV1,
    FolderDeletedV1,
    FolderUpdatedV1,
)
from mspvault.shared.dates import bitwarden_date
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.access import CollectionGrant, Membership, OrganizationAudience
from mspvault.vault.domain.errors import (
    CannotAddToOrganization,
    CipherNotFound,
    CipherNotWritable,
    CollectionNotWritable,
    FolderNotFound,
    InvalidCollection,
    InvalidFolder,
    NoCiphersSelected,
    NotEncryptedForCaller,
    OrganizationMismatch,
    OrganizationNotFound,
    StaleCipher,
)
from mspvault.vault.service_layer import ciphers, folders
from mspvault.vault.service_layer.commands import (
    ChangeCipherCollections,
    CreateCipher,
    CreateFolder,
    CreateOrganizationCipher,
    DeleteCiphers,
    DeleteFolder,
    MoveCiphers,
    RenameFolder,
    RestoreCiphers,
    SetCipherPrefs,
    ShareCipher,
    TrashCiphers,
    UpdateCipher,
)
from tests.unit.vault.fakes import ADMIN, CONFIRMED, NOW, USER, FakeVaultWorld, login

WRITE = CollectionGrant()
READ_ONLY = CollectionGrant(read_only=True)


def principal(user_id: uuid.UUID | None = None) -> Principal:
    user_id = user_id or uuid.uuid4()
    return Principal(user_id=user_id, email=f"{user_id.hex[:8]}@vault.test")


async def personal_item(world: FakeVaultWorld, owner: Principal) -> uuid.UUID:
    view = await ciphers.create_personal(world.work(), owner, CreateCipher(login()))
    world.uow.published.clear()
    world.store.revisions.clear()
    return view.cipher.id


async def org_item(world: FakeVaultWorld, creator: Principal, org: uuid.UUID, *collections: uuid.UUID) -> uuid.UUID:
    command = CreateOrganizationCipher(login(organization_id=org), collections)
    view = await ciphers.create_in_organization(world.work(), creator, command)
    world.uow.published.clear()
    world.store.revisions.clear()
    return view.cipher.id


# --- create ----------------------------------------------------------------------------------------------------------


async def test_a_personal_item_is_created_published_and_bumped_for_its_owner() -> None:
    world, alice = FakeVaultWorld(), principal()
    folder = await folders.create_folder(world.work(), alice, CreateFolder(enc_string()))
    world.uow.published.clear()

    view = await ciphers.create_personal(world.work(), alice, CreateCipher(login(folder_id=folder.id, favorite=True)))

    assert (view.cipher.user_id, view.cipher.organization_id) == (alice.user_id, None)
    assert view.access.can_write
    assert view.prefs.favorite
    assert view.prefs.folder_id == folder.id
    [(event, actor)] = world.uow.published
    assert isinstance(event, CipherCreatedV1)
    assert (event.owner_id, event.cipher_id, event.revision_date) == (alice.user_id, view.cipher.id, NOW)
    assert actor.user_id == alice.user_id
    assert world.store.revisions == {alice.user_id: NOW}
    assert world.uow.commits == 2  # the folder, then the item


async def test_creating_checks_the_copy_is_for_the_caller_and_the_folder_is_theirs() -> None:
    world, alice, bob = FakeVaultWorld(), principal(), principal()
    with pytest.raises(NotEncryptedForCaller):
        await ciphers.create_personal(world.work(), alice, CreateCipher(login(encrypted_for=bob.user_id)))
    bobs_folder = await folders.create_folder(world.work(), bob, CreateFolder(enc_string()))
    with pytest.raises(InvalidFolder):
        await ciphers.create_personal(world.work(), alice, CreateCipher(login(folder_id=bobs_folder.id)))
    assert world.store.stored == {}
    assert world.uow.events(CipherCreatedV1) == []


async def test_an_organization_item_goes_into_collections_the_caller_may_write() -> None:
    world, bob = FakeVaultWorld(), principal()
    writable, read_only = uuid.uuid4(), uuid.uuid4()
    org = world.organization(writable, read_only)
    world.member_of(bob.user_id, org, grants={writable: WRITE, read_only: READ_ONLY})
    carol = uuid.uuid4()
    world.store.audiences[org] = OrganizationAudience(
        members={carol: Membership(USER, CONFIRMED)}, collection_users={writable: {carol}}
    )

    with pytest.raises(CollectionNotWritable):
        await ciphers.create_in_organization(
            world.work(), bob, CreateOrganizationCipher(login(organization_id=org), (read_only,))
        )
    with pytest.raises(InvalidCollection):
        await ciphers.create_in_organization(
            world.work(), bob, CreateOrganizationCipher(login(organization_id=org), (uuid.uuid4(),))
        )
    with pytest.raises(CannotAddToOrganization):  # no collection: only for those who see the whole organization
        await ciphers.create_in_organization(
            world.work(), bob, CreateOrganizationCipher(login(organization_id=org), ())
        )
    with pytest.raises(OrganizationNotFound):
        await ciphers.create_in_organization(
            world.work(), principal(), CreateOrganizationCipher(login(organization_id=org), (writable,))
        )

    view = await ciphers.create_in_organization(
        world.work(), bob, CreateOrganizationCipher(login(organization_id=org), (writable, writable))
    )
    assert (view.cipher.organization_id, view.cipher.user_id, view.cipher.collection_ids) == (org, None, [writable])
    [event] = world.uow.events(CipherCreatedV1)
    assert (event.owner_id, event.collection_ids) == (org, [writable])
    assert world.revised() == {bob.user_id, carol}  # the collection's users, and the creator


async def test_a_personal_create_naming_an_organization_is_an_organization_create() -> None:
    world, admin = FakeVaultWorld(), principal()
    org = world.organization()
    world.member_of(admin.user_id, org, kind=ADMIN)
    view = await ciphers.create_personal(world.work(), admin, CreateCipher(login(organization_id=org)))
    assert view.cipher.organization_id == org
    assert view.cipher.user_id is None


# --- update and share ------------------------------------------------------------------------------------------------


async def test_an_update_on_a_stale_copy_is_refused() -> None:
    world, alice = FakeVaultWorld(), principal()
    cipher_id = await personal_item(world, alice)
    world.clock.advance(timedelta(minutes=5))
    stale = login(last_known_revision_date=bitwarden_date(NOW - timedelta(seconds=2)))
    with pytest.raises(StaleCipher):
        await ciphers.update(world.work(), alice, UpdateCipher(cipher_id, stale))

    fresh = login(last_known_revision_date=bitwarden_date(NOW))
    view = await ciphers.update(world.work(), alice, UpdateCipher(cipher_id, fresh))
    assert view.cipher.updated_at == world.clock.now
    [event] = world.uow.events(CipherUpdatedV1)
    assert event.revision_date == world.clock.now


async def test_only_writers_update_and_others_do_not_learn_the_item_exists() -> None:
    world, admin, reader = FakeVaultWorld(), principal(), principal()
    collection = uuid.uuid4()
    org = world.organization(collection)
    world.member_of(admin.user_id, org, kind=ADMIN)
    world.member_of(reader.user_id, org, grants={collection: READ_ONLY})
    cipher_id = await org_item(world, admin, org, collection)

    with pytest.raises(CipherNotWritable):
        await ciphers.update(world.work(), reader, UpdateCipher(cipher_id, login(organization_id=org)))
    with pytest.raises(CipherNotFound):
        await ciphers.update(world.work(), principal(), UpdateCipher(cipher_id, login(organization_id=org)))
    with pytest.raises(OrganizationMismatch):  # an organization item never leaves its organization here
        await ciphers.update(world.work(), admin, UpdateCipher(cipher_id, login()))
    assert world.uow.published == []
    assert world.store.revisions == {}


async def test_an_update_naming_an_organization_moves_a_personal_item_in_for_whole_org_users_only() -> None:
    world, admin, member = FakeVaultWorld(), principal(), principal()
    org = world.organization()
    world.member_of(admin.user_id, org, kind=ADMIN)
    world.member_of(member.user_id, org)
    mine = await personal_item(world, member)
    with pytest.raises(CannotAddToOrganization):
        await ciphers.update(world.work(), member, UpdateCipher(mine, login(organization_id=org)))

    theirs = await personal_item(world, admin)
    view = await ciphers.update(world.work(), admin, UpdateCipher(theirs, login(organization_id=org)))
    assert (view.cipher.organization_id, view.cipher.user_id) == (org, None)
    [event] = world.uow.events(CipherSharedV1)
    assert event.owner_id == org


async def test_sharing_moves_a_personal_item_into_the_organization_and_bumps_both_audiences() -> None:
    world, bob = FakeVaultWorld(), principal()
    collection = uuid.uuid4()
    org = world.organization(collection)
    world.member_of(bob.user_id, org, grants={collection: WRITE})
    carol = uuid.uuid4()
    world.store.audiences[org] = OrganizationAudience(
        members={carol: Membership(USER, CONFIRMED)}, collection_users={collection: {carol}}
    )
    cipher_id = await personal_item(world, bob)

    view = await ciphers.share(world.work(), bob, ShareCipher(cipher_id, login(organization_id=org), (collection,)))

    assert (view.cipher.organization_id, view.cipher.user_id, view.cipher.collection_ids) == (org, None, [collection])
    [(event, actor)] = world.uow.published
    assert isinstance(event, CipherSharedV1)
    assert event.collection_ids == [collection]
    assert actor.user_id == bob.user_id
    assert world.revised() == {bob.user_id, carol}


async def test_a_command_reads_the_callers_facts_in_the_organizations_it_touches_only() -> None:
    """A provider user's write costs what the item's organization costs, not what all their clients do."""
    world, admin = FakeVaultWorld(), principal()
    org, elsewhere = world.organization(), world.organization()
    world.member_of(admin.user_id, org, kind=ADMIN)
    world.member_of(admin.user_id, elsewhere, kind=ADMIN)
    mine = await personal_item(world, admin)
    item = await org_item(world, admin, org)
    world.store.facts_asked.clear()

    await ciphers.create_personal(world.work(), admin, CreateCipher(login()))
    await ciphers.update(world.work(), admin, UpdateCipher(item, login(organization_id=org)))
    await ciphers.update(world.work(), admin, UpdateCipher(mine, login(organization_id=elsewhere)))
    await ciphers.trash(world.work(), admin, TrashCiphers((item,)))

    assert world.store.facts_asked == [set(), {org}, {elsewhere}, {org}]


# --- collections -----------------------------------------------------------------------------------------------------


async def test_changing_collections_keeps_those_the_caller_cannot_see() -> None:
    world, admin, bob = FakeVaultWorld(), principal(), principal()
    hidden, shared, added = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    org = world.organization(hidden, shared, added)
    world.member_of(admin.user_id, org, kind=ADMIN)
    world.member_of(bob.user_id, org, grants={shared: WRITE, added: WRITE})
    cipher_id = await org_item(world, admin, org, hidden, shared)

    command = ChangeCipherCollections(cipher_id, (added,))
    view = await ciphers.change_collections(world.work(), bob, command)

    assert view is not None
    assert set(view.cipher.collection_ids) == {hidden, added}
    assert view.access.collection_ids == (added,)
    [event] = world.uow.events(CipherUpdatedV1)
    assert event.collection_ids == sorted([hidden, added])


async def test_changing_collections_returns_nothing_when_the_caller_no_longer_sees_the_item() -> None:
    world, admin, bob = FakeVaultWorld(), principal(), principal()
    shared, other = uuid.uuid4(), uuid.uuid4()
    org = world.organization(shared, other)
    world.member_of(admin.user_id, org, kind=ADMIN)
    world.member_of(bob.user_id, org, grants={shared: WRITE})
    cipher_id = await org_item(world, admin, org, shared, other)

    assert await ciphers.change_collections(world.work(), bob, ChangeCipherCollections(cipher_id, ())) is None
    assert world.store.stored[cipher_id].collection_ids == [other]
    assert len(world.uow.events(CipherUpdatedV1)) == 1  # committed all the same


# --- trash, restore, delete, move ------------------------------------------------------------------------------------


async def test_trash_restore_and_delete_publish_one_event_per_item() -> None:
    world, alice = FakeVaultWorld(), principal()
    first, second = await personal_item(world, alice), await personal_item(world, alice)

    await ciphers.trash(world.work(), alice, TrashCiphers((first, second, first)))
    assert {world.store.stored[cid].deleted_at for cid in (first, second)} == {NOW}
    assert [e.cipher_id for e in world.uow.events(CipherSoftDeletedV1)] == [first, second]

    world.clock.advance(timedelta(seconds=3))
    restored = await ciphers.restore(world.work(), alice, RestoreCiphers((second, first)))
    assert [view.cipher.id for view in restored] == [second, first]
    assert all(view.cipher.deleted_at is None for view in restored)
    assert len(world.uow.events(CipherRestoredV1)) == 2

    await ciphers.delete_permanently(world.work(), alice, DeleteCiphers((first,)))
    assert first not in world.store.stored
    assert second in world.store.stored
    [deleted] = world.uow.events(CipherDeletedV1)
    assert (deleted.cipher_id, deleted.owner_id) == (first, alice.user_id)
    assert world.store.revisions[alice.user_id] == world.clock.now


async def test_bulk_changes_are_all_or_nothing_and_name_no_item_the_caller_cannot_see() -> None:
    world, alice, admin, reader = FakeVaultWorld(), principal(), principal(), principal()
    collection = uuid.uuid4()
    org = world.organization(collection)
    world.member_of(admin.user_id, org, kind=ADMIN)
    world.member_of(reader.user_id, org, grants={collection: READ_ONLY})
    read_only = await org_item(world, admin, org, collection)
    alices = await personal_item(world, alice)
    mine = await personal_item(world, reader)
    commits = world.uow.commits

    with pytest.raises(CipherNotFound):  # an unseen item wins over a read-only one: nothing is revealed
        await ciphers.trash(world.work(), reader, TrashCiphers((read_only, alices)))
    with pytest.raises(CipherNotWritable):
        await ciphers.trash(world.work(), reader, TrashCiphers((mine, read_only)))
    with pytest.raises(NoCiphersSelected):
        await ciphers.delete_permanently(world.work(), reader, DeleteCiphers(()))
    assert all(cipher.deleted_at is None for cipher in world.store.stored.values())
    assert world.uow.published == []
    assert world.uow.commits == commits


async def test_moving_items_into_a_folder_is_the_callers_own_change() -> None:
    world, alice, bob = FakeVaultWorld(), principal(), principal()
    cipher_id = await personal_item(world, alice)
    folder = await folders.create_folder(world.work(), alice, CreateFolder(enc_string()))
    world.uow.published.clear()

    with pytest.raises(CipherNotFound):
        await ciphers.move_to_folder(world.work(), bob, MoveCiphers((cipher_id,), None))
    await ciphers.move_to_folder(world.work(), alice, MoveCiphers((cipher_id,), folder.id))
    assert world.store.user_prefs[(alice.user_id, cipher_id)].folder_id == folder.id
    assert world.uow.published == []  # per-user: no event

    view = await ciphers.update_prefs(world.work(), alice, SetCipherPrefs(cipher_id, None, True))
    assert (view.prefs.folder_id, view.prefs.favorite) == (None, True)


# --- folders ---------------------------------------------------------------------------------------------------------


async def test_folders_are_created_renamed_and_deleted_by_their_owner_only() -> None:
    world, alice, bob = FakeVaultWorld(), principal(), principal()
    folder = await folders.create_folder(world.work(), alice, CreateFolder(enc_string()))
    with pytest.raises(FolderNotFound):
        await folders.rename_folder(world.work(), bob, RenameFolder(folder.id, enc_string()))

    world.clock.advance(timedelta(minutes=1))
    name = enc_string()
    renamed = await folders.rename_folder(world.work(), alice, RenameFolder(folder.id, name))
    assert (renamed.name, renamed.updated_at) == (name, world.clock.now)
    await folders.delete_folder(world.work(), alice, DeleteFolder(folder.id))

    assert [type(e) for e in world.uow.events()] == [FolderCreatedV1, FolderUpdatedV1, FolderDeletedV1]
    assert {actor.user_id for _, actor in world.uow.published} == {alice.user_id}
    assert world.store.folders == {}
    assert world.store.revisions == {alice.user_id: world.clock.now}
