"""Handlers of other services' events: identity's users and the provider's providers, provider users and clients.

Each runs inside the inbox transaction (the consumer commits with the inbox row); none commits. Events about the
same provider user may arrive for a row never seen (e.g. Confirmed first after a replay), so each one upserts.
"""

from __future__ import annotations

from mspvault.organization.domain.access import AccessGraph, AccessMember, access_changed_events
from mspvault.organization.domain.collections import Collection
from mspvault.organization.domain.invite_token import new_nonce
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer.common import affected_by_member, bump_org, publish_access, publish_all
from mspvault.organization.service_layer.invites import send_invite
from mspvault.organization.service_layer.policies import revoke_members
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.identity import (
    TwoFactorDisabledV1,
    TwoFactorEnabledV1,
    TwoFactorRecoveredV1,
    UserDeletedV1,
)
from mspvault.shared.contracts.provider import (
    ClientOrgAddedV1,
    ClientOrgCreatedV1,
    ClientOrgRemovedV1,
    ClientSeatsChangedV1,
    ProviderCreatedV1,
    ProviderUpdatedV1,
    ProviderUserAcceptedV1,
    ProviderUserConfirmedV1,
    ProviderUserInvitedV1,
    ProviderUserRemovedV1,
    ProviderUserRestoredV1,
    ProviderUserRevokedV1,
    ProviderUserUpdatedV1,
)
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)


# ---- identity: users ---------------------------------------------------------------------------------------------
async def user_deleted(work: OrganizationWork, event: UserDeletedV1) -> None:
    """The account is gone: so are its memberships (each a MemberRemoved with the access lists it changed, which
    the vault and provider follow), and the user from the read model. Identity refused the deletion of an account
    that was some organization's only Owner."""
    await work.read_models.delete_user(event.user_id)
    actor = Actor(user_id=event.user_id)
    for member in await work.store.memberships_of_account(event.user_id):
        touched = await affected_by_member(work, member.organization_id, member.id, member.type)
        member.remove()
        await work.store.remove_member(member)
        publish_all(work, member.events, actor)
        await publish_access(work, member.organization_id, touched, actor=actor)


TwoFactorChanged = TwoFactorEnabledV1 | TwoFactorDisabledV1 | TwoFactorRecoveredV1


async def two_factor_changed(work: OrganizationWork, event: TwoFactorChanged, envelope: Envelope) -> None:
    """Keep whether the user has two-step login. When none is left, revoke them where Require two-step login is on
    (Bitwarden does the same when a user turns it off); Owners and Admins are exempt. An event older than the one
    applied changes nothing (a replay cannot undo a newer state)."""
    enabled = not isinstance(event, TwoFactorRecoveredV1) and bool(event.providers)
    applied = await work.read_models.set_two_factor(event.user_id, enabled=enabled, as_of=envelope.occurred_at)
    if not applied or enabled:
        return
    for member in await work.store.memberships_requiring_two_factor(event.user_id):
        await revoke_members(work, member.organization_id, [member], envelope.actor)
        org = await work.store.load_org(member.organization_id)
        if org is not None:
            await bump_org(work, org)
    await work.store.bump_revisions([event.user_id])


# ---- provider: providers and their users -------------------------------------------------------------------------
async def provider_created(work: OrganizationWork, event: ProviderCreatedV1) -> None:
    await work.read_models.save_provider(event.provider_id, name=event.name, type=event.type)


async def provider_updated(work: OrganizationWork, event: ProviderUpdatedV1) -> None:
    await work.read_models.save_provider(event.provider_id, name=event.name, enabled=event.enabled)


ProviderUserSaved = (
    ProviderUserInvitedV1
    | ProviderUserAcceptedV1
    | ProviderUserConfirmedV1
    | ProviderUserUpdatedV1
    | ProviderUserRevokedV1
    | ProviderUserRestoredV1
)

_STATUS_OF: dict[type[ProviderUserSaved], MemberStatus] = {
    ProviderUserInvitedV1: MemberStatus.INVITED,
    ProviderUserAcceptedV1: MemberStatus.ACCEPTED,
    ProviderUserConfirmedV1: MemberStatus.CONFIRMED,
}
_REVOKED_BY: dict[type[ProviderUserSaved], bool] = {ProviderUserRevokedV1: True, ProviderUserRestoredV1: False}


