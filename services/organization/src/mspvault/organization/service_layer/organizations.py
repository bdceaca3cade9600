"""Creating organizations (by a user, or for a provider's client) and keeping the provider link current."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import collection_users, collections, providers
from mspvault.organization.domain.access import FULL
from mspvault.organization.domain.encstrings import require_public_key, require_symmetric
from mspvault.organization.domain.errors import SingleOrgPolicyViolation
from mspvault.organization.domain.invite_token import new_nonce
from mspvault.organization.domain.members import Member, normalize_email
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.policies import blocked_by_single_org
from mspvault.organization.domain.roles import MemberType
from mspvault.organization.service_layer import authz, grants, revisions, store
from mspvault.organization.service_layer.events import member_event
from mspvault.organization.service_layer.invites import InviteMailer
from mspvault.organization.service_layer.policies import other_memberships
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.organization import (
    CollectionCreatedV1,
    MemberConfirmedV1,
    MemberInvitedV1,
    OrganizationCreatedV1,
    OrganizationUpdatedV1,
)
from mspvault.shared.contracts.provider import (
    ClientOrgAddedV1,
    ClientOrgCreatedV1,
    ClientOrgRemovedV1,
    ClientSeatsChangedV1,
)
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)


async def create_organization(
    uow: UnitOfWork,
    caller: Principal,
    *,
    name: str,
    billing_email: str,
    plan_type: int,
    key: str,
    public_key: str | None,
    encrypted_private_key: str | None,
    collection_name: str | None,
) -> uuid.UUID:
    """A user creates an ordinary organization and becomes its confirmed Owner (a provider's own org is one)."""
    session = uow.session
    if blocked_by_single_org(await other_memberships(session, caller.user_id)):
        raise SingleOrgPolicyViolation(
            "You may not create an organization: one of yours does not allow its members other organizations."
        )
    org = Organization(
        id=uuid.uuid4(),
        name=name,
        billing_email=normalize_email(billing_email),
        plan_type=plan_type,
        public_key=require_public_key(public_key, "keys.publicKey") if public_key else None,
        encrypted_private_key=(
            require_symmetric(encrypted_private_key, "keys.encryptedPrivateKey") if encrypted_private_key else None
        ),
    )
    owner = Member.founding_owner(org.id, caller.user_id, caller.email, key)
    actor = authz.actor_of(caller.user_id)
    await store.insert_org(session, org)
    await store.insert_member(session, owner)
    uow.publish(
        OrganizationCreatedV1(organization_id=org.id, name=org.name, plan_type=org.plan_type, seats=org.seats),
        actor=actor,
    )
    uow.publish(member_event(MemberConfirmedV1, owner), actor=actor)
    if collection_name:
        collection_id = await _default_collection(uow, org.id, collection_name, actor=actor)
        # Bitwarden gives the creator manage rights on the default collection.
        await session.execute(
            insert(collection_users).values(
                collection_id=collection_id,
                member_id=owner.id,
                read_only=False,
                hide_passwords=False,
                manage=FULL.manage,
            )
        )
        await grants.publish_access(uow, org.id, [collection_id], actor=actor)
    await revisions.bump(session, [caller.user_id])
    await uow.commit()
    return org.id


async def _default_collection(uow: UnitOfWork, org_id: uuid.UUID, name: str, *, actor: Actor | None) -> uuid.UUID:
    collection_id = uuid.uuid4()
    await uow.session.execute(
        insert(collections).values(
            id=collection_id, organization_id=org_id, name=require_symmetric(name, "collectionName")
        )
    )
    uow.publish(CollectionCreatedV1(organization_id=org_id, collection_id=collection_id, name=name), actor=actor)
    return collection_id


async def remember_provider(session: AsyncSession, provider_id: uuid.UUID, name: str) -> None:
    statement = pg_insert(providers).values(id=provider_id, name=name)
    await session.execute(statement.on_conflict_do_update(index_elements=[providers.c.id], set_={"name": name}))


# --- projections of provider events (called by consumers: they never commit) --------------------------------


async def apply_client_org_created(
    uow: UnitOfWork, event: ClientOrgCreatedV1, mailer: InviteMailer, *, actor: Actor, now: datetime
) -> None:
    """Create the client organization, linked to its provider, and invite its owner by mail."""
    session = uow.session
    await remember_provider(session, event.provider_id, event.provider_name)
    if await store.load_org(session, event.organization_id) is not None:
        log.warning("client_org.exists", organization_id=str(event.organization_id))
        return
    org = Organization(
        id=event.organization_id,
        name=event.name,
        billing_email=normalize_email(event.billing_email),
        plan_type=event.plan_type,
        seats=event.seats,
        provider_id=event.provider_id,
        public_key=event.public_key,
        encrypted_private_key=event.encrypted_private_key,
    )
    await store.insert_org(session, org)
    uow.publish(
        OrganizationCreatedV1(
            organization_id=org.id, name=org.name, provider_id=org.provider_id, plan_type=org.plan_type, seats=org.seats
        ),
        actor=actor,
    )
    # The system's own invite of the first owner is not bound by seats: the provider chose them with the org.
    owner = Member.invite(org.id, event.owner_email, MemberType.OWNER, nonce=new_nonce())
    await store.insert_member(session, owner)
    uow.publish(member_event(MemberInvitedV1, owner), actor=actor)
    await mailer.send(session, org, owner, invited_by=None, now=now)
    if event.collection_name:
        collection_id = await _default_collection(uow, org.id, event.collection_name, actor=actor)
        await grants.publish_access(uow, org.id, [collection_id], actor=actor)
    await revisions.bump(session, await revisions.provider_audience(session, org.provider_id))


async def _org_updated(uow: UnitOfWork, org_id: uuid.UUID, *, actor: Actor) -> None:
    org = await store.load_org(uow.session, org_id)
    if org is not None:
        uow.publish(
            OrganizationUpdatedV1(
                organization_id=org.id, name=org.name, enabled=org.enabled, provider_id=org.provider_id
            ),
            actor=actor,
        )


async def apply_client_org_added(uow: UnitOfWork, event: ClientOrgAddedV1, *, actor: Actor) -> None:
    session = uow.session
    await remember_provider(session, event.provider_id, event.provider_name)
    org = await store.load_org(session, event.organization_id, lock=True)
    if org is None:
        log.warning("client_org.unknown", organization_id=str(event.organization_id))
        return
    previous = org.provider_id
    await store.update_org(session, org.id, provider_id=event.provider_id)
    await _org_updated(uow, org.id, actor=actor)
    audience = await revisions.org_audience(session, org.id, event.provider_id)
    await revisions.bump(session, audience | await revisions.provider_audience(session, previous))


async def apply_client_org_removed(uow: UnitOfWork, event: ClientOrgRemovedV1, *, actor: Actor) -> None:
    """Detaching a client ends its provider users' access as soon as this commits."""
    session = uow.session
    org = await store.load_org(session, event.organization_id, lock=True)
    if org is None or org.provider_id != event.provider_id:
        log.warning("client_org.not_linked", organization_id=str(event.organization_id))
        return
    audience = await revisions.org_audience(session, org.id, org.provider_id)
    await store.update_org(session, org.id, provider_id=None)
    await _org_updated(uow, org.id, actor=actor)
    await revisions.bump(session, audience)


async def apply_client_seats_changed(uow: UnitOfWork, event: ClientSeatsChangedV1, *, actor: Actor) -> None:
    session = uow.session
    org = await store.load_org(session, event.organization_id, lock=True)
    if org is None:
        log.warning("client_org.unknown", organization_id=str(event.organization_id))
        return
    values: dict[str, object] = {"seats": event.seats}
    if event.name:
        values["name"] = event.name
    await store.update_org(session, org.id, **values)
    await _org_updated(uow, org.id, actor=actor)
    await revisions.bump_org(session, org.id, org.provider_id)
