"""Handlers of other services' events: they keep this service's read models and client links in step.

Each runs inside the inbox transaction (the consumer commits with the inbox row); none commits.
"""

from __future__ import annotations

from mspvault.provider.service_layer.common import actor, publish_all
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.identity import (
    UserDeletedV1,
)
from mspvault.shared.contracts.organization import (
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberInvitedV1,
    MemberRemovedV1,
    MemberRestoredV1,
    MemberRevokedV1,
    MemberUpdatedV1,
    OrganizationCreatedV1,
    OrganizationDeletedV1,
    OrganizationUpdatedV1,
)

# Every member event but removal carries the member's whole current state (type, status, user).
MemberSaved = (
    MemberInvitedV1 | MemberAcceptedV1 | MemberConfirmedV1 | MemberUpdatedV1 | MemberRevokedV1 | MemberRestoredV1
)


async def user_deleted(work: ProviderWork, event: UserDeletedV1) -> None:
    """The account is gone: so are its provider-user rows (each a ProviderUserRemoved, which the other services
    follow), and the user from the read model."""
    await work.read_models.delete_user(event.user_id)
    for provider_id in await work.store.providers_of_account(event.user_id):
        roster = await work.store.load_roster(provider_id, lock=True)
        if roster.account_deleted(event.user_id):
            await work.store.save_roster(roster)
            publish_all(work, roster.events, actor(event.user_id, provider_id))
            roster.events.clear()
            await work.store.bump_revisions(roster.affected_users, work.clock())


async def organization_created(work: ProviderWork, event: OrganizationCreatedV1) -> None:
    await work.read_models.save_organization(
        event.organization_id,
        name=event.name,
        provider_id=event.provider_id,
        plan_type=event.plan_type,
        seats=event.seats,
    )


async def organization_updated(work: ProviderWork, event: OrganizationUpdatedV1) -> None:
    await work.read_models.update_organization(
        event.organization_id, name=event.name, enabled=event.enabled, provider_id=event.provider_id
    )
    now = work.clock()
    provider_id = await work.read_models.rename_client(event.organization_id, event.name, now)
    if provider_id is not None:  # a client's name changed: its provider users' sync shows it
        await work.store.bump_revisions(await work.store.provider_accounts(provider_id), now)


async def organization_deleted(work: ProviderWork, event: OrganizationDeletedV1, envelope: Envelope) -> None:
    """A deleted client ends its link: say so on our topic too, and refresh every provider user's view."""
    await work.read_models.delete_organization(event.organization_id)
    link = await work.store.client_of_organization(event.organization_id)
    if link is None:
        return
    link.organization_deleted()
    await work.store.delete_client(link)
    publish_all(work, link.events, Actor(user_id=envelope.actor.user_id, provider_id=link.provider_id))
    link.events.clear()
    await work.store.bump_revisions(await work.store.provider_accounts(link.provider_id), work.clock())


async def member_saved(work: ProviderWork, event: MemberSaved, envelope: Envelope) -> None:
    # The owners among members are who may add their organization as a client; an older event is ignored.
    await work.read_models.save_member(
        event.member_id,
        organization_id=event.organization_id,
        user_id=event.user_id,
        type=event.type,
        status=event.status,
        as_of=envelope.occurred_at,
    )


async def member_removed(work: ProviderWork, event: MemberRemovedV1, envelope: Envelope) -> None:
    await work.read_models.delete_member(
        event.member_id, organization_id=event.organization_id, type=event.type, as_of=envelope.occurred_at
    )
