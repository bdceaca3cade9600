"""Chaining audit recording after a consumer's existing handler (older handler style; `EventRouter.also` is the
typed one)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.messaging.router import EventRouter, Handler


def also_record(router: EventRouter[Any], topic: str, events: Iterable[type[EventData]], record: Handler) -> None:
    """Have `record` run for these events after the handler the router already has (one inbox transaction)."""
    for event in events:
        first = router.handlers.get(topic, {}).get(event.event_type)
        router.on(topic, event)(record if first is None else _chain(first, record))


def _chain(first: Handler, then: Handler) -> Handler:
    async def both(uow: UnitOfWork, envelope: Envelope) -> None:
        await first(uow, envelope)
        await then(uow, envelope)

    return both
