"""The item event log's subscription: the vault's own cipher events, recorded in the inbox transaction."""

from __future__ import annotations

from mspvault.shared.audit import VAULT_CODES, also_record
from mspvault.shared.messaging.inbox import EventRouter
from mspvault.vault.service_layer import audit as audit_log


def record_audit_events(events: EventRouter, *, own_topic: str) -> EventRouter:
    also_record(events, own_topic, VAULT_CODES, audit_log.record_own_event)
    return events
