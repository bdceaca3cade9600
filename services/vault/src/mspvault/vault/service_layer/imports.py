"""Import commands: a whole batch in one transaction (all or nothing), one event, one revision bump per user."""

from __future__ import annotations

import uuid
from datetime import datetime

from mspvault.shared.auth.principal import Principal
from mspvault.shared.observability.origin import acting
from mspvault.vault.domain import imports
from mspvault.vault.domain.imports import ImportBatch
from mspvault.vault.service_layer.commands import ImportCiphers, ImportOrganizationCiphers
from mspvault.vault.service_layer.common import audience, publish_all
from mspvault.vault.service_layer.ports import VaultWork


async def import_personal(work: VaultWork, caller: Principal, command: ImportCiphers) -> int:
    """Returns how many items were imported."""
    now = work.clock()
    batch = imports.import_personal(
        caller.user_id,
        command.ciphers,
        command.folders,
        command.folder_relationships,
        await work.store.folder_ids(caller.user_id) if command.folders else (),
        now,
    )
    await _store(work, caller, batch, {caller.user_id}, now)
    return len(batch.ciphers)


async def import_into_organization(work: VaultWork, caller: Principal, command: ImportOrganizationCiphers) -> int:
    """Returns how many items were (or, checking only, would be) imported."""
    organization_id = command.organization_id
    facts = await work.store.caller_facts(caller.user_id, {organization_id})
    asked = {cid for cid in command.collection_ids if cid is not None}
    known = await work.store.collections_of_org(organization_id, asked) | (command.confirmed & asked)
    collection_ids = []
    for cid in command.collection_ids:
        if command.check_only and (cid is None or cid not in known):
            cid = uuid.uuid4()  # a collection still to be created: a placeholder, writable only by importers
            known.add(cid)
        collection_ids.append(cid if cid is not None else uuid.uuid4())
    now = work.clock()
    batch = imports.import_into_organization(
        facts,
        organization_id,
        command.ciphers,
        collection_ids,
        command.collection_relationships,
        known,
        folders=command.folders,
        folder_relationships=command.folder_relationships,
        own_folders=await work.store.folder_ids(caller.user_id) if command.folders else (),
        now=now,
    )
    if command.check_only:
        return len(batch.ciphers)  # nothing written; the unit of work rolls back
    fresh = command.confirmed & asked
    if fresh:
        await work.store.know_collections(organization_id, fresh)
    await _store(work, caller, batch, await audience(work, batch.ciphers) | {caller.user_id}, now)
    return len(batch.ciphers)


async def _store(
    work: VaultWork, caller: Principal, batch: ImportBatch, audience: set[uuid.UUID], now: datetime
) -> None:
    await work.store.add_import(caller.user_id, batch)
    await work.store.bump_revisions(audience, now)
    publish_all(work, batch.events, acting(caller.user_id))
    await work.uow.commit()
