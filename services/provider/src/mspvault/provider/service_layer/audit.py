"""What the provider's audit log records, from the events it consumes (Bitwarden's event codes):

- its own events (provider users 1800s, client organizations 1900s), from this service's topic;
- the events of its client organizations (organization and vault topics), recorded while the organization is a
  client (the link table is ours and authoritative). Each carries the acting provider when a provider user acted.

Every recorder runs in the inbox transaction, after the read-model handler for the same event, so an event is
recorded exactly once; events of providers and organizations this service does not hold are skipped. Reading the
log is adapters/queries.py.
"""

from __future__ import annotations

from dataclasses import replace

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
    log = work.audit
    if entry is None or entry.provider_id is None or not await log.provider_known(entry.provider_id):
        return
    client_of = None
    if entry.type in _CLIENT_LINK_EVENTS and entry.organization_id is not None:
        # Client links are part of the combined log too: it opens with "created/added client" and ends with "removed".
        client_of = entry.provider_id
        link_id = await log.link_id(entry.provider_id, entry.organization_id)
        entry = replace(entry, provider_organization_id=link_id)
    await log.add(entry, client_provider_id=client_of)


async def record_organization_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    await _record_client_event(work, entry_for(envelope), attribute=False)


async def record_vault_event(work: ProviderWork, event: EventData, envelope: Envelope) -> None:
    # The vault's actor does not say yet whether its caller acted for a provider; the organization's rule does.
    await _record_client_event(work, entry_for(envelope), attribute=True)


async def _record_client_event(work: ProviderWork, entry: AuditEntry | None, *, attribute: bool) -> None:
    if entry is None or entry.organization_id is None:
        return
    log = work.audit
    client_of = await log.client_provider_of(entry.organization_id)
    if attribute and entry.provider_id is None and client_of is not None and entry.acting_user_id is not None:
        # The organization service's rule: an active provider user acts for the provider, unless they are also a
        # confirmed Owner of the organization in their own right.
        acts = await log.acts_for_provider(client_of, entry.organization_id, entry.acting_user_id)
        entry = replace(entry, provider_id=client_of if acts else None)
    if client_of is None and (entry.provider_id is None or not await log.provider_known(entry.provider_id)):
        return  # neither a client's event nor one of our users' actions
    await log.add(entry, client_provider_id=client_of)
