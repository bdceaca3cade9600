"""The vault's subscriptions: identity, organization and provider events feed its read models (no HTTP to them)."""

from __future__ import annotations

from typing import TypeVar

from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.inbox import EventRouter
from mspvault.vault.service_layer import projections

IDENTITY = events_topic("identity")
ORGANIZATION = events_topic("organization")
PROVIDER = events_topic("provider")

MEMBER_EVENTS = (
    org.MemberInvitedV1,
    org.MemberAcceptedV1,
    org.MemberConfirmedV1,
    org.MemberUpdatedV1,
    org.MemberRevokedV1,
    org.MemberRestoredV1,
)
PROVIDER_USER_KNOWN = (prv.ProviderUserInvitedV1, prv.ProviderUserAcceptedV1, prv.ProviderUserUpdatedV1)

E = TypeVar("E", bound=EventData)


def _payload(envelope: Envelope, kinds: tuple[type[E], ...]) -> E:
    """The payload in its registered class, for handlers that take several event types with the same fields."""
    event = envelope.payload()
    if not isinstance(event, kinds):
        raise TypeError(f"unexpected {envelope.type} v{envelope.version}")
    return event


def build_event_router() -> EventRouter:
    router = EventRouter()

    @router.on(IDENTITY, idn.UserRegisteredV1)
    async def user_registered(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(idn.UserRegisteredV1)
        await projections.user_registered(uow, event.user_id, event.email, event.name, event.public_key)

    @router.on(IDENTITY, idn.UserProfileUpdatedV1)
    async def user_profile_updated(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(idn.UserProfileUpdatedV1)
        await projections.user_profile_updated(uow, event.user_id, event.email, event.name)

    @router.on(IDENTITY, idn.UserKeysSetV1)
    async def user_keys_set(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(idn.UserKeysSetV1)
        await projections.user_keys_set(uow, event.user_id, event.public_key)

    @router.on(IDENTITY, idn.UserDeletedV1)
    async def user_deleted(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.user_deleted(uow, envelope.payload_as(idn.UserDeletedV1).user_id)

    @router.on(ORGANIZATION, org.OrganizationCreatedV1)
    async def organization_created(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(org.OrganizationCreatedV1)
        await projections.organization_saved(uow, event.organization_id, event.name, enabled=True)
        if event.provider_id is not None:
            await projections.link_client(
                uow, event.organization_id, event.provider_id, linked=True, as_of=envelope.occurred_at
            )

    @router.on(ORGANIZATION, org.OrganizationUpdatedV1)
    async def organization_updated(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(org.OrganizationUpdatedV1)
        await projections.organization_saved(uow, event.organization_id, event.name, enabled=event.enabled)
        if event.provider_id is not None:
            # Unlinks come from provider events only: an absent provider id here may just be old news.
            await projections.link_client(
                uow, event.organization_id, event.provider_id, linked=True, as_of=envelope.occurred_at
            )

    @router.on(ORGANIZATION, org.OrganizationDeletedV1)
    async def organization_deleted(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(org.OrganizationDeletedV1)
        await projections.organization_deleted(uow, event.organization_id, envelope.actor)

    @router.on(ORGANIZATION, *MEMBER_EVENTS)
    async def member_saved(uow: UnitOfWork, envelope: Envelope) -> None:
        event = _payload(envelope, MEMBER_EVENTS)
        await projections.member_saved(
            uow,
            member_id=event.member_id,
            organization_id=event.organization_id,
            user_id=event.user_id,
            kind=event.type,
            status=event.status,
            extra=envelope.data,
        )

    @router.on(ORGANIZATION, org.MemberRemovedV1)
    async def member_removed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(org.MemberRemovedV1)
        await projections.member_removed(uow, event.member_id, event.user_id)

    @router.on(ORGANIZATION, org.CollectionCreatedV1, org.CollectionUpdatedV1)
    async def collection_saved(uow: UnitOfWork, envelope: Envelope) -> None:
        event = _payload(envelope, (org.CollectionCreatedV1,))  # CollectionUpdatedV1 is one too
        await projections.collection_saved(uow, event.collection_id, event.organization_id)

    @router.on(ORGANIZATION, org.CollectionDeletedV1)
    async def collection_deleted(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(org.CollectionDeletedV1)
        await projections.collection_deleted(uow, event.collection_id, event.organization_id)

    @router.on(ORGANIZATION, org.CollectionAccessChangedV1)
    async def collection_access_changed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(org.CollectionAccessChangedV1)
        await projections.collection_access_changed(uow, event.collection_id, event.organization_id, event.access)

    @router.on(PROVIDER, *PROVIDER_USER_KNOWN)
    async def provider_user_known(uow: UnitOfWork, envelope: Envelope) -> None:
        event = _payload(envelope, PROVIDER_USER_KNOWN)
        await projections.provider_user_saved(
            uow, provider_user_id=event.provider_user_id, provider_id=event.provider_id, user_id=event.user_id
        )

    @router.on(PROVIDER, prv.ProviderUserConfirmedV1)
    async def provider_user_confirmed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ProviderUserConfirmedV1)
        await projections.provider_user_saved(
            uow,
            provider_user_id=event.provider_user_id,
            provider_id=event.provider_id,
            user_id=event.user_id,
            confirmed=True,
            revoked=False,
        )

    @router.on(PROVIDER, prv.ProviderUserRevokedV1)
    async def provider_user_revoked(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ProviderUserRevokedV1)
        await projections.provider_user_saved(
            uow,
            provider_user_id=event.provider_user_id,
            provider_id=event.provider_id,
            user_id=event.user_id,
            revoked=True,
        )

    @router.on(PROVIDER, prv.ProviderUserRestoredV1)
    async def provider_user_restored(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ProviderUserRestoredV1)
        await projections.provider_user_saved(
            uow,
            provider_user_id=event.provider_user_id,
            provider_id=event.provider_id,
            user_id=event.user_id,
            revoked=False,
        )

    @router.on(PROVIDER, prv.ProviderUserRemovedV1)
    async def provider_user_removed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ProviderUserRemovedV1)
        await projections.provider_user_removed(uow, event.provider_user_id, event.user_id)

    @router.on(PROVIDER, prv.ClientOrgCreatedV1)
    async def client_org_created(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ClientOrgCreatedV1)
        await projections.client_linked(
            uow,
            organization_id=event.organization_id,
            provider_id=event.provider_id,
            linked=True,
            as_of=envelope.occurred_at,
            name=event.name,
            provider_access_to_items=event.provider_access_to_items,
        )

    @router.on(PROVIDER, prv.ClientOrgAddedV1)
    async def client_org_added(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ClientOrgAddedV1)
        await projections.client_linked(
            uow,
            organization_id=event.organization_id,
            provider_id=event.provider_id,
            linked=True,
            as_of=envelope.occurred_at,
            provider_access_to_items=event.provider_access_to_items,
        )

    @router.on(PROVIDER, prv.ClientOrgRemovedV1)
    async def client_org_removed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ClientOrgRemovedV1)
        await projections.client_linked(
            uow,
            organization_id=event.organization_id,
            provider_id=event.provider_id,
            linked=False,
            as_of=envelope.occurred_at,
        )

    @router.on(PROVIDER, prv.ClientSettingsChangedV1)
    async def client_settings_changed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(prv.ClientSettingsChangedV1)
        await projections.client_settings_changed(
            uow,
            organization_id=event.organization_id,
            provider_id=event.provider_id,
            provider_access_to_items=event.provider_access_to_items,
        )

    return router
