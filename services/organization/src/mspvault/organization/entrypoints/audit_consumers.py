"""The audit log's subscriptions: this service's own events and the vault's cipher events, each recorded in the
inbox transaction that marks the event applied (so exactly once, and never lost: the outbox published it)."""

from __future__ import annotations

from mspvault.organization.service_layer import audit as audit_log
from mspvault.shared.audit import ORGANIZATION_CODES, VAULT_CODES, also_record
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.messaging.inbox import EventRouter


def record_audit_events(events: EventRouter, *, own_topic: str) -> EventRouter:
    also_record(events, own_topic, ORGANIZATION_CODES, audit_log.record_own_event)
    also_record(events, events_topic("vault"), VAULT_CODES, audit_log.record_vault_event)
    return events
