"""Imports against in-memory fakes: what is created, the one event, the limits, the bad entry named, who may import."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.vault import CiphersImportedV1
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.access import CallerFacts, CollectionGrant, Membership, membership_of
from mspvault.vault.domain.errors import OrganizationNotFound
from mspvault.vault.domain.imports import (
    ORGANIZATION_LIMITS,
    PERSONAL_LIMITS,
    ImportTooLarge,
    InvalidImportEntry,
    InvalidRelationship,
    NothingToImport,
)
from mspvault.vault.entrypoints.http.requests import ImportCiphersRequest, ImportOrganizationCiphersRequest
from mspvault.vault.service_layer import imports
from mspvault.vault.service_layer.commands import ImportCiphers, ImportOrganizationCiphers
from tests.unit.vault.fakes import ADMIN, CONFIRMED, CUSTOM, OWNER, USER, FakeVaultWorld


def _principal(user_id: uuid.UUID) -> Principal:
    return Principal(user_id=user_id, email="someone@example.com")


def _item(kind: int = 1, **changes: Any) -> dict[str, Any]:
    """An item as the clients send it in an import, one of the five types."""
    type_data: dict[int, tuple[str, dict[str, Any]]] = {
        1: ("login", {"username": enc_string(), "password": enc_string(), "uris": [{"uri": enc_string()}]}),
        2: ("secureNote", {"type": 0}),
        3: ("card", {"number": enc_string(), "code": enc_string()}),
        4: ("identity", {"firstName": enc_string()}),
        5: ("sshKey", {"privateKey": enc_string(), "publicKey": enc_string(), "keyFingerprint": enc_string()}),
    }
    name, data = type_data[kind]
    return {"type": kind, "name": enc_string(), "notes": None, name: data, **changes}


def _personal(body: dict[str, Any]) -> ImportCiphers:
    return ImportCiphersRequest.model_validate(body).command()


def _org(body: dict[str, Any], organization_id: uuid.UUID, **options: bool) -> ImportOrganizationCiphers:
    return ImportOrganizationCiphersRequest.model_validate(body).command(organization_id, **options)


async def test_a_personal_import_creates_every_type_and_folder_with_one_event() -> None:
    world, user = FakeVaultWorld(), uuid.uuid4()
    body = {
        "ciphers": [_item(kind, favorite=kind == 3) for kind in (1, 2, 3, 4, 5)],
        "folders": [{"name": enc_string()}, {"name": enc_string()}],
        "folderRelationships": [{"key": 0, "value": 1}, {"key": 4, "value": 0}],
    }
    assert await imports.import_personal(world.work(), _principal(user), _personal(body)) == 5

    stored = list(world.store.stored.values())
    assert sorted(c.type for c in stored) == [1, 2, 3, 4, 5]
    assert all(c.user_id == user and c.organization_id is None for c in stored)
    assert len(world.store.folders) == 2
    filed = {c.type: world.store.user_prefs.get((user, c.id)) for c in stored}
    assert filed[1] is not None
    assert filed[5] is not None
    assert filed[1].folder_id != filed[5].folder_id
    assert filed[3] is not None
    assert filed[3].favorite
    assert filed[3].folder_id is None
    [event] = world.uow.events()
    assert isinstance(event, CiphersImportedV1)
    assert (event.owner_id, event.cipher_count, event.folder_count) == (user, 5, 2)
    assert world.uow.commits == 1
    assert world.revised() == {user}


async def test_a_folder_id_of_the_importers_own_is_reused() -> None:
    world, user = FakeVaultWorld(), uuid.uuid4()
    await imports.import_personal(world.work(), _principal(user), _personal({"folders": [{"name": enc_string()}]}))
    [existing] = world.store.folders
    body = {"ciphers": [_item()], "folders": [{"id": str(existing), "name": enc_string()}]}
    body["folderRelationships"] = [{"key": 0, "value": 0}]
    await imports.import_personal(world.work(), _principal(user), _personal(body))
    assert list(world.store.folders) == [existing]


async def test_the_first_bad_entry_is_named_and_nothing_is_written() -> None:
    world, user = FakeVaultWorld(), uuid.uuid4()
    body = {"ciphers": [_item(), _item(), _item(name="plain text"), _item(type=9)]}
    with pytest.raises(InvalidImportEntry) as refused:
        await imports.import_personal(world.work(), _principal(user), _personal(body))
    assert refused.value.field == "Ciphers[2].name"
    assert refused.value.message.startswith("Ciphers[2].name: ")
    assert not world.store.stored
    assert world.uow.commits == 0

    with pytest.raises(InvalidImportEntry) as malformed:
        _personal({"ciphers": [_item(), {"name": enc_string()}]})
    assert malformed.value.field == "Ciphers[1].type"


async def test_relationships_must_point_inside_the_request() -> None:
    world, user = FakeVaultWorld(), uuid.uuid4()
    body = {"ciphers": [_item()], "folders": [{"name": enc_string()}], "folderRelationships": [{"key": 0, "value": 3}]}
    with pytest.raises(InvalidRelationship, match=r"FolderRelationships\[0\]"):
        await imports.import_personal(world.work(), _principal(user), _personal(body))


async def test_sizes_are_bounded_as_bitwardens() -> None:
    world, user = FakeVaultWorld(), uuid.uuid4()
    one = _item()
    too_many = {"ciphers": [one] * (PERSONAL_LIMITS.ciphers + 1)}
    with pytest.raises(ImportTooLarge, match="7,000 items"):
        await imports.import_personal(world.work(), _principal(user), _personal(too_many))
    with pytest.raises(NothingToImport):
        await imports.import_personal(world.work(), _principal(user), _personal({}))
    organization_id = world.organization()
    world.member_of(user, organization_id, OWNER)
    collections = {"collections": [{"name": enc_string()}] * (ORGANIZATION_LIMITS.containers + 1), "ciphers": [one]}
    with pytest.raises(ImportTooLarge, match="2,000 collections"):
        await imports.import_into_organization(
            world.work(), _principal(user), _org(collections, organization_id, check_only=True)
        )


async def test_an_owner_imports_into_existing_and_confirmed_collections() -> None:
    world, owner, member = FakeVaultWorld(), uuid.uuid4(), uuid.uuid4()
    existing, created = uuid.uuid4(), uuid.uuid4()
    organization_id = world.organization(existing)
    world.member_of(owner, organization_id, OWNER)
    body = {
        "ciphers": [_item(kind) for kind in (1, 2, 3, 4, 5)],
        "collections": [{"id": str(existing)}, {"id": str(created)}],
        "collectionRelationships": [{"key": 0, "value": 0}, {"key": 1, "value": 1}, {"key": 1, "value": 0}],
    }
    command = _org(body, organization_id, confirmed=True)
    assert await imports.import_into_organization(world.work(), _principal(owner), command) == 5

    stored = sorted(world.store.stored.values(), key=lambda c: c.type)
    assert all(c.organization_id == organization_id and c.user_id is None for c in stored)
    assert stored[0].collection_ids == [existing]
    assert set(stored[1].collection_ids) == {existing, created}
    assert stored[2].collection_ids == []  # an owner may leave items unassigned
    assert created in world.store.collections[organization_id]  # known ahead of the organization's event
    [event] = world.uow.events(CiphersImportedV1)
    assert event.owner_id == organization_id
    assert event.user_id == owner
    assert event.cipher_count == 5
    assert set(event.collection_ids) == {existing, created}
    assert member not in world.revised()
    assert owner in world.revised()


async def test_checking_writes_nothing_and_takes_new_collections_as_placeholders() -> None:
    world, owner = FakeVaultWorld(), uuid.uuid4()
    organization_id = world.organization()
    world.member_of(owner, organization_id, ADMIN)
    body = {
        "ciphers": [_item()],
        "collections": [{"name": enc_string()}],
        "collectionRelationships": [{"key": 0, "value": 0}],
    }
    command = _org(body, organization_id, check_only=True)
    assert await imports.import_into_organization(world.work(), _principal(owner), command) == 1
    assert not world.store.stored
    assert world.uow.commits == 0
    assert not world.uow.events()


async def test_unknown_collections_are_refused_when_not_confirmed() -> None:
    world, owner = FakeVaultWorld(), uuid.uuid4()
    organization_id = world.organization()
    world.member_of(owner, organization_id, OWNER)
    body = {"ciphers": [_item()], "collections": [{"id": str(uuid.uuid4())}]}
    command = _org(body, organization_id)
    with pytest.raises(InvalidImportEntry, match=r"Collections\[0\]"):
        await imports.import_into_organization(world.work(), _principal(owner), command)


async def test_who_may_import_into_an_organization() -> None:
    world = FakeVaultWorld()
    writable, read_only = uuid.uuid4(), uuid.uuid4()
    organization_id = world.organization(writable, read_only)
    body = {"ciphers": [_item()], "collections": [{"id": str(writable)}], "collectionRelationships": []}
    assigned = {**body, "collectionRelationships": [{"key": 0, "value": 0}]}

    async def attempt(user: uuid.UUID, what: dict[str, Any]) -> int:
        return await imports.import_into_organization(world.work(), _principal(user), _org(what, organization_id))

    stranger = uuid.uuid4()
    with pytest.raises(OrganizationNotFound):
        await attempt(stranger, assigned)

    member = uuid.uuid4()
    world.member_of(member, organization_id, USER, {writable: CollectionGrant(), read_only: CollectionGrant(True)})
    assert await attempt(member, assigned) == 1  # into a collection they can write, every item assigned
    with pytest.raises(OrganizationNotFound):
        await attempt(member, body)  # an unassigned item needs the import permission
    with pytest.raises(OrganizationNotFound):
        await attempt(member, {**assigned, "collections": [{"id": str(read_only)}]})

    custom = uuid.uuid4()
    facts = world.member_of(custom, organization_id, CUSTOM)
    permitted = membership_of(CUSTOM, CONFIRMED, {"accessImportExport": True})
    world.store.facts[custom] = replace(facts, memberships={organization_id: permitted})
    assert await attempt(custom, body) == 1

    revoked = uuid.uuid4()
    world.store.facts[revoked] = CallerFacts(revoked, memberships={organization_id: Membership(OWNER, -1)})
    with pytest.raises(OrganizationNotFound):
        await attempt(revoked, assigned)

    provider_user, provider_id = uuid.uuid4(), uuid.uuid4()
    world.provider_user_of(provider_user, provider_id, organization_id)
    assert await attempt(provider_user, body) == 1
