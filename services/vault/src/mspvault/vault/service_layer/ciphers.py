"""Cipher commands. Each loads what the caller may touch, lets the domain check and change it, bumps the revision
date of everyone whose view changed, publishes the recorded events and commits: all in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from mspvault.shared.auth.principal import Principal
from mspvault.vault.domain.access import CallerFacts
from mspvault.vault.domain.cipher import Cipher, CipherView
from mspvault.vault.domain.content import parse_client_date
from mspvault.vault.domain.errors import NoCiphersSelected
from mspvault.vault.service_layer.commands import (
    ChangeCipherCollections,
    CipherFields,
    CreateCipher,
    CreateOrganizationCipher,
    DeleteCiphers,
    MoveCiphers,
    RestoreCiphers,
    SetCipherPrefs,
    ShareCipher,
    TrashCiphers,
    UpdateCipher,
)
from mspvault.vault.service_layer.common import (
    audience,
    check_folder,
    facts_about,
    load_for_write,
    load_visible,
    publish_cipher_events,
    view_of,
    views_of,
)
from mspvault.vault.service_layer.ports import VaultWork


async def _save_prefs(work: VaultWork, user_id: uuid.UUID, cipher_id: uuid.UUID, fields: CipherFields) -> None:
    await work.store.save_prefs(
        user_id,
        cipher_id,
        folder_id=fields.folder_id,
        favorite=fields.favorite,
        archived_at=parse_client_date(fields.archived_date),
    )


# --- create ----------------------------------------------------------------------------------------------------------


async def create_personal(work: VaultWork, caller: Principal, command: CreateCipher) -> CipherView:
    """With an organization id and no collections, only whole-organization users may create (as Vaultwarden)."""
    fields = command.cipher
    if fields.organization_id is not None:
        return await create_in_organization(work, caller, CreateOrganizationCipher(fields, ()))
    now = work.clock()
    cipher = Cipher.create_personal(caller.user_id, fields.content, now)
    return await _store_new(work, caller, cipher, fields, now)


async def create_in_organization(work: VaultWork, caller: Principal, command: CreateOrganizationCipher) -> CipherView:
    fields, organization_id = command.cipher, command.cipher.organization_id
    if organization_id is None:
        return await create_personal(work, caller, CreateCipher(fields))
    facts = await work.store.caller_facts(caller.user_id, {organization_id})
    existing = await work.store.collections_of_org(organization_id, command.collection_ids)
    now = work.clock()
    cipher = Cipher.create_in_organization(
        facts, organization_id, fields.content, command.collection_ids, existing, now
    )
    return await _store_new(work, caller, cipher, fields, now, facts)


async def _store_new(
    work: VaultWork,
    caller: Principal,
    cipher: Cipher,
    fields: CipherFields,
    now: datetime,
    facts: CallerFacts | None = None,
) -> CipherView:
    await check_folder(work, caller.user_id, fields.folder_id)
    await work.store.add_cipher(cipher)
    await _save_prefs(work, caller.user_id, cipher.id, fields)
    # Whoever sees it now (for a personal item, its owner), and the creator.
    await work.store.bump_revisions(await audience(work, [cipher]) | {caller.user_id}, now)
    view = await view_of(work, facts or await facts_about(work, caller.user_id, [cipher]), cipher.id)
    publish_cipher_events(work, [cipher], caller.user_id)
    await work.uow.commit()
    return view


# --- update ----------------------------------------------------------------------------------------------------------


async def update(work: VaultWork, caller: Principal, command: UpdateCipher) -> CipherView:
    """New content, refused on a stale copy or a read-only item."""
    fields = command.cipher
    facts, [cipher] = await load_for_write(work, caller.user_id, [command.cipher_id], also=[fields.organization_id])
    before = await audience(work, [cipher])
    now = work.clock()
    cipher.edit(
        facts,
        fields.content,
        organization_id=fields.organization_id,
        last_known_revision_date=fields.last_known_revision_date,
        now=now,
    )
    return await _store_edit(work, caller, facts, cipher, fields, before, now)


async def _store_edit(
    work: VaultWork,
    caller: Principal,
    facts: CallerFacts,
    cipher: Cipher,
    fields: CipherFields,
    before: set[uuid.UUID],
    now: datetime,
) -> CipherView:
    """Save an edited item and the caller's prefs; bump who saw it `before` and who sees it now."""
    await check_folder(work, caller.user_id, fields.folder_id)
    await work.store.save_cipher(cipher)
    await _save_prefs(work, caller.user_id, cipher.id, fields)
    await work.store.bump_revisions(before | await audience(work, [cipher]), now)
    publish_cipher_events(work, [cipher], caller.user_id)
    view = await view_of(work, facts, cipher.id)
    await work.uow.commit()
    return view


