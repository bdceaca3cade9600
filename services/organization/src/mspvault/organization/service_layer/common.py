"""Steps the handlers share: the caller's standing, reference checks, publishing, and collection access lists."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from mspvault.organization.domain.access import access_changed_events
from mspvault.organization.domain.delegation import check_manages
from mspvault.organization.domain.errors import OrganizationNotFound, UnknownReference
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import MemberType, ProviderAccess, Standing, effective_role
from mspvault.organization.service_layer.ports import Kind, OrganizationStore, OrganizationWork
from mspvault.shared.contracts.envelope import Actor, EventData
from mspvault.shared.observability.origin import acting


async def standing_in(
    store: OrganizationStore, org_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> tuple[Organization, Standing]:
    """The organization and the caller's rights in it. No standing at all: 404 (`OrganizationNotFound`), so an
    organization's ids do not leak to who may not see it."""
    org = await store.load_org(org_id, lock=lock)
    if org is None:
        raise OrganizationNotFound()
    facts = await store.membership_facts(org_id, user_id)
    access = None
    if org.provider_id is not None and await store.is_active_provider_user(org.provider_id, user_id):
        access = ProviderAccess(org.provider_id)
    standing = effective_role(facts, access)
    if standing is None:
        raise OrganizationNotFound()
    return org, standing


def actor_of(user_id: uuid.UUID, standing: Standing | None = None) -> Actor:
    """The caller as the actor of the events they cause: for a provider when their rights come through its link,
    with the request's device type and address (audit logs show all three)."""
    return acting(user_id, standing.provider_id if standing else None)


async def require_in_org(
    work: OrganizationWork, org_id: uuid.UUID, ids: Iterable[uuid.UUID], *, kind: Kind, field: str
) -> None:
    """Every id names a row of this organization (collections, groups or members)."""
    wanted = set(ids)
    if wanted and await work.store.ids_in_org(kind, org_id, wanted) != wanted:
        raise UnknownReference(kind, field)


async def require_manages(
    work: OrganizationWork, standing: Standing, granted: Iterable[uuid.UUID], *, field: str
) -> None:
    """The caller manages every collection a change hands out (`domain/delegation.py`); run after `require_in_org`."""
    wanted = sorted(set(granted))
    if not wanted or standing.can_edit_any_collection:
        return
    own = {}
    if standing.member_id is not None:
        own = {cid: await work.store.caller_grant(standing.member_id, cid) for cid in wanted}
    check_manages(standing, own, wanted, field)


def publish_all(work: OrganizationWork, events: list[EventData], actor: Actor | None) -> None:
    for event in events:
        work.uow.publish(event, actor=actor)
    events.clear()


async def affected_by_member(
    work: OrganizationWork, org_id: uuid.UUID, member_id: uuid.UUID, member_type: MemberType
) -> set[uuid.UUID]:
    """Collections whose effective list may change with this member: Owners and Admins reach all of them."""
    if member_type in (MemberType.OWNER, MemberType.ADMIN):
        return await work.store.collections_of_org(org_id)
    return await work.store.collections_touching_member(member_id)


async def publish_access(
    work: OrganizationWork, org_id: uuid.UUID, collection_ids: Iterable[uuid.UUID], *, actor: Actor | None
) -> None:
    """Publish the full effective user list of each collection (`CollectionAccessChangedV1`)."""
    wanted = sorted(set(collection_ids))
    if not wanted:
        return
    # Collections deleted in this transaction have no list left to publish (CollectionDeleted says it all).
    existing = await work.store.existing_collections(wanted)
    wanted = [cid for cid in wanted if cid in existing]
    if not wanted:
        return
    graph = await work.store.access_graph(org_id, wanted)
    for event in access_changed_events(org_id, graph, wanted):
        work.uow.publish(event, actor=actor)


async def bump_org(work: OrganizationWork, org: Organization) -> None:
    """Everyone who sees the organization sees it differently now."""
    await work.store.bump_revisions(await work.store.org_audience(org.id, org.provider_id))
