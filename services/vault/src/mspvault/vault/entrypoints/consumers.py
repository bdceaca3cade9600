"""The vault's subscriptions: identity, organization and provider events feed its read models (no HTTP to them),
and its own cipher events feed the item event log. The projections' signatures say which events they apply."""

from __future__ import annotations

from collections.abc import Callable

from mspvault.shared import user_projections
from mspvault.shared.audit.codes import VAULT_CODES
from mspvault.shared.audit.recording import also_record
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
    router.subscribe(user_projections)  # registration, key and profile: the users read model
    router.subscribe(projections)

    # The vault's own cipher events, recorded in the item event log (on `own_topic`, hence not `router.also`).
    also_record(router, own_topic, VAULT_CODES, record_cipher_event)
    return router
