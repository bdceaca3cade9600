"""Policies: get/put by type, the Single Organization rule's checks, and what turning it on does."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mspvault.organization.adapters.orm import members, policies
from mspvault.organization.domain.policies import (
    EXEMPT_TYPES,
    OtherMembership,
    PolicyType,
    check_policy_change,
)
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer import authz, grants, revisions, store
from mspvault.organization.service_layer.events import member_event
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.organization import MemberRevokedV1, PolicyUpdatedV1
from mspvault.shared.db.unit_of_work import UnitOfWork

ACTIVE = (int(MemberStatus.ACCEPTED), int(MemberStatus.CONFIRMED))


def _single_org_on(org_column: Any) -> Any:
    return exists().where(
        policies.c.organization_id == org_column,
        policies.c.type == int(PolicyType.SINGLE_ORG),
        policies.c.enabled.is_(True),
    )


async def single_org_enabled(session: AsyncSession, org_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(_single_org_on(org_id))))


async def other_memberships(
    session: AsyncSession, user_id: uuid.UUID, *, excluding: uuid.UUID | None = None
) -> list[OtherMembership]:
    query = select(
        members.c.organization_id,
        members.c.type,
        members.c.status,
        _single_org_on(members.c.organization_id).label("single_org"),
    ).where(members.c.user_id == user_id)
    if excluding is not None:
        query = query.where(members.c.organization_id != excluding)
    rows = await session.execute(query)
    return [
        OtherMembership(r.organization_id, MemberType(r.type), MemberStatus(r.status), bool(r.single_org)) for r in rows
    ]


async def enabled_types(session: AsyncSession, org_id: uuid.UUID) -> set[PolicyType]:
    rows = await session.scalars(
        select(policies.c.type).where(policies.c.organization_id == org_id, policies.c.enabled.is_(True))
    )
    return {PolicyType(t) for t in rows if t in PolicyType._value2member_map_}


async def put_policy(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    policy_type: PolicyType,
    *,
    enabled: bool,
    data: dict[str, Any] | None,
    now: datetime,
) -> uuid.UUID:
    session = uow.session
    org, standing = await authz.standing_in(session, org_id, caller.user_id, lock=True)
    authz.require(standing.can_manage_policies, "manage policies")
    current = await enabled_types(session, org_id)
    check_policy_change(policy_type, enabled, current)
    actor = authz.actor_of(caller.user_id, standing)
    statement = insert(policies).values(
        id=uuid.uuid4(), organization_id=org_id, type=int(policy_type), enabled=enabled, data=data
    )
    policy_id: uuid.UUID | None = await session.scalar(
        statement.on_conflict_do_update(
            constraint="uq_policies_organization_id_type",
            set_={"enabled": enabled, "data": data, "revision_date": now},
        ).returning(policies.c.id)
    )
    if policy_type == PolicyType.SINGLE_ORG and enabled and PolicyType.SINGLE_ORG not in current:
        await _revoke_members_of_other_orgs(uow, org_id, actor=actor)
    uow.publish(PolicyUpdatedV1(organization_id=org_id, policy_type=int(policy_type), enabled=enabled), actor=actor)
    await revisions.bump_org(session, org_id, org.provider_id)
    await uow.commit()
    assert policy_id is not None
    return policy_id


async def _revoke_members_of_other_orgs(uow: UnitOfWork, org_id: uuid.UUID, *, actor: Any) -> None:
    """Turning Single Org on revokes (restorably) the non-exempt active members who belong to another org."""
    other = aliased(members)
    rows = (
        await uow.session.execute(
            select(members).where(
                members.c.organization_id == org_id,
                members.c.type.not_in([int(t) for t in EXEMPT_TYPES]),
                members.c.status.in_(ACTIVE),
                exists().where(
                    and_(
                        other.c.user_id == members.c.user_id,
                        other.c.organization_id != org_id,
                        other.c.status.in_(ACTIVE),
                    )
                ),
            )
        )
    ).mappings()
    touched: set[uuid.UUID] = set()
    for row in list(rows):
        member = store.member_from_row(row)
        touched |= await grants.affected_by_member(uow.session, org_id, member.id, member.type)
        member.revoke()
        await store.save_member(uow.session, member)
        uow.publish(member_event(MemberRevokedV1, member), actor=actor)
    await grants.publish_access(uow, org_id, touched, actor=actor)
