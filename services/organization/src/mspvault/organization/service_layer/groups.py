"""Group commands: create, update (name, collection grants, members), replace members, delete.

A group's grants reach its members, so every change republishes the effective access of the collections it touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from mspvault.organization.domain.collections import GrantTo, Group
from mspvault.organization.domain.delegation import added_grants, check_not_joining
from mspvault.organization.domain.errors import GroupNotFound, require
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import Standing
from mspvault.organization.service_layer.commands import CreateGroup, DeleteGroup, SetGroupMembers, UpdateGroup
from mspvault.organization.service_layer.common import (
    actor_of,
    bump_org,
    publish_access,
    require_in_org,
    require_manages,
    standing_in,
)
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor


async def _group_manager(work: OrganizationWork, caller: Principal, org_id: uuid.UUID) -> tuple[Organization, Standing]:
    org, standing = await standing_in(work.store, org_id, caller.user_id)
    require(standing.can_manage_groups, "manage groups")
    return org, standing


async def _group(
    work: OrganizationWork, caller: Principal, org_id: uuid.UUID, group_id: uuid.UUID
) -> tuple[Organization, Standing, Group]:
    """The group (404 before any right is checked: it is not there for anyone) and its manager."""
    org, standing = await standing_in(work.store, org_id, caller.user_id)
    group = await work.store.load_group(org_id, group_id)
    if group is None:
        raise GroupNotFound()
    require(standing.can_manage_groups, "manage groups")
    return org, standing, group


async def _check_hands_out_only_what_is_held(
    work: OrganizationWork,
    standing: Standing,
    group_id: uuid.UUID | None,
    collections: Sequence[GrantTo] | None,
    member_ids: Sequence[uuid.UUID] | None,
) -> None:
    """Grants the change adds are on collections the caller manages; members it adds get every collection the
    group reaches, so those too; and the caller never adds themselves (`domain/delegation.py`)."""
    current = await work.store.group_grants(group_id) if group_id is not None else {}
    present = await work.store.group_member_ids(group_id) if group_id is not None else set()
    joining = set(member_ids or ()) - present
    check_not_joining(standing, joining)
    if collections is not None:
        await require_manages(work, standing, added_grants(collections, current), field="collections")
    if joining:
        reached = [cid for cid, _ in collections] if collections is not None else list(current)
        await require_manages(work, standing, reached, field="users")


async def _check_refs(
    work: OrganizationWork,
    org_id: uuid.UUID,
    collections: Sequence[GrantTo] | None,
    member_ids: Sequence[uuid.UUID] | None,
) -> None:
    await require_in_org(work, org_id, (c for c, _ in collections or ()), kind="collections", field="collections")
    await require_in_org(work, org_id, member_ids or (), kind="members", field="users")


async def _finish(work: OrganizationWork, org: Organization, touched: set[uuid.UUID], actor: Actor) -> None:
    await publish_access(work, org.id, touched, actor=actor)
    if touched:
        await bump_org(work, org)
    await work.uow.commit()


async def create_group(work: OrganizationWork, caller: Principal, command: CreateGroup) -> uuid.UUID:
    org, standing = await _group_manager(work, caller, command.org_id)
    actor = actor_of(caller.user_id, standing)
    await _check_refs(work, org.id, command.collections, command.member_ids)
    await _check_hands_out_only_what_is_held(work, standing, None, command.collections, command.member_ids)
    group = Group.create(
        org.id,
        name=command.name,
        external_id=command.external_id,
        collections=command.collections,
        member_ids=command.member_ids,
    )
    await work.store.add_group(group)
    await _finish(work, org, {cid for cid, _ in command.collections}, actor)
    return group.id


async def update_group(work: OrganizationWork, caller: Principal, command: UpdateGroup) -> None:
    org, standing, group = await _group(work, caller, command.org_id, command.group_id)
    actor = actor_of(caller.user_id, standing)
    await _check_refs(work, org.id, command.collections, command.member_ids)
    await _check_hands_out_only_what_is_held(work, standing, group.id, command.collections, command.member_ids)
    touched = await work.store.collections_touching_group(group.id)
    group.update(
        name=command.name,
        external_id=command.external_id,
        collections=command.collections,
        member_ids=command.member_ids,
    )
    await work.store.save_group(group)
    touched |= {cid for cid, _ in command.collections or ()}
    await _finish(work, org, touched, actor)


async def set_group_members(work: OrganizationWork, caller: Principal, command: SetGroupMembers) -> None:
    org, standing, group = await _group(work, caller, command.org_id, command.group_id)
    actor = actor_of(caller.user_id, standing)
    await _check_refs(work, org.id, None, command.member_ids)
    await _check_hands_out_only_what_is_held(work, standing, group.id, None, command.member_ids)
    group.set_members(command.member_ids)
    await work.store.save_group(group)
    await _finish(work, org, await work.store.collections_touching_group(group.id), actor)


async def delete_group(work: OrganizationWork, caller: Principal, command: DeleteGroup) -> None:
    org, standing, group = await _group(work, caller, command.org_id, command.group_id)
    actor = actor_of(caller.user_id, standing)
    touched = await work.store.collections_touching_group(group.id)
    await work.store.delete_group(group)
    await _finish(work, org, touched, actor)
