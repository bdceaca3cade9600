"""Consumers of identity.events and organization.events, feeding this service's read models.

The inbox wraps each handler with its row and commits; handlers here must not commit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mspvault.provider.adapters import read_models
from mspvault.provider.adapters.repository import bump_revisions
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.identity import (
    UserDeletedV1,
    UserKeysSetV1,
    UserProfileUpdatedV1,
    UserRegisteredV1,
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
from mspvault.shared.contracts.provider import ClientOrgRemovedV1
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.inbox import EventRouter

IDENTITY = events_topic("identity")
ORGANIZATION = events_topic("organization")


def build_event_router() -> EventRouter:
    router = EventRouter()

    @router.on(IDENTITY, UserRegisteredV1)
    async def user_registered(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(UserRegisteredV1)
        values = {"email": event.email.lower(), "name": event.name}
        if event.public_key is not None:
            values["public_key"] = event.public_key
        await read_models.upsert_user(uow.session, event.user_id, **values)

    @router.on(IDENTITY, UserKeysSetV1)
    async def user_keys_set(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(UserKeysSetV1)
        await read_models.upsert_user(uow.session, event.user_id, public_key=event.public_key)

    @router.on(IDENTITY, UserProfileUpdatedV1)
    async def user_profile_updated(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(UserProfileUpdatedV1)
        await read_models.upsert_user(uow.session, event.user_id, email=event.email.lower(), name=event.name)

    @router.on(IDENTITY, UserDeletedV1)
    async def user_deleted(uow: UnitOfWork, envelope: Envelope) -> None:
        await read_models.delete_user(uow.session, envelope.payload_as(UserDeletedV1).user_id)

    @router.on(ORGANIZATION, OrganizationCreatedV1)
    async def organization_created(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(OrganizationCreatedV1)
        await read_models.upsert_organization(
            uow.session,
            event.organization_id,
            name=event.name,
            provider_id=event.provider_id,
            plan_type=event.plan_type,
            seats=event.seats,
        )

    @router.on(ORGANIZATION, OrganizationUpdatedV1)
    async def organization_updated(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(OrganizationUpdatedV1)
        await read_models.update_organization(
            uow.session, event.organization_id, name=event.name, enabled=event.enabled, provider_id=event.provider_id
        )
        await read_models.rename_client(uow.session, event.organization_id, event.name, datetime.now(UTC))

    @router.on(ORGANIZATION, OrganizationDeletedV1)
    async def organization_deleted(uow: UnitOfWork, envelope: Envelope) -> None:
        event = envelope.payload_as(OrganizationDeletedV1)
        await read_models.delete_organization(uow.session, event.organization_id)
        provider_id = await read_models.delete_client_link(uow.session, event.organization_id)
        if provider_id is not None:
            # The client is gone: say so on our topic too, and refresh every provider user's view.
            uow.publish(
                ClientOrgRemovedV1(provider_id=provider_id, organization_id=event.organization_id),
                actor=Actor(user_id=envelope.actor.user_id, provider_id=provider_id),
            )
            accounts = await read_models.provider_accounts(uow.session, provider_id)
            await bump_revisions(uow.session, accounts, datetime.now(UTC))

    @router.on(
        ORGANIZATION,
        MemberInvitedV1,
        MemberAcceptedV1,
        MemberConfirmedV1,
        MemberUpdatedV1,
        MemberRevokedV1,
        MemberRestoredV1,
    )
    async def member_changed(uow: UnitOfWork, envelope: Envelope) -> None:
        # Every member event carries the member's whole current state (type, status, user): one upsert fits all,
        # and the owners among them are who may add their organization as a client.
        event = envelope.payload_as(MemberUpdatedV1)
        await read_models.upsert_member(
            uow.session,
            event.member_id,
            organization_id=event.organization_id,
            user_id=event.user_id,
            type=event.type,
            status=event.status,
        )

    @router.on(ORGANIZATION, MemberRemovedV1)
    async def member_removed(uow: UnitOfWork, envelope: Envelope) -> None:
        await read_models.delete_member(uow.session, envelope.payload_as(MemberRemovedV1).member_id)

    return router
