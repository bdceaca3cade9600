"""Group commands: create, update (name, collection grants, members), replace members, delete.

A group's grants reach its members, so every change republishes the effective access of the collections it touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update

from mspvault.organization.adapters.orm import groups
from mspvault.organization.domain.errors import GroupNotFound
from mspvault.organization.domain.organization import Organization
from mspvault.organization.service_layer import authz, grants, revisions
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.db.unit_of_work import UnitOfWork


async def _group_manager(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, group_id: uuid.UUID | None = None
) -> tuple[Organization, Actor]:
    org, standing = await authz.standing_in(uow.session, org_id, caller.user_id)
    if group_id is not None:
        found = await uow.session.scalar(
            select(groups.c.id).where(groups.c.id == group_id, groups.c.organization_id == org_id)
        )
        if found is None:
            raise GroupNotFound()
    authz.require(standing.can_manage_groups, "manage groups")
    return org, authz.actor_of(caller.user_id, standing)


async def _check_refs(
    uow: UnitOfWork,
    org_id: uuid.UUID,
    collections: Sequence[grants.GrantTo] | None,
    member_ids: Sequence[uuid.UUID] | None,
) -> None:
    await grants.require_in_org(
        uow.session, org_id, (c for c, _ in collections or ()), kind="collections", field="collections"
    )
    await grants.require_in_org(uow.session, org_id, member_ids or (), kind="members", field="users")


async def _finish(uow: UnitOfWork, org: Organization, touched: set[uuid.UUID], actor: Actor) -> None:
    await grants.publish_access(uow, org.id, touched, actor=actor)
    if touched:
        await revisions.bump_org(uow.session, org.id, org.provider_id)
    await uow.commit()


async def create(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    *,
    name: str,
    external_id: str | None,
    collections: Sequence[grants.GrantTo],
    member_ids: Sequence[uuid.UUID],
) -> uuid.UUID:
    org, actor = await _group_manager(uow, caller, org_id)
    await _check_refs(uow, org_id, collections, member_ids)
    group_id = uuid.uuid4()
    await uow.session.execute(
        insert(groups).values(id=group_id, organization_id=org_id, name=name, external_id=external_id)
    )
    await grants.replace_group_collections(uow.session, group_id, collections)
    await grants.replace_group_members(uow.session, group_id, member_ids)
    await _finish(uow, org, {cid for cid, _ in collections}, actor)
    return group_id


async def update_group(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    group_id: uuid.UUID,
    *,
    name: str,
    external_id: str | None,
    collections: Sequence[grants.GrantTo] | None,
    member_ids: Sequence[uuid.UUID] | None,
) -> None:
    org, actor = await _group_manager(uow, caller, org_id, group_id)
    await _check_refs(uow, org_id, collections, member_ids)
    touched = await grants.collections_touching_group(uow.session, group_id)
    await uow.session.execute(
        update(groups)
        .where(groups.c.id == group_id)
        .values(name=name, external_id=external_id, revision_date=func.now())
    )
    if collections is not None:
        await grants.replace_group_collections(uow.session, group_id, collections)
        touched |= {cid for cid, _ in collections}
    if member_ids is not None:
        await grants.replace_group_members(uow.session, group_id, member_ids)
    await _finish(uow, org, touched, actor)


async def set_members(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, group_id: uuid.UUID, member_ids: Sequence[uuid.UUID]
) -> None:
    org, actor = await _group_manager(uow, caller, org_id, group_id)
    await _check_refs(uow, org_id, None, member_ids)
    await grants.replace_group_members(uow.session, group_id, member_ids)
    await _finish(uow, org, await grants.collections_touching_group(uow.session, group_id), actor)


async def delete_group(uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, group_id: uuid.UUID) -> None:
    org, actor = await _group_manager(uow, caller, org_id, group_id)
    touched = await grants.collections_touching_group(uow.session, group_id)
    await uow.session.execute(delete(groups).where(groups.c.id == group_id))
    await _finish(uow, org, touched, actor)
