"""Commands on client organizations; any active provider user may run them (DESIGN.md §1: Service Users too)."""

from __future__ import annotations

import uuid

from mspvault.provider.domain.client import ClientLink, NewClientOrg
from mspvault.provider.domain.errors import ClientNotFound, OrganizationAlreadyLinked
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer.common import actor, publish_all
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.auth.principal import Principal


async def _member_roster(work: ProviderWork, caller: Principal, provider_id: uuid.UUID) -> Roster:
    roster = await work.store.load_roster(provider_id)
    roster.member(caller.user_id)
    return roster


async def _finish(work: ProviderWork, roster: Roster, link: ClientLink, caller: Principal) -> None:
    publish_all(work, link.events, actor(caller.user_id, roster.provider.id))
    link.events.clear()
    # Every provider user's sync lists the provider's clients, so all of them see the change.
    await work.store.bump_revisions(roster.users_with_accounts(), work.clock())
    await work.uow.commit()


async def create_client(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, request: NewClientOrg
) -> ClientLink:
    roster = await _member_roster(work, caller, provider_id)
    link = ClientLink.create(roster.provider, request, work.clock())
    await work.store.add_client(link)
    await _finish(work, roster, link, caller)
    return link


async def add_existing_client(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, organization_id: uuid.UUID, key: str
) -> ClientLink:
    """Link an organization the caller owns (confirmed Owner, per the read model fed by organization events)."""
    roster = await _member_roster(work, caller, provider_id)
    org = await work.store.known_organization(organization_id)
    if org is None or not await work.store.is_confirmed_owner(organization_id, caller.user_id):
        raise ClientNotFound()
    if org.provider_id is not None:
        raise OrganizationAlreadyLinked()
    link = ClientLink.add_existing(roster.provider, org, key, work.clock())
    await work.store.add_client(link)
    await _finish(work, roster, link, caller)
    return link


async def change_client(
    work: ProviderWork,
    caller: Principal,
    provider_id: uuid.UUID,
    link_id: uuid.UUID,
    *,
    seats: int,
    name: str | None,
    provider_access_to_items: bool | None = None,
) -> ClientLink:
    """Seats, name and (when given) whether the provider's users reach the client's items."""
    roster = await _member_roster(work, caller, provider_id)
    link = await work.store.load_client(provider_id, link_id)
    link.change(seats=seats, name=name, now=work.clock(), provider_access_to_items=provider_access_to_items)
    await work.store.save_client(link)
    await _finish(work, roster, link, caller)
    return link


async def detach_client(work: ProviderWork, caller: Principal, provider_id: uuid.UUID, link_id: uuid.UUID) -> None:
    roster = await _member_roster(work, caller, provider_id)
    link = await work.store.load_client(provider_id, link_id)
    link.detach(org_has_confirmed_owner=await work.store.has_confirmed_owner(link.organization_id))
    await work.store.delete_client(link)
    await _finish(work, roster, link, caller)
