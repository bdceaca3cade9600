"""The organization's subscriptions: its projections' signatures (identity and provider events feed the read models
and create client organizations; its own and the vault's events feed the audit log, after them).

The inbox wraps each handler with its row and commits; handlers must not commit.
"""

from __future__ import annotations

from collections.abc import Callable

from mspvault.organization.service_layer import audit
from mspvault.organization.service_layer import projections as p
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared import user_projections
from mspvault.shared.audit.codes import IDENTITY_CODES, ORGANIZATION_CODES, VAULT_CODES
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter


def build_event_router(work: Callable[[UnitOfWork], OrganizationWork]) -> EventRouter[OrganizationWork]:
    router = EventRouter(work=work)
    router.subscribe(user_projections)  # registration, key and profile: the users read model
    router.subscribe(p)
    # The audit log records each event in the same inbox transaction, after the handler it may follow.
    for event in ORGANIZATION_CODES:
        router.also(event, audit.record_own_event)
    for event in VAULT_CODES:
        router.also(event, audit.record_vault_event)
    for event in IDENTITY_CODES:
        router.also(event, audit.record_user_event)
    return router
