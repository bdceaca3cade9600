"""The provider's subscriptions: one line per event type (identity and organization events feed the read models;
the provider's own, organization and vault events feed the audit log, after the read models).

The inbox wraps each handler with its row and commits; handlers must not commit.
"""

from __future__ import annotations

from collections.abc import Callable

from mspvault.provider.service_layer import audit
from mspvault.provider.service_layer import projections as p
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.audit.codes import ORGANIZATION_CODES, PROVIDER_CODES, VAULT_CODES
from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import organization as oc
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter


def build_event_router(work: Callable[[UnitOfWork], ProviderWork]) -> EventRouter[ProviderWork]:
    router = EventRouter(work=work)
    router.on(idc.UserRegisteredV1, p.user_registered)
    router.on(idc.UserKeysSetV1, p.user_keys_set)
    router.on(idc.UserProfileUpdatedV1, p.user_profile_updated)
    router.on(idc.UserDeletedV1, p.user_deleted)
    router.on(oc.OrganizationCreatedV1, p.organization_created)
    router.on(oc.OrganizationUpdatedV1, p.organization_updated)
    router.on_with_envelope(oc.OrganizationDeletedV1, p.organization_deleted)
    router.on_with_envelope(oc.MemberInvitedV1, p.member_saved)
    router.on_with_envelope(oc.MemberAcceptedV1, p.member_saved)
    router.on_with_envelope(oc.MemberConfirmedV1, p.member_saved)
    router.on_with_envelope(oc.MemberUpdatedV1, p.member_saved)
    router.on_with_envelope(oc.MemberRevokedV1, p.member_saved)
    router.on_with_envelope(oc.MemberRestoredV1, p.member_saved)
    router.on_with_envelope(oc.MemberRemovedV1, p.member_removed)
    # The audit log records each event in the same inbox transaction, after the read model it may read.
    for event in PROVIDER_CODES:
        router.also(event, audit.record_own_event)
    for event in ORGANIZATION_CODES:
        router.also(event, audit.record_organization_event)
    for event in VAULT_CODES:
        router.also(event, audit.record_vault_event)
    return router
