"""Collection commands: create, update (name and the full access lists), delete."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from mspvault.organization.domain.collections import (
    Collection,
    GrantTo,
    check_may_change,
    has_any_collection_right,
)
from mspvault.organization.domain.errors import CollectionNotFound, require
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import Standing
from mspvault.organization.service_layer.commands import CreateCollection, DeleteCollection, UpdateCollection
from mspvault.organization.service_layer.common import (
    actor_of,
    bump_org,
    publish_access,
    publish_all,
    require_in_org,
    standing_in,
)
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal


async def _check_refs(
    work: OrganizationWork, org_id: uuid.UUID, users: Sequence[GrantTo], groups: Sequence[GrantTo]
) -> None:
    await require_in_org(work, org_id, (i for i, _ in users), kind="members", field="users")
    await require_in_org(work, org_id, (i for i, _ in groups), kind="groups", field="groups")


async def create_collection(work: OrganizationWork, caller: Principal, command: CreateCollection) -> uuid.UUID:
    org, standing = await standing_in(work.store, command.org_id, caller.user_id, lock=True)
    require(standing.can_create_collections, "create collections")
    await _check_refs(work, org.id, command.users, command.groups)
    collection = Collection.create(
        org,
        standing,
        name=command.name,
        external_id=command.external_id,
        users=command.users,
        groups=command.groups,
        existing=await work.store.count_collections(org.id) if org.max_collections is not None else 0,
    )
    await work.store.add_collection(collection)
    await _finish(work, org, standing, caller, collection)
    return collection.id


async def _editable(
    work: OrganizationWork, caller: Principal, org_id: uuid.UUID, collection_id: uuid.UUID, *, deleting: bool
) -> tuple[Organization, Standing, Collection]:
    """Visible to the caller (else 404), and theirs to change: any-collection rights or manage on this one."""
    org, standing = await standing_in(work.store, org_id, caller.user_id)
    collection = await work.store.load_collection(org_id, collection_id)
    if collection is None:
        raise CollectionNotFound()
    if not has_any_collection_right(standing, deleting=deleting):
        own = None
        if standing.member_id is not None:
            own = await work.store.caller_grant(standing.member_id, collection_id)
        check_may_change(standing, own, deleting=deleting)
    return org, standing, collection


async def update_collection(work: OrganizationWork, caller: Principal, command: UpdateCollection) -> None:
    org, standing, collection = await _editable(work, caller, command.org_id, command.collection_id, deleting=False)
    await _check_refs(work, org.id, command.users or (), command.groups or ())
    collection.update(name=command.name, external_id=command.external_id, users=command.users, groups=command.groups)
    await work.store.save_collection(collection)
    await _finish(work, org, standing, caller, collection)


async def delete_collection(work: OrganizationWork, caller: Principal, command: DeleteCollection) -> None:
    org, standing, collection = await _editable(work, caller, command.org_id, command.collection_id, deleting=True)
    collection.delete()
    await work.store.delete_collection(collection)
    await _finish(work, org, standing, caller, collection)


async def _finish(
    work: OrganizationWork, org: Organization, standing: Standing, caller: Principal, collection: Collection
) -> None:
    actor = actor_of(caller.user_id, standing)
    publish_all(work, collection.events, actor)
    await publish_access(work, org.id, [collection.id], actor=actor)
    await bump_org(work, org)
    await work.uow.commit()
