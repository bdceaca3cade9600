"""Loading and saving aggregates: rows of the service's tables <-> domain objects. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import members, organizations
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import MemberStatus, MemberType


def org_from_row(row: Mapping[Any, Any]) -> Organization:
    return Organization(
        id=row["id"],
        name=row["name"],
        billing_email=row["billing_email"],
        plan_type=row["plan_type"],
        seats=row["seats"],
        max_collections=row["max_collections"],
        enabled=row["enabled"],
        provider_id=row["provider_id"],
        public_key=row["public_key"],
        encrypted_private_key=row["encrypted_private_key"],
        features=dict(row["features"] or {}),
        creation_date=row["creation_date"],
        revision_date=row["revision_date"],
    )


def member_from_row(row: Mapping[Any, Any]) -> Member:
    pre = row["pre_revoke_status"]
    return Member(
        id=row["id"],
        organization_id=row["organization_id"],
        email=row["email"],
        type=MemberType(row["type"]),
        status=MemberStatus(row["status"]),
        user_id=row["user_id"],
        key=row["key"],
        permissions=row["permissions"],
        access_secrets_manager=row["access_secrets_manager"],
        external_id=row["external_id"],
        pre_revoke_status=MemberStatus(pre) if pre is not None else None,
        invite_nonce=row["invite_nonce"],
    )


def _member_values(member: Member) -> dict[str, Any]:
    return {
        "organization_id": member.organization_id,
        "user_id": member.user_id,
        "email": member.email,
        "type": int(member.type),
        "status": int(member.status),
        "pre_revoke_status": int(member.pre_revoke_status) if member.pre_revoke_status is not None else None,
        "key": member.key,
        "permissions": member.permissions,
        "access_secrets_manager": member.access_secrets_manager,
        "external_id": member.external_id,
        "invite_nonce": member.invite_nonce,
    }


async def load_org(session: AsyncSession, org_id: uuid.UUID, *, lock: bool = False) -> Organization | None:
    query = select(organizations).where(organizations.c.id == org_id)
    if lock:
        # Serializes seat-consuming changes of one organization (two invites racing for the last seat).
        query = query.with_for_update()
    row = (await session.execute(query)).mappings().first()
    return org_from_row(row) if row else None


async def insert_org(session: AsyncSession, org: Organization) -> None:
    await session.execute(
        insert(organizations).values(
            id=org.id,
            name=org.name,
            billing_email=org.billing_email,
            plan_type=org.plan_type,
            seats=org.seats,
            max_collections=org.max_collections,
            enabled=org.enabled,
            provider_id=org.provider_id,
            public_key=org.public_key,
            encrypted_private_key=org.encrypted_private_key,
            features=org.features,
        )
    )


async def update_org(session: AsyncSession, org_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(organizations).where(organizations.c.id == org_id).values(**values, revision_date=func.now())
    )


async def load_member(session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID) -> Member | None:
    row = (
        (await session.execute(select(members).where(members.c.organization_id == org_id, members.c.id == member_id)))
        .mappings()
        .first()
    )
    return member_from_row(row) if row else None


async def load_members(session: AsyncSession, org_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Member]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = (
        await session.execute(select(members).where(members.c.organization_id == org_id, members.c.id.in_(wanted)))
    ).mappings()
    return {row["id"]: member_from_row(row) for row in rows}


async def insert_member(session: AsyncSession, member: Member) -> None:
    await session.execute(insert(members).values(id=member.id, **_member_values(member)))


async def save_member(session: AsyncSession, member: Member) -> None:
    await session.execute(
        update(members).where(members.c.id == member.id).values(**_member_values(member), revision_date=func.now())
    )


async def occupied_seats(session: AsyncSession, org_id: uuid.UUID) -> int:
    seat_statuses = [int(MemberStatus.INVITED), int(MemberStatus.ACCEPTED), int(MemberStatus.CONFIRMED)]
    count = await session.scalar(
        select(func.count()).where(members.c.organization_id == org_id, members.c.status.in_(seat_statuses))
    )
    return int(count or 0)


async def confirmed_owner_count(session: AsyncSession, org_id: uuid.UUID, *, excluding: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).where(
            members.c.organization_id == org_id,
            members.c.type == int(MemberType.OWNER),
            members.c.status == int(MemberStatus.CONFIRMED),
            members.c.id != excluding,
        )
    )
    return int(count or 0)
