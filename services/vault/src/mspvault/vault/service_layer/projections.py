"""Handlers of other services' events: they keep the read models and bump the revision date of every user whose
view of the vault changed, so their next `bw sync` fetches again.

They run inside the inbox consumer's unit of work (it commits, together with the inbox row); they never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.vault import CipherDeletedV1
from mspvault.vault.domain.access import audience_of, membership_of
from mspvault.vault.service_layer.ports import VaultWork

MemberSaved = (
    org.MemberInvitedV1
    | org.MemberAcceptedV1
    | org.MemberConfirmedV1
    | org.MemberUpdatedV1
    | org.MemberRevokedV1
    | org.MemberRestoredV1
)
ProviderUserKnown = prv.ProviderUserInvitedV1 | prv.ProviderUserAcceptedV1 | prv.ProviderUserUpdatedV1


async def _bump(work: VaultWork, user_ids: Iterable[uuid.UUID | None]) -> None:
    # The transaction's moment: a batch of events bumping the same users (a provider's, for each client created)
    # then writes their rows once.
    await work.store.bump_revisions((uid for uid in user_ids if uid is not None), work.uow.moment(work.clock))


# --- identity.events --------------------------------------------------------------------------------------------------


async def user_deleted(work: VaultWork, event: idn.UserDeletedV1) -> None:
    """The account is gone: so are its personal items, folders and per-user prefs."""
    user_id = event.user_id
    for cipher_id in await work.read_models.delete_user(user_id):
        work.uow.publish(
            CipherDeletedV1(owner_id=user_id, cipher_id=cipher_id, user_id=user_id), actor=Actor(user_id=user_id)
        )


# --- organization.events ----------------------------------------------------------------------------------------------


async def _organization_saved(work: VaultWork, organization_id: uuid.UUID, name: str, enabled: bool) -> None:
    previous = await work.read_models.save_organization(organization_id, name=name, enabled=enabled)
    if previous is not None and previous != enabled:
        await _bump(work, await work.read_models.everyone_in_org(organization_id))


async def organization_created(work: VaultWork, event: org.OrganizationCreatedV1, envelope: Envelope) -> None:
    await _organization_saved(work, event.organization_id, event.name, enabled=True)
    if event.provider_id is not None:
        await work.read_models.link_client(
            event.organization_id, event.provider_id, linked=True, as_of=envelope.occurred_at
        )


async def organization_updated(work: VaultWork, event: org.OrganizationUpdatedV1, envelope: Envelope) -> None:
    await _organization_saved(work, event.organization_id, event.name, enabled=event.enabled)
    if event.provider_id is not None:
        # Unlinks come from provider events only: an absent provider id here may just be old news.
        await work.read_models.link_client(
            event.organization_id, event.provider_id, linked=True, as_of=envelope.occurred_at
        )


async def organization_deleted(work: VaultWork, event: org.OrganizationDeletedV1, envelope: Envelope) -> None:
    """The organization is gone, and its items with it."""
    organization_id = event.organization_id
    affected = await work.read_models.everyone_in_org(organization_id)
    deleted = await work.read_models.delete_organization(organization_id)
    await _bump(work, affected)
    for cipher_id in deleted:
        work.uow.publish(
            CipherDeletedV1(owner_id=organization_id, cipher_id=cipher_id, organization_id=organization_id),
            actor=envelope.actor,
        )


async def member_saved(work: VaultWork, event: MemberSaved, envelope: Envelope) -> None:
    """A member was invited, accepted, confirmed, updated, revoked or restored: replace what we had, unless it
    reflects a newer event already."""
    user_id = await work.read_models.save_member(
        event.member_id,
        organization_id=event.organization_id,
        user_id=event.user_id,
        membership=membership_of(event.type, event.status, event.permissions),
        permissions=event.permissions,
        as_of=envelope.occurred_at,
    )
    await _bump(work, [user_id])


async def member_removed(work: VaultWork, event: org.MemberRemovedV1, envelope: Envelope) -> None:
    removed = await work.read_models.delete_member(
        event.member_id, organization_id=event.organization_id, member_type=event.type, as_of=envelope.occurred_at
    )
    await _bump(work, [event.user_id, removed])


async def collection_saved(work: VaultWork, event: org.CollectionCreatedV1 | org.CollectionUpdatedV1) -> None:
    await work.read_models.save_collection(event.collection_id, event.organization_id)


async def collection_deleted(work: VaultWork, event: org.CollectionDeletedV1, envelope: Envelope) -> None:
    """Its items stay in the organization; whoever saw them through it, or sees its id on them, must resync."""
    facts = await work.store.organization_audience(event.organization_id, [event.collection_id])
    await work.read_models.delete_collection(event.collection_id, event.organization_id, envelope.occurred_at)
    users = audience_of(facts, [event.collection_id]) | set(facts.collection_users.get(event.collection_id, ()))
    await _bump(work, users)


async def collection_access_changed(work: VaultWork, event: org.CollectionAccessChangedV1, envelope: Envelope) -> None:
    """The event carries the full effective list: replace ours (unless ours is newer), and bump whoever was or is
    on it."""
    await work.read_models.save_collection(event.collection_id, event.organization_id)
    before = await work.read_models.replace_collection_access(
        event.collection_id, event.organization_id, event.access, envelope.occurred_at
    )
    if before is not None:
        await _bump(work, before | {entry.user_id for entry in event.access})


# --- provider.events --------------------------------------------------------------------------------------------------


async def _provider_user_saved(
    work: VaultWork,
    event: ProviderUserKnown | prv.ProviderUserConfirmedV1 | prv.ProviderUserRevokedV1 | prv.ProviderUserRestoredV1,
    envelope: Envelope,
    *,
    confirmed: bool | None = None,
    revoked: bool | None = None,
) -> None:
    """`confirmed` / `revoked` change only when the event says so, and only if it is not older than the row."""
    user_id = await work.read_models.save_provider_user(
        event.provider_user_id,
        provider_id=event.provider_id,
        user_id=event.user_id,
        confirmed=confirmed,
        revoked=revoked,
        as_of=envelope.occurred_at,
    )
    await _bump(work, [user_id])


async def provider_user_known(work: VaultWork, event: ProviderUserKnown, envelope: Envelope) -> None:
    await _provider_user_saved(work, event, envelope)


async def provider_user_confirmed(work: VaultWork, event: prv.ProviderUserConfirmedV1, envelope: Envelope) -> None:
    await _provider_user_saved(work, event, envelope, confirmed=True, revoked=False)


async def provider_user_revoked(work: VaultWork, event: prv.ProviderUserRevokedV1, envelope: Envelope) -> None:
    await _provider_user_saved(work, event, envelope, revoked=True)


async def provider_user_restored(work: VaultWork, event: prv.ProviderUserRestoredV1, envelope: Envelope) -> None:
    await _provider_user_saved(work, event, envelope, revoked=False)


async def provider_user_removed(work: VaultWork, event: prv.ProviderUserRemovedV1, envelope: Envelope) -> None:
    removed = await work.read_models.delete_provider_user(
        event.provider_user_id, provider_id=event.provider_id, as_of=envelope.occurred_at
    )
    await _bump(work, [event.user_id, removed])


async def _client_linked(
    work: VaultWork,
    *,
    organization_id: uuid.UUID,
    provider_id: uuid.UUID,
    linked: bool,
    envelope: Envelope,
    name: str | None = None,
    provider_access_to_items: bool | None = None,
) -> None:
    """A client organization was created for, added to or removed from a provider: its users gain or lose it."""
    if name is not None:
        await work.read_models.know_organization(organization_id, name)
    await work.read_models.link_client(organization_id, provider_id, linked=linked, as_of=envelope.occurred_at)
    if provider_access_to_items is not None:
        await work.read_models.set_provider_access(organization_id, provider_id, provider_access_to_items)
    await _bump(work, await work.read_models.provider_accounts(provider_id))


async def client_org_linked(
    work: VaultWork, event: prv.ClientOrgCreatedV1 | prv.ClientOrgAddedV1, envelope: Envelope
) -> None:
    """A client created for the provider (its name is news to us) or an existing organization added to it."""
    await _client_linked(
        work,
        organization_id=event.organization_id,
        provider_id=event.provider_id,
        linked=True,
        envelope=envelope,
        name=event.name if isinstance(event, prv.ClientOrgCreatedV1) else None,
        provider_access_to_items=event.provider_access_to_items,
    )


async def client_org_removed(work: VaultWork, event: prv.ClientOrgRemovedV1, envelope: Envelope) -> None:
    await _client_linked(
        work, organization_id=event.organization_id, provider_id=event.provider_id, linked=False, envelope=envelope
    )


async def client_settings_changed(work: VaultWork, event: prv.ClientSettingsChangedV1) -> None:
    """The provider's users gain or lose the client's items; the organization's own members keep what they had."""
    changed = await work.read_models.set_provider_access(
        event.organization_id, event.provider_id, event.provider_access_to_items
    )
    if changed:
        await _bump(work, await work.read_models.provider_accounts(event.provider_id))
