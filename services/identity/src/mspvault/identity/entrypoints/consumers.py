"""Identity consumes no events: it is the source of users, and reads nobody else's data."""

from __future__ import annotations

from mspvault.shared.messaging.inbox import EventRouter


def event_router() -> EventRouter:
    return EventRouter()
