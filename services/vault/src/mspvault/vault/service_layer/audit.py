"""What the item event log records: Bitwarden events for the vault's own cipher events.

Entries are recorded by the inbox consumer of the vault's own topic, in the transaction that marks the event
applied (exactly once; never lost, since the outbox published it). Reading one item's log is adapters/queries.py.
"""

from __future__ import annotations

from dataclasses import replace

from mspvault.shared.audit.entries import entry_for
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.vault.domain.audit import acting_provider
from mspvault.vault.service_layer.ports import VaultWork


async def record_cipher_event(work: VaultWork, event: EventData, envelope: Envelope) -> None:
    entry = entry_for(envelope)
    if entry is None:
        return
    org_id, user_id = entry.organization_id, entry.acting_user_id
    if entry.provider_id is None and org_id is not None and user_id is not None:
        # Our actors do not say whether a provider user acted for the provider; the read models do.
        facts = await work.store.caller_facts(user_id, {org_id})
        entry = replace(entry, provider_id=acting_provider(facts, org_id))
    await work.audit.add(entry)
