"""The audit log's subscriptions: the provider's own events, and its clients' organization and vault events.

Each is recorded in the inbox transaction that marks the event applied, after the read-model handler the router
already has for it (so the client link and member read models are current when the entry is attributed).
"""

from __future__ import annotations

from mspvault.provider.adapters import audit as audit_log
from mspvault.shared.audit.codes import ORGANIZATION_CODES, PROVIDER_CODES, VAULT_CODES
from mspvault.shared.audit.recording import also_record
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.messaging.inbox import EventRouter


def record_audit_events(events: EventRouter, *, own_topic: str) -> EventRouter:
    also_record(events, own_topic, PROVIDER_CODES, audit_log.record_own_event)
    also_record(events, events_topic("organization"), ORGANIZATION_CODES, audit_log.record_organization_event)
    also_record(events, events_topic("vault"), VAULT_CODES, audit_log.record_vault_event)
    return events
