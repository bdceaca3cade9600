"""The vault's subscriptions: identity, organization and provider events feed its read models (no HTTP to them),
and its own cipher events feed the item event log. One line per event type."""

from __future__ import annotations

from collections.abc import Callable

from mspvault.shared.audit.codes import VAULT_CODES
from mspvault.shared.audit.recording import also_record
from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter
from mspvault.vault.service_layer import audit, projections
from mspvault.vault.service_layer.ports import VaultWork


def build_event_router(work: Callable[[UnitOfWork], VaultWork], *, own_topic: str) -> EventRouter[VaultWork]:
    """`own_topic` is where the vault's own events arrive (tests run each vault under a topic of its own)."""

    async def record_cipher_event(uow: UnitOfWork, envelope: Envelope) -> None:
        await audit.record_cipher_event(work(uow), envelope.payload(), envelope)

    router = EventRouter(work=work)
    router.on(idn.UserRegisteredV1, projections.user_registered)
    router.on(idn.UserProfileUpdatedV1, projections.user_profile_updated)
    router.on(idn.UserKeysSetV1, projections.user_keys_set)
    router.on(idn.UserDeletedV1, projections.user_deleted)

    router.on_with_envelope(org.OrganizationCreatedV1, projections.organization_created)
    router.on_with_envelope(org.OrganizationUpdatedV1, projections.organization_updated)
    router.on_with_envelope(org.OrganizationDeletedV1, projections.organization_deleted)
    router.on_with_envelope(org.MemberInvitedV1, projections.member_saved)
    router.on_with_envelope(org.MemberAcceptedV1, projections.member_saved)
    router.on_with_envelope(org.MemberConfirmedV1, projections.member_saved)
    router.on_with_envelope(org.MemberUpdatedV1, projections.member_saved)
    router.on_with_envelope(org.MemberRevokedV1, projections.member_saved)
    router.on_with_envelope(org.MemberRestoredV1, projections.member_saved)
    router.on_with_envelope(org.MemberRemovedV1, projections.member_removed)
    router.on(org.CollectionCreatedV1, projections.collection_saved)
    router.on(org.CollectionUpdatedV1, projections.collection_saved)
    router.on_with_envelope(org.CollectionDeletedV1, projections.collection_deleted)
    router.on_with_envelope(org.CollectionAccessChangedV1, projections.collection_access_changed)

    router.on_with_envelope(prv.ProviderUserInvitedV1, projections.provider_user_known)
    router.on_with_envelope(prv.ProviderUserAcceptedV1, projections.provider_user_known)
    router.on_with_envelope(prv.ProviderUserUpdatedV1, projections.provider_user_known)
    router.on_with_envelope(prv.ProviderUserConfirmedV1, projections.provider_user_confirmed)
    router.on_with_envelope(prv.ProviderUserRevokedV1, projections.provider_user_revoked)
    router.on_with_envelope(prv.ProviderUserRestoredV1, projections.provider_user_restored)
    router.on_with_envelope(prv.ProviderUserRemovedV1, projections.provider_user_removed)
    router.on_with_envelope(prv.ClientOrgCreatedV1, projections.client_org_linked)
    router.on_with_envelope(prv.ClientOrgAddedV1, projections.client_org_linked)
    router.on_with_envelope(prv.ClientOrgRemovedV1, projections.client_org_removed)
    router.on(prv.ClientSettingsChangedV1, projections.client_settings_changed)

    # The vault's own cipher events, recorded in the item event log (on `own_topic`, hence not `router.also`).
    also_record(router, own_topic, VAULT_CODES, record_cipher_event)
    return router