async def update_prefs(work: VaultWork, caller: Principal, command: SetCipherPrefs) -> CipherView:
    """The caller's own folder and favorite; read access is enough."""
    facts, _ = await load_visible(work, caller.user_id, [command.cipher_id])
    await check_folder(work, caller.user_id, command.folder_id)
    await work.store.save_prefs(
        caller.user_id, command.cipher_id, folder_id=command.folder_id, favorite=command.favorite, archived_at=None
    )
    await work.store.bump_revisions([caller.user_id], work.clock())
    view = await view_of(work, facts, command.cipher_id)
    await work.uow.commit()
    return view


async def change_collections(work: VaultWork, caller: Principal, command: ChangeCipherCollections) -> CipherView | None:
    """Returns None when the caller no longer sees the item afterwards."""
    facts, [cipher] = await load_visible(work, caller.user_id, [command.cipher_id], lock=True)
    existing: set[uuid.UUID] = set()
    if cipher.organization_id is not None:
        asked = {*command.collection_ids, *cipher.collection_ids}
        existing = await work.store.collections_of_org(cipher.organization_id, asked)
    before = await audience(work, [cipher])
    now = work.clock()
    cipher.change_collections(facts, command.collection_ids, existing, now)
    await work.store.save_cipher(cipher)
    await work.store.bump_revisions(before | await audience(work, [cipher]), now)
    publish_cipher_events(work, [cipher], caller.user_id)
    views = await views_of(work, facts, [cipher.id])
    await work.uow.commit()
    return views[0] if views else None


async def share(work: VaultWork, caller: Principal, command: ShareCipher) -> CipherView:
    """Move the caller's personal item (re-encrypted with the org key) into an organization's collections."""
    fields, organization_id = command.cipher, command.cipher.organization_id
    facts, [cipher] = await load_for_write(work, caller.user_id, [command.cipher_id], also=[organization_id])
    existing: set[uuid.UUID] = set()
    if organization_id is not None:
        existing = await work.store.collections_of_org(organization_id, command.collection_ids)
    before = await audience(work, [cipher])
    now = work.clock()
    cipher.share(
        facts,
        fields.content,
        organization_id=organization_id,
        collection_ids=command.collection_ids,
        existing=existing,
        last_known_revision_date=fields.last_known_revision_date,
        now=now,
    )
    return await _store_edit(work, caller, facts, cipher, fields, before, now)


# --- trash, restore, delete, move -----------------------------------------------------------------------------------


async def _writable_batch(
    work: VaultWork, caller: Principal, cipher_ids: Sequence[uuid.UUID]
) -> tuple[CallerFacts, list[Cipher]]:
    """The caller's facts and their ciphers, locked: all or nothing (404 for any unseen, 400 for any read-only)."""
    if not cipher_ids:
        raise NoCiphersSelected()
    return await load_for_write(work, caller.user_id, cipher_ids)


async def _set_trash_state(work: VaultWork, caller: Principal, loaded: list[Cipher], now: datetime) -> None:
    await work.store.save_trash_state(loaded)
    await work.store.bump_revisions(await audience(work, loaded), now)
    publish_cipher_events(work, loaded, caller.user_id)


async def trash(work: VaultWork, caller: Principal, command: TrashCiphers) -> None:
    """Move to the trash."""
    _, loaded = await _writable_batch(work, caller, command.cipher_ids)
    now = work.clock()
    for cipher in loaded:
        cipher.trash(now)
    await _set_trash_state(work, caller, loaded, now)
    await work.uow.commit()


async def restore(work: VaultWork, caller: Principal, command: RestoreCiphers) -> list[CipherView]:
    """Take out of the trash; returns the restored items."""
    facts, loaded = await _writable_batch(work, caller, command.cipher_ids)
    now = work.clock()
    for cipher in loaded:
        cipher.restore(now)
    await _set_trash_state(work, caller, loaded, now)
    ids = [cipher.id for cipher in loaded]
    views = {view.cipher.id: view for view in await views_of(work, facts, ids)}
    await work.uow.commit()
    return [views[cid] for cid in ids if cid in views]


async def delete_permanently(work: VaultWork, caller: Principal, command: DeleteCiphers) -> None:
    _, loaded = await _writable_batch(work, caller, command.cipher_ids)
    now = work.clock()
    # Who saw them must be known before they are gone.
    await work.store.bump_revisions(await audience(work, loaded), now)
    await work.store.delete_ciphers([cipher.id for cipher in loaded])
    for cipher in loaded:
        cipher.delete(now)
    publish_cipher_events(work, loaded, caller.user_id)
    await work.uow.commit()


async def move_to_folder(work: VaultWork, caller: Principal, command: MoveCiphers) -> None:
    """Put items the caller sees into one of their folders (or none); a per-user change, so no event."""
    if not command.cipher_ids:
        raise NoCiphersSelected()
    await check_folder(work, caller.user_id, command.folder_id)
    _, loaded = await load_visible(work, caller.user_id, command.cipher_ids)
    await work.store.move_to_folder(caller.user_id, [cipher.id for cipher in loaded], command.folder_id)
    await work.store.bump_revisions([caller.user_id], work.clock())
    await work.uow.commit()
