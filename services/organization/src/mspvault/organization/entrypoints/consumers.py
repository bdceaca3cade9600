"""The organization's subscriptions: one line per event type (identity and provider events feed the read models
and create client organizations; its own and the vault's events feed the audit log, after them).

The inbox wraps each handler with its row and commits; handlers must not commit.
"""

from __future__ import annotations

from collections.abc import Callable

from mspvault.organization.service_layer import audit
from mspvault.organization.service_layer import projections as p
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.audit.codes import IDENTITY_CODES, ORGANIZATION_CODES, VAULT_CODES
from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import provider as pvc
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter


def build_event_router(work: Callable[[UnitOfWork], OrganizationWork]) -> EventRouter[OrganizationWork]:
    router = EventRouter(work=work)
    router.on(idc.UserRegisteredV1, p.user_registered)
    router.on(idc.UserKeysSetV1, p.user_keys_set)
    router.on(idc.UserProfileUpdatedV1, p.user_profile_updated)
    router.on(idc.UserDeletedV1, p.user_deleted)
    router.on_with_envelope(idc.TwoFactorEnabledV1, p.two_factor_changed)
    router.on_with_envelope(idc.TwoFactorDisabledV1, p.two_factor_changed)
    router.on_with_envelope(idc.TwoFactorRecoveredV1, p.two_factor_changed)
    router.on(pvc.ProviderCreatedV1, p.provider_created)
    router.on(pvc.ProviderUpdatedV1, p.provider_updated)
    router.on_with_envelope(pvc.ProviderUserInvitedV1, p.provider_user_saved)
    router.on_with_envelope(pvc.ProviderUserAcceptedV1, p.provider_user_saved)
    router.on_with_envelope(pvc.ProviderUserConfirmedV1, p.provider_user_saved)
    router.on_with_envelope(pvc.ProviderUserUpdatedV1, p.provider_user_saved)
    router.on_with_envelope(pvc.ProviderUserRevokedV1, p.provider_user_saved)
    router.on_with_envelope(pvc.ProviderUserRestoredV1, p.provider_user_saved)
    router.on_with_envelope(pvc.ProviderUserRemovedV1, p.provider_user_removed)
    router.on_with_envelope(pvc.ClientOrgCreatedV1, p.client_org_created)
    router.on_with_envelope(pvc.ClientOrgAddedV1, p.client_org_added)
    router.on_with_envelope(pvc.ClientOrgRemovedV1, p.client_org_removed)
    router.on_with_envelope(pvc.ClientSeatsChangedV1, p.client_seats_changed)
    # The audit log records each event in the same inbox transaction, after the handler it may follow.
    for event in ORGANIZATION_CODES:
        router.also(event, audit.record_own_event)
    for event in VAULT_CODES:
        router.also(event, audit.record_vault_event)
    for event in IDENTITY_CODES:
        router.also(event, audit.record_user_event)
    return router
