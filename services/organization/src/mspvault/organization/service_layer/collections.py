"""Collection commands: create, update (name and the full access lists), delete."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update

from mspvault.organization.adapters.orm import collections
from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.encstrings import require_symmetric
from mspvault.organization.domain.errors import CollectionNotFound, NotPermitted
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import Standing
from mspvault.organization.service_layer import authz, grants, revisions
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.organization import CollectionCreatedV1, CollectionDeletedV1, CollectionUpdatedV1
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import DomainError


class CollectionLimitReached(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"This organization can hold at most {limit} collections.")


async def _check_access_refs(
    uow: UnitOfWork, org_id: uuid.UUID, users: Sequence[grants.GrantTo], groups: Sequence[grants.GrantTo]
) -> None:
    await grants.require_in_org(uow.session, org_id, (i for i, _ in users), kind="members", field="users")
    await grants.require_in_org(uow.session, org_id, (i for i, _ in groups), kind="groups", field="groups")


async def create(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    *,
    name: str,
    external_id: str | None,
    users: Sequence[grants.GrantTo],
    groups: Sequence[grants.GrantTo],
) -> uuid.UUID:
    session = uow.session
    org, standing = await authz.standing_in(session, org_id, caller.user_id, lock=True)
    authz.require(standing.can_create_collections, "create collections")
    await _check_access_refs(uow, org_id, users, groups)
    if org.max_collections is not None:
        count = await session.scalar(select(func.count()).where(collections.c.organization_id == org_id))
        if int(count or 0) >= org.max_collections:
            raise CollectionLimitReached(org.max_collections)
    users = list(users)
    # A creator who does not see every collection (a Custom role) keeps managing what they created.
    creator = standing.member_id
    if creator is not None and not standing.sees_all_collections and all(mid != creator for mid, _ in users):
        users.append((creator, Grant(manage=True)))
    collection_id = uuid.uuid4()
    await session.execute(
        insert(collections).values(
            id=collection_id, organization_id=org_id, name=require_symmetric(name, "name"), external_id=external_id
        )
    )
    await grants.replace_collection_users(session, collection_id, users)
    await grants.replace_collection_groups(session, collection_id, groups)
    actor = authz.actor_of(caller.user_id, standing)
    uow.publish(
        CollectionCreatedV1(organization_id=org_id, collection_id=collection_id, name=name, external_id=external_id),
        actor=actor,
    )
    await grants.publish_access(uow, org_id, [collection_id], actor=actor)
    await revisions.bump_org(session, org_id, org.provider_id)
    await uow.commit()
    return collection_id


async def _editable(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, collection_id: uuid.UUID, *, deleting: bool
) -> tuple[Organization, Standing, Actor]:
    """Visible to the caller (else 404), and theirs to change: any-collection rights or manage on this one."""
    org, standing = await authz.standing_in(uow.session, org_id, caller.user_id)
    exists = await uow.session.scalar(
        select(collections.c.id).where(collections.c.id == collection_id, collections.c.organization_id == org_id)
    )
    if exists is None:
        raise CollectionNotFound()
    any_right = standing.can_delete_any_collection if deleting else standing.can_edit_any_collection
    if not any_right:
        grant = await grants.caller_grant(uow.session, standing, collection_id)
        if grant is None and not standing.sees_all_collections:
            raise CollectionNotFound()
        if grant is None or not grant.manage:
            raise NotPermitted("delete this collection" if deleting else "edit this collection")
    return org, standing, authz.actor_of(caller.user_id, standing)


async def update_collection(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    collection_id: uuid.UUID,
    *,
    name: str,
    external_id: str | None,
    users: Sequence[grants.GrantTo] | None,
    groups: Sequence[grants.GrantTo] | None,
) -> None:
    session = uow.session
    org, _, actor = await _editable(uow, caller, org_id, collection_id, deleting=False)
    await _check_access_refs(uow, org_id, users or (), groups or ())
    await session.execute(
        update(collections)
        .where(collections.c.id == collection_id)
        .values(name=require_symmetric(name, "name"), external_id=external_id, revision_date=func.now())
    )
    if users is not None:
        await grants.replace_collection_users(session, collection_id, users)
    if groups is not None:
        await grants.replace_collection_groups(session, collection_id, groups)
    uow.publish(
        CollectionUpdatedV1(organization_id=org_id, collection_id=collection_id, name=name, external_id=external_id),
        actor=actor,
    )
    await grants.publish_access(uow, org_id, [collection_id], actor=actor)
    await revisions.bump_org(session, org_id, org.provider_id)
    await uow.commit()


async def delete_collection(uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, collection_id: uuid.UUID) -> None:
    org, _, actor = await _editable(uow, caller, org_id, collection_id, deleting=True)
    await uow.session.execute(delete(collections).where(collections.c.id == collection_id))
    uow.publish(CollectionDeletedV1(organization_id=org_id, collection_id=collection_id), actor=actor)
    await revisions.bump_org(uow.session, org_id, org.provider_id)
    await uow.commit()
