"""Putting a policy: the dependencies between policies, and what turning Single Organization or Require two-step
login on does (revoking the members they no longer admit)."""

from __future__ import annotations

import uuid

from mspvault.organization.domain.errors import require
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.policies import change_policy
from mspvault.organization.service_layer.commands import PutPolicy
from mspvault.organization.service_layer.common import (
    actor_of,
    affected_by_member,
    bump_org,
    publish_access,
    publish_all,
    standing_in,
)
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor


async def put_policy(work: OrganizationWork, caller: Principal, command: PutPolicy) -> uuid.UUID:
    org, standing = await standing_in(work.store, command.org_id, caller.user_id, lock=True)
    require(standing.can_manage_policies, "manage policies")
    change = change_policy(org.id, command.policy_type, command.enabled, await work.store.enabled_policies(org.id))
    actor = actor_of(caller.user_id, standing)
    policy_id = await work.store.save_policy(
        org.id, command.policy_type, enabled=command.enabled, data=command.data, now=work.clock()
    )
    if change.revokes_members_of_other_orgs:
        await _revoke_members_of_other_orgs(work, org, actor)
    if change.revokes_members_without_two_factor:
        await revoke_members(work, org.id, await work.store.members_without_two_factor(org.id), actor)
    work.uow.publish(change.event, actor=actor)
    await bump_org(work, org)
    await work.uow.commit()
    return policy_id


async def _revoke_members_of_other_orgs(work: OrganizationWork, org: Organization, actor: Actor) -> None:
    """Revoked restorably: the non-exempt active members who belong to another organization."""
    await revoke_members(work, org.id, await work.store.members_in_other_orgs(org.id), actor)


async def revoke_members(work: OrganizationWork, org_id: uuid.UUID, revoked: list[Member], actor: Actor) -> None:
    """Revoke members a policy no longer admits (restorably), and publish the access lists that lose them."""
    touched: set[uuid.UUID] = set()
    for member in revoked:
        touched |= await affected_by_member(work, org_id, member.id, member.type)
        member.revoke()
        await work.store.save_member(member)
        publish_all(work, member.events, actor)
    await publish_access(work, org_id, touched, actor=actor)
