"""What the provider's audit log records, from the events it consumes (Bitwarden's event codes):

- its own events (provider users 1800s, client organizations 1900s), from this service's topic, for providers this
  service holds. A client link's events go to the combined (client) log too, with the link's id: from the link while
  it exists, else from the entry that recorded its creation (the combined log opens with "created/added client" and
  ends with "removed");
- the events of its client organizations (organization and vault topics), in the combined log while the
  organization is a client (the link table is ours and authoritative), and in the provider's log when a provider user
  acted for it. The vault's actor does not say yet whether its caller acted for a provider; the organization
  service's rule does: an active (confirmed) provider user acts for the provider, unless they are also a confirmed
  Owner of the organization in their own right;
- an event of another organization only when its actor acted for a provider we hold.

Every recorder runs in the inbox transaction, after the read-model handler for the same event, so an event is
recorded exactly once; events of providers and organizations this service does not hold are skipped. The log's
adapter applies these rules in one statement per event, reading the facts where they are (issue 12 #4); reading the
log is adapters/queries.py.
"""

from __future__ import annotations

from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.audit.codes import EventType
from mspvault.shared.audit.entries import AuditEntry, entry_for
from mspvault.shared.contracts.envelope import Envelope, EventData

_CLIENT_LINK_EVENTS = frozenset(
    {
        EventType.PROVIDER_ORGANIZATION_CREATED,
        EventType.PROVIDER_ORGANIZATION_ADDED,
        EventType.PROVIDER_ORGANIZATION_REMOVED,
    }
)


async def record_own_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    entry = entry_for(envelope)
    if entry is None or entry.provider_id is None:
        return
    client_link = entry.type in _CLIENT_LINK_EVENTS and entry.organization_id is not None
    await work.audit.record_provider_event(entry, client_link=client_link)


async def record_organization_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    await _record_client_event(work, entry_for(envelope), attribute=False)


async def record_vault_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    await _record_client_event(work, entry_for(envelope), attribute=True)


async def _record_client_event(work: ProviderWork, entry: AuditEntry | None, *, attribute: bool) -> None:
    if entry is None or entry.organization_id is None:
        return
    # Only a user's action can be attributed, and only when its actor did not already say for whom they acted.
    attribute = attribute and entry.provider_id is None and entry.acting_user_id is not None
    await work.audit.record_client_event(entry, attribute=attribute)
