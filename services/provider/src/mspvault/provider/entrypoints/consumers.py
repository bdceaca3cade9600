"""The provider's subscriptions: its projections' signatures (identity and organization events feed the read models;
the provider's own, organization and vault events feed the audit log, after the read models).

The inbox wraps each handler with its row and commits; handlers must not commit.
"""

from __future__ import annotations

from collections.abc import Callable

from mspvault.provider.service_layer import audit
from mspvault.provider.service_layer import projections as p
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared import user_projections
from mspvault.shared.audit.codes import ORGANIZATION_CODES, PROVIDER_CODES, VAULT_CODES
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter


def build_event_router(work: Callable[[UnitOfWork], ProviderWork]) -> EventRouter[ProviderWork]:
    router = EventRouter(work=work)
    router.subscribe(user_projections)  # registration, key and profile: the users read model
    router.subscribe(p)
    # The audit log records each event in the same inbox transaction, after the read model it may read.
    for event in PROVIDER_CODES:
        router.also(event, audit.record_own_event)
    for event in ORGANIZATION_CODES:
        router.also(event, audit.record_organization_event)
    for event in VAULT_CODES:
        router.also(event, audit.record_vault_event)
    return router
