"""Identity consumes no events: it is the source of users, and reads nobody else's data."""

from __future__ import annotations

from mspvault.shared.messaging.router import EventRouter


def build_event_router() -> EventRouter:
    return EventRouter()
