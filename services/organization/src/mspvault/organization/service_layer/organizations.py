"""Creating an ordinary organization (the caller becomes its confirmed Owner; a provider's own org is one), and
editing its name and billing address."""

from __future__ import annotations

import uuid

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.collections import Collection
from mspvault.organization.domain.errors import SingleOrgPolicyViolation, require
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.policies import blocked_by_single_org
from mspvault.organization.service_layer.commands import CreateOrganization, UpdateOrganization
from mspvault.organization.service_layer.common import (
    actor_of,
    bump_org,
    publish_access,
    publish_all,
    standing_in,
)
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal


async def create_organization(work: OrganizationWork, caller: Principal, command: CreateOrganization) -> uuid.UUID:
    if blocked_by_single_org(await work.store.other_memberships(caller.user_id)):
        raise SingleOrgPolicyViolation(
            "You may not create an organization: one of yours does not allow its members other organizations."
        )
    org = Organization.create(
        name=command.name,
        billing_email=command.billing_email,
        plan_type=command.plan_type,
        public_key=command.public_key,
        encrypted_private_key=command.encrypted_private_key,
    )
    owner = Member.founding_owner(org.id, caller.user_id, caller.email, command.key)
    actor = actor_of(caller.user_id)
    await work.store.add_org(org)
    await work.store.add_member(owner)
    publish_all(work, org.events, actor)
    publish_all(work, owner.events, actor)
    if command.collection_name:
        collection = Collection.default(org.id, command.collection_name)
        # Bitwarden gives the creator manage rights on the default collection.
        collection.users = [(owner.id, Grant(manage=True))]
        await work.store.add_collection(collection)
        publish_all(work, collection.events, actor)
        await publish_access(work, org.id, [collection.id], actor=actor)
    await work.store.bump_revisions([caller.user_id])
    await work.uow.commit()
    return org.id


async def update_organization(work: OrganizationWork, caller: Principal, command: UpdateOrganization) -> None:
    """Owners, and the users of its provider (who act as Owners), edit the organization; Admins do not (Bitwarden
    keeps the organization's details with its owners)."""
    org, standing = await standing_in(work.store, command.org_id, caller.user_id, lock=True)
    require(standing.is_owner, "edit the organization")
    org.update_details(name=command.name, billing_email=command.billing_email)
    await work.store.save_org(org)
    publish_all(work, org.events, actor_of(caller.user_id, standing))
    await bump_org(work, org)
    await work.uow.commit()
