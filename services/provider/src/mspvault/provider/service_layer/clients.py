"""Commands on client organizations; any active provider user may run them (DESIGN.md §1: Service Users too)."""

from __future__ import annotations

import uuid

from mspvault.provider.domain.client import ClientLink
from mspvault.provider.domain.errors import ClientNotFound, OrganizationAlreadyLinked
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer.commands import AddExistingClient, ChangeClient, CreateClient, DetachClient
from mspvault.provider.service_layer.common import actor, publish_all
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.auth.principal import Principal


async def _member_roster(work: ProviderWork, caller: Principal, provider_id: uuid.UUID) -> Roster:
    roster = await work.store.load_roster(provider_id)
    roster.member(caller.user_id)
    return roster


async def _member_and_link(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, link_id: uuid.UUID
) -> tuple[Roster, ClientLink]:
    """The provider's roster, of which the caller must be a user, and one of its client links."""
    roster = await _member_roster(work, caller, provider_id)
    return roster, await work.store.load_client(provider_id, link_id)


async def _finish(
    work: ProviderWork, roster: Roster, link: ClientLink, caller: Principal, *, bump_users: bool = True
) -> None:
    publish_all(work, link.events, actor(caller.user_id, roster.provider.id))
    link.events.clear()
    if bump_users:
        # Every provider user's sync lists the provider's clients, so all of them see the change.
        await work.store.bump_revisions(roster.users_with_accounts(), work.clock())
    else:
        # Their rows stay as they are, but the change is announced all the same (RevisionsBumped): the gateway
        # answers revision-date polls from these announcements, not from `queries.revision_date`.
        work.uow.revised(roster.users_with_accounts(), link.revision_date)
    await work.uow.commit()


async def create_client(work: ProviderWork, caller: Principal, command: CreateClient) -> ClientLink:
    roster = await _member_roster(work, caller, command.provider_id)
    link = ClientLink.create(
        roster.provider,
        name=command.name,
        owner_email=command.owner_email,
        plan_type=command.plan_type,
        seats=command.seats,
        key=command.key,
        public_key=command.public_key,
        encrypted_private_key=command.encrypted_private_key,
        collection_name=command.collection_name,
        now=work.clock(),
    )
    await work.store.add_client(link)
    # The new link's revision date is already every provider user's (`queries.revision_date` takes the latest of
    # their providers' links): bumping their rows here made concurrent creations queue on those row locks.
    await _finish(work, roster, link, caller, bump_users=False)
    return link


async def add_existing_client(work: ProviderWork, caller: Principal, command: AddExistingClient) -> ClientLink:
    """Link an organization the caller owns (confirmed Owner, per the read model fed by organization events)."""
    roster = await _member_roster(work, caller, command.provider_id)
    org = await work.store.known_organization(command.organization_id)
    if org is None or not await work.store.is_confirmed_owner(command.organization_id, caller.user_id):
        raise ClientNotFound()
    if org.provider_id is not None:
        raise OrganizationAlreadyLinked()
    link = ClientLink.add_existing(roster.provider, org, command.key, work.clock())
    await work.store.add_client(link)
    await _finish(work, roster, link, caller)
    return link


async def change_client(work: ProviderWork, caller: Principal, command: ChangeClient) -> ClientLink:
    """Seats, name and (when given) whether the provider's users reach the client's items."""
    roster, link = await _member_and_link(work, caller, command.provider_id, command.link_id)
    link.change(
        seats=command.seats,
        name=command.name,
        now=work.clock(),
        provider_access_to_items=command.provider_access_to_items,
    )
    await work.store.save_client(link)
    await _finish(work, roster, link, caller)
    return link


async def detach_client(work: ProviderWork, caller: Principal, command: DetachClient) -> None:
    roster, link = await _member_and_link(work, caller, command.provider_id, command.link_id)
    link.detach(org_has_confirmed_owner=await work.store.has_confirmed_owner(link.organization_id))
    await work.store.delete_client(link)
    await _finish(work, roster, link, caller)