async def provider_user_saved(work: OrganizationWork, event: ProviderUserSaved, envelope: Envelope) -> None:
    """Keep who is an active provider user; access through client links follows at once, by query. An event older
    than what the row reflects (a DLQ replay, a redelivery) changes nothing."""
    status = _STATUS_OF.get(type(event))
    before = await work.read_models.save_provider_user(
        event.provider_user_id,
        provider_id=event.provider_id,
        type=event.type,
        user_id=event.user_id,
        status=int(status) if status is not None else None,
        revoked=_REVOKED_BY.get(type(event)),
        as_of=envelope.occurred_at,
    )
    await work.store.bump_revisions([before, event.user_id])


async def provider_user_removed(work: OrganizationWork, event: ProviderUserRemovedV1, envelope: Envelope) -> None:
    removed = await work.read_models.delete_provider_user(
        event.provider_user_id, provider_id=event.provider_id, type=event.type, as_of=envelope.occurred_at
    )
    await work.store.bump_revisions([removed, event.user_id])


# ---- provider: client organizations ------------------------------------------------------------------------------
async def client_org_created(work: OrganizationWork, event: ClientOrgCreatedV1, envelope: Envelope) -> None:
    """Create the client organization, linked to its provider, and invite its owner by mail."""
    await work.store.remember_provider(event.provider_id, event.provider_name)
    org = Organization.for_client(
        id=event.organization_id,
        provider_id=event.provider_id,
        name=event.name,
        billing_email=event.billing_email,
        plan_type=event.plan_type,
        seats=event.seats,
        public_key=event.public_key,
        encrypted_private_key=event.encrypted_private_key,
    )
    if not await work.store.add_org_if_new(org):
        log.warning("client_org.exists", organization_id=str(event.organization_id))
        return
    publish_all(work, org.events, envelope.actor)
    # The system's own invite of the first owner is not bound by seats: the provider chose them with the org.
    owner = Member.invite(org.id, event.owner_email, MemberType.OWNER, nonce=new_nonce())
    await work.store.add_member(owner)
    publish_all(work, owner.events, envelope.actor)
    await send_invite(work, org, owner, invited_by=None)
    if event.collection_name:
        collection = Collection.default(org.id, event.collection_name)
        await work.store.add_collection(collection)
        publish_all(work, collection.events, envelope.actor)
        # The organization is new in this transaction: its one member is the invited owner and the collection has
        # no grants, so its access list follows without reading them back.
        graph = AccessGraph.of_members([AccessMember(owner.id, owner.user_id, owner.type, owner.status)])
        for access in access_changed_events(org.id, graph, [collection.id]):
            work.uow.publish(access, actor=envelope.actor)
    await work.store.bump_revisions(await work.store.provider_audience(org.provider_id))


async def client_org_added(work: OrganizationWork, event: ClientOrgAddedV1, envelope: Envelope) -> None:
    await work.store.remember_provider(event.provider_id, event.provider_name)
    org = await work.store.load_org(event.organization_id, lock=True)
    if org is None:
        log.warning("client_org.unknown", organization_id=str(event.organization_id))
        return
    previous = org.provider_id
    org.link_provider(event.provider_id)
    await work.store.save_org(org)
    publish_all(work, org.events, envelope.actor)
    audience = await work.store.org_audience(org.id, event.provider_id)
    await work.store.bump_revisions(audience | await work.store.provider_audience(previous))


async def client_org_removed(work: OrganizationWork, event: ClientOrgRemovedV1, envelope: Envelope) -> None:
    """Detaching a client ends its provider users' access as soon as this commits."""
    org = await work.store.load_org(event.organization_id, lock=True)
    if org is None or org.provider_id != event.provider_id:
        log.warning("client_org.not_linked", organization_id=str(event.organization_id))
        return
    audience = await work.store.org_audience(org.id, org.provider_id)
    org.link_provider(None)
    await work.store.save_org(org)
    publish_all(work, org.events, envelope.actor)
    await work.store.bump_revisions(audience)


async def client_seats_changed(work: OrganizationWork, event: ClientSeatsChangedV1, envelope: Envelope) -> None:
    org = await work.store.load_org(event.organization_id, lock=True)
    if org is None:
        log.warning("client_org.unknown", organization_id=str(event.organization_id))
        return
    org.change_seats(event.seats, event.name)
    await work.store.save_org(org)
    publish_all(work, org.events, envelope.actor)
    await bump_org(work, org)
