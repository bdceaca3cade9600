"""Resolving the caller's standing in an organization (the read side of `effective_role`), and the 404 rule.

Callers without any standing get 404 for everything inside the organization, so its ids do not leak. Callers who
see it but lack a right get 404 too (`NotPermitted`): the official CLI logs its user out on any 403.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import members, provider_users
from mspvault.organization.domain.errors import NotPermitted, OrganizationNotFound
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import (
    MembershipFacts,
    MemberStatus,
    MemberType,
    Permissions,
    ProviderAccess,
    Standing,
    effective_role,
)
from mspvault.organization.service_layer import store
from mspvault.shared.audit import acting
from mspvault.shared.contracts.envelope import Actor


def active_provider_user(provider_id: uuid.UUID, user_id: uuid.UUID) -> ColumnElement[bool]:
    """The SQL condition for "user_id is a confirmed, unrevoked user of provider_id"."""
    return and_(
        provider_users.c.provider_id == provider_id,
        provider_users.c.user_id == user_id,
        provider_users.c.status == int(MemberStatus.CONFIRMED),
        provider_users.c.revoked.is_(False),
    )


async def standing_in(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> tuple[Organization, Standing]:
    org = await store.load_org(session, org_id, lock=lock)
    if org is None:
        raise OrganizationNotFound()
    row = (
        await session.execute(
            select(members.c.id, members.c.type, members.c.status, members.c.permissions).where(
                members.c.organization_id == org_id, members.c.user_id == user_id
            )
        )
    ).first()
    facts = (
        MembershipFacts(row.id, MemberType(row.type), MemberStatus(row.status), Permissions.from_json(row.permissions))
        if row
        else None
    )
    access = None
    if org.provider_id is not None:
        linked = await session.scalar(select(provider_users.c.id).where(active_provider_user(org.provider_id, user_id)))
        access = ProviderAccess(org.provider_id) if linked is not None else None
    standing = effective_role(facts, access)
    if standing is None:
        raise OrganizationNotFound()
    return org, standing


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise NotPermitted(what)


def actor_of(user_id: uuid.UUID, standing: Standing | None = None) -> Actor:
    """The caller as the actor of the events they cause: for a provider when their rights come through its link,
    with the request's device type and address (audit logs show all three)."""
    return acting(user_id, standing.provider_id if standing else None)
