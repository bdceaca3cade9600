"""Kafka consumers: identity and provider events feed the read models and create client organizations.

Each handler runs inside the inbox transaction (the consumer commits); the same event twice is a no-op.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mspvault.organization.service_layer import organizations, projections
from mspvault.organization.service_layer.invites import InviteMailer
from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import provider as pvc
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.inbox import EventRouter

IDENTITY = events_topic("identity")
PROVIDER = events_topic("provider")


def _actor(envelope: Envelope) -> Actor:
    return envelope.actor


def build_event_router(mailer: InviteMailer) -> EventRouter:
    events = EventRouter()

    @events.on(IDENTITY, idc.UserRegisteredV1)
    async def user_registered(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.user_registered(uow.session, envelope.payload_as(idc.UserRegisteredV1))

    @events.on(IDENTITY, idc.UserKeysSetV1)
    async def user_keys_set(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.user_keys_set(uow.session, envelope.payload_as(idc.UserKeysSetV1))

    @events.on(IDENTITY, idc.UserProfileUpdatedV1)
    async def user_profile_updated(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.user_profile_updated(uow.session, envelope.payload_as(idc.UserProfileUpdatedV1))

    @events.on(IDENTITY, idc.UserDeletedV1)
    async def user_deleted(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.user_deleted(uow.session, envelope.payload_as(idc.UserDeletedV1))

    @events.on(PROVIDER, pvc.ProviderCreatedV1)
    async def provider_created(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.provider_saved(uow.session, envelope.payload_as(pvc.ProviderCreatedV1))

    @events.on(PROVIDER, pvc.ProviderUpdatedV1)
    async def provider_updated(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.provider_saved(uow.session, envelope.payload_as(pvc.ProviderUpdatedV1))

    provider_user_events: tuple[type[projections.ProviderUserEvent], ...] = (
        pvc.ProviderUserInvitedV1,
        pvc.ProviderUserAcceptedV1,
        pvc.ProviderUserConfirmedV1,
        pvc.ProviderUserUpdatedV1,
        pvc.ProviderUserRevokedV1,
        pvc.ProviderUserRestoredV1,
    )
    models = {model.event_type: model for model in provider_user_events}

    @events.on(PROVIDER, *provider_user_events)
    async def provider_user_changed(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.provider_user_changed(uow.session, envelope.payload_as(models[envelope.type]))

    @events.on(PROVIDER, pvc.ProviderUserRemovedV1)
    async def provider_user_removed(uow: UnitOfWork, envelope: Envelope) -> None:
        await projections.provider_user_removed(uow.session, envelope.payload_as(pvc.ProviderUserRemovedV1))

    @events.on(PROVIDER, pvc.ClientOrgCreatedV1)
    async def client_org_created(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(pvc.ClientOrgCreatedV1)
        await organizations.apply_client_org_created(uow, event, mailer, actor=_actor(envelope), now=datetime.now(UTC))

    @events.on(PROVIDER, pvc.ClientOrgAddedV1)
    async def client_org_added(uow: UnitOfWork, envelope: Envelope) -> None:
        await organizations.apply_client_org_added(
            uow, envelope.payload_as(pvc.ClientOrgAddedV1), actor=_actor(envelope)
        )

    @events.on(PROVIDER, pvc.ClientOrgRemovedV1)
    async def client_org_removed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(pvc.ClientOrgRemovedV1)
        await organizations.apply_client_org_removed(uow, event, actor=_actor(envelope))

    @events.on(PROVIDER, pvc.ClientSeatsChangedV1)
    async def client_seats_changed(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(pvc.ClientSeatsChangedV1)
        await organizations.apply_client_seats_changed(uow, event, actor=_actor(envelope))

    return events
