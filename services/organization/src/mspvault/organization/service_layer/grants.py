"""Collection grants (per member and per group) and group membership: reading, replacing, and publishing the
effective access of the collections a change touched (`CollectionAccessChangedV1` with the full list)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import (
    collection_groups,
    collection_users,
    collections,
    group_members,
    groups,
    members,
)
from mspvault.organization.domain.access import AccessGraph, AccessMember, Grant, effective_access
from mspvault.organization.domain.errors import UnknownReference
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.organization import CollectionAccessChangedV1, MemberAccess
from mspvault.shared.db.unit_of_work import UnitOfWork

GrantTo = tuple[uuid.UUID, Grant]  # (member id or group id, grant)


async def require_in_org(
    session: AsyncSession, org_id: uuid.UUID, table_ids: Iterable[uuid.UUID], *, kind: str, field: str
) -> None:
    """Every id names a row of this organization (collections, groups or members)."""
    wanted = set(table_ids)
    if not wanted:
        return
    table = {"collections": collections, "groups": groups, "members": members}[kind]
    found = set(
        await session.scalars(select(table.c.id).where(table.c.organization_id == org_id, table.c.id.in_(wanted)))
    )
    if found != wanted:
        raise UnknownReference(kind, field)


async def collections_of_org(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await session.scalars(select(collections.c.id).where(collections.c.organization_id == org_id)))


async def collections_touching_member(session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID) -> set[uuid.UUID]:
    direct = await session.scalars(
        select(collection_users.c.collection_id).where(collection_users.c.member_id == member_id)
    )
    via_groups = await session.scalars(
        select(collection_groups.c.collection_id)
        .join(group_members, group_members.c.group_id == collection_groups.c.group_id)
        .where(group_members.c.member_id == member_id)
    )
    return set(direct) | set(via_groups)


async def affected_by_member(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID, member_type: MemberType
) -> set[uuid.UUID]:
    """Collections whose effective list may change with this member: Owners and Admins reach all of them."""
    if member_type in (MemberType.OWNER, MemberType.ADMIN):
        return set(await collections_of_org(session, org_id))
    return await collections_touching_member(session, org_id, member_id)


async def replace_member_grants(session: AsyncSession, member_id: uuid.UUID, grants: Sequence[GrantTo]) -> None:
    await session.execute(delete(collection_users).where(collection_users.c.member_id == member_id))
    if grants:
        await session.execute(
            insert(collection_users),
            [_grant_row("collection_id", cid, grant) | {"member_id": member_id} for cid, grant in grants],
        )


async def replace_member_groups(session: AsyncSession, member_id: uuid.UUID, group_ids: Iterable[uuid.UUID]) -> None:
    await session.execute(delete(group_members).where(group_members.c.member_id == member_id))
    rows = [{"group_id": gid, "member_id": member_id} for gid in set(group_ids)]
    if rows:
        await session.execute(insert(group_members), rows)


def _grant_row(key: str, value: uuid.UUID, grant: Grant) -> dict[str, object]:
    return {key: value, "read_only": grant.read_only, "hide_passwords": grant.hide_passwords, "manage": grant.manage}


async def load_access_graph(
    session: AsyncSession, org_id: uuid.UUID, collection_ids: Sequence[uuid.UUID]
) -> AccessGraph:
    """Each table read once for the whole set of collections."""
    member_rows = await session.execute(
        select(members.c.id, members.c.user_id, members.c.type, members.c.status).where(
            members.c.organization_id == org_id
        )
    )
    access_members = {
        r.id: AccessMember(r.id, r.user_id, MemberType(r.type), MemberStatus(r.status)) for r in member_rows
    }
    direct_rows = await session.execute(
        select(collection_users).where(collection_users.c.collection_id.in_(collection_ids))
    )
    direct = {(r.collection_id, r.member_id): Grant(r.read_only, r.hide_passwords, r.manage) for r in direct_rows}
    group_rows = await session.execute(
        select(collection_groups).where(collection_groups.c.collection_id.in_(collection_ids))
    )
    by_group = {(r.collection_id, r.group_id): Grant(r.read_only, r.hide_passwords, r.manage) for r in group_rows}
    group_ids = {gid for _, gid in by_group}
    membership: dict[uuid.UUID, set[uuid.UUID]] = {}
    if group_ids:
        for r in await session.execute(select(group_members).where(group_members.c.group_id.in_(group_ids))):
            membership.setdefault(r.group_id, set()).add(r.member_id)
    return AccessGraph(
        members=access_members,
        direct=direct,
        by_group=by_group,
        group_members={gid: frozenset(mids) for gid, mids in membership.items()},
    )


async def publish_access(
    uow: UnitOfWork, org_id: uuid.UUID, collection_ids: Iterable[uuid.UUID], *, actor: Actor | None = None
) -> None:
    """Publish the full effective user list of each collection; consumers replace what they had."""
    wanted = sorted(set(collection_ids))
    if not wanted:
        return
    # Collections deleted in this transaction have no list left to publish (CollectionDeleted says it all).
    existing = set(await uow.session.scalars(select(collections.c.id).where(collections.c.id.in_(wanted))))
    wanted = [cid for cid in wanted if cid in existing]
    if not wanted:
        return
    graph = await load_access_graph(uow.session, org_id, wanted)
    for cid, users in effective_access(graph, wanted).items():
        access = [
            MemberAccess(user_id=uid, read_only=g.read_only, hide_passwords=g.hide_passwords, manage=g.manage)
            for uid, g in sorted(users.items())
        ]
        uow.publish(CollectionAccessChangedV1(organization_id=org_id, collection_id=cid, access=access), actor=actor)
