"""Cipher commands. Each checks the caller's access with the domain rule, changes the item, bumps the revision date
of everyone whose view changed, records its event, and commits: all in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from mspvault.shared.audit import acting
from mspvault.shared.contracts.vault import (
    CipherCreatedV1,
    CipherDeletedV1,
    CipherRestoredV1,
    CipherSharedV1,
    CipherSoftDeletedV1,
    CipherUpdatedV1,
)
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.vault.adapters import repository
from mspvault.vault.adapters.read_models import caller_facts
from mspvault.vault.adapters.repository import StoredCipher
from mspvault.vault.domain.access import (
    CallerFacts,
    CipherAccess,
    can_write_collection,
    may_use_organization,
    sees_whole_organization,
)
from mspvault.vault.domain.cipher import check_not_stale, parse_client_date
from mspvault.vault.domain.errors import (
    CannotAddToOrganization,
    CipherNotFound,
    CipherNotWritable,
    CollectionNotWritable,
    CollectionsNotChangeable,
    InvalidCollection,
    InvalidFolder,
    NoCiphersSelected,
    NotAnOrganizationCipher,
    NotEncryptedForCaller,
    OrganizationMismatch,
    OrganizationNotFound,
    ShareNeedsOrganization,
)
from mspvault.vault.service_layer.audience import audience
from mspvault.vault.service_layer.commands import CipherDraft
from mspvault.vault.service_layer.views import CipherView, cipher_view, cipher_views, visible_or_404

CipherEvent = (
    type[CipherCreatedV1]
    | type[CipherUpdatedV1]
    | type[CipherSharedV1]
    | type[CipherSoftDeletedV1]
    | type[CipherDeletedV1]
    | type[CipherRestoredV1]
)


def _now() -> datetime:
    return datetime.now(UTC)


def _publish(uow: UnitOfWork, event: CipherEvent, cipher: StoredCipher, actor: uuid.UUID, at: datetime) -> None:
    uow.publish(
        event(
            owner_id=_owner_of(cipher),
            cipher_id=cipher.id,
            organization_id=cipher.organization_id,
            user_id=cipher.user_id,
            collection_ids=sorted(cipher.collection_ids),
            revision_date=at,
        ),
        actor=acting(actor),  # with the request's device type and address, for the audit logs
    )


def _owner_of(cipher: StoredCipher) -> uuid.UUID:
    owner = cipher.organization_id or cipher.user_id
    if owner is None:  # the table's check constraint makes this impossible
        raise RuntimeError(f"cipher {cipher.id} has no owner")
    return owner


async def _check_folder(uow: UnitOfWork, user_id: uuid.UUID, folder_id: uuid.UUID | None) -> None:
    if folder_id is not None and await repository.folder_of_user(uow.session, folder_id, user_id) is None:
        raise InvalidFolder()


def _check_encrypted_for(user_id: uuid.UUID, draft: CipherDraft) -> None:
    # Newer clients name the user whose keys encrypted the item; another user's copy would be unreadable.
    if draft.encrypted_for is not None and draft.encrypted_for != user_id:
        raise NotEncryptedForCaller()


async def _save_prefs(uow: UnitOfWork, cipher_id: uuid.UUID, user_id: uuid.UUID, draft: CipherDraft) -> None:
    await repository.save_prefs(
        uow.session,
        cipher_id=cipher_id,
        user_id=user_id,
        folder_id=draft.folder_id,
        favorite=draft.favorite,
        archived_at=parse_client_date(draft.archived_date),
    )


async def _checked_collections(
    uow: UnitOfWork, caller: CallerFacts, organization_id: uuid.UUID, collection_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The requested collections, each in the organization and writable by the caller."""
    wanted = list(dict.fromkeys(collection_ids))
    existing = await repository.collections_of_org(uow.session, organization_id, wanted)
    if len(existing) != len(wanted):
        raise InvalidCollection()
    if not all(can_write_collection(caller, organization_id, cid) for cid in wanted):
        raise CollectionNotWritable()
    return wanted


async def _load_for_write(
    uow: UnitOfWork, caller: CallerFacts, ids: Sequence[uuid.UUID]
) -> list[tuple[StoredCipher, CipherAccess]]:
    """Lock the ciphers; 404 for any the caller may not see, 400 for any they may only read."""
    unique = list(dict.fromkeys(ids))
    found = {cipher.id: cipher for cipher in await repository.ciphers_by_ids(uow.session, unique, for_update=True)}
    loaded = [visible_or_404(caller, found.get(cipher_id)) for cipher_id in unique]
    for _, access in loaded:
        if not access.can_write:
            raise CipherNotWritable()
    return loaded


async def _reload(uow: UnitOfWork, cipher_id: uuid.UUID) -> StoredCipher:
    cipher = await repository.cipher_by_id(uow.session, cipher_id)
    if cipher is None:
        raise CipherNotFound()
    return cipher


# --- create ----------------------------------------------------------------------------------------------------------


async def create_personal(uow: UnitOfWork, user_id: uuid.UUID, draft: CipherDraft) -> CipherView:
    """`POST /api/ciphers`. With an organization id and no collections only whole-org users may create (as VW)."""
    if draft.organization_id is not None:
        return await create_in_organization(uow, user_id, draft, [])
    _check_encrypted_for(user_id, draft)
    content = draft.content()
    await _check_folder(uow, user_id, draft.folder_id)
    cipher_id, at = uuid.uuid4(), _now()
    await repository.insert_cipher(
        uow.session, cipher_id=cipher_id, content=content, user_id=user_id, organization_id=None, at=at
    )
    await _save_prefs(uow, cipher_id, user_id, draft)
    await repository.bump_revisions(uow.session, [user_id], at)
    view = await cipher_view(uow.session, user_id, cipher_id)
    _publish(uow, CipherCreatedV1, view.cipher, user_id, at)
    await uow.commit()
    return view


async def create_in_organization(
    uow: UnitOfWork, user_id: uuid.UUID, draft: CipherDraft, collection_ids: Sequence[uuid.UUID]
) -> CipherView:
    """`POST /api/ciphers/create`: straight into an organization's collections (or personal, when no org)."""
    organization_id = draft.organization_id
    if organization_id is None:
        return await create_personal(uow, user_id, draft)
    _check_encrypted_for(user_id, draft)
    content = draft.content()
    caller = await caller_facts(uow.session, user_id)
    if not may_use_organization(caller, organization_id):
        raise OrganizationNotFound()
    wanted = await _checked_collections(uow, caller, organization_id, collection_ids)
    if not wanted and not sees_whole_organization(caller, organization_id):
        raise CannotAddToOrganization()
    await _check_folder(uow, user_id, draft.folder_id)
    cipher_id, at = uuid.uuid4(), _now()
    await repository.insert_cipher(
        uow.session, cipher_id=cipher_id, content=content, user_id=None, organization_id=organization_id, at=at
    )
    await repository.link_collections(uow.session, cipher_id, wanted)
    await _save_prefs(uow, cipher_id, user_id, draft)
    cipher = await _reload(uow, cipher_id)
    await repository.bump_revisions(uow.session, await audience(uow.session, [cipher]) | {user_id}, at)
    view = await cipher_view(uow.session, user_id, cipher_id, caller)
    _publish(uow, CipherCreatedV1, cipher, user_id, at)
    await uow.commit()
    return view


# --- update ----------------------------------------------------------------------------------------------------------


async def update(uow: UnitOfWork, user_id: uuid.UUID, cipher_id: uuid.UUID, draft: CipherDraft) -> CipherView:
    """`PUT /api/ciphers/{id}`: new content, refused on a stale copy or a read-only item."""
    caller = await caller_facts(uow.session, user_id)
    [(cipher, _)] = await _load_for_write(uow, caller, [cipher_id])
    check_not_stale(cipher.updated_at, draft.last_known_revision_date)
    target_org = cipher.organization_id
    if cipher.organization_id is not None and draft.organization_id != cipher.organization_id:
        raise OrganizationMismatch()
    if cipher.organization_id is None and draft.organization_id is not None:
        # Moving a personal item in without collections: only for those who see the whole organization (as VW).
        if not sees_whole_organization(caller, draft.organization_id):
            raise CannotAddToOrganization()
        target_org = draft.organization_id
    _check_encrypted_for(user_id, draft)
    content = draft.content()
    await _check_folder(uow, user_id, draft.folder_id)
    before = await audience(uow.session, [cipher])
    at = _now()
    await repository.update_cipher(
        uow.session,
        cipher_id,
        content=content,
        user_id=None if target_org else cipher.user_id,
        organization_id=target_org,
        at=at,
    )
    await _save_prefs(uow, cipher_id, user_id, draft)
    updated = await _reload(uow, cipher_id)
    await repository.bump_revisions(uow.session, before | await audience(uow.session, [updated]), at)
    moved_in = cipher.organization_id is None and target_org is not None
    _publish(uow, CipherSharedV1 if moved_in else CipherUpdatedV1, updated, user_id, at)
    view = await cipher_view(uow.session, user_id, cipher_id, caller)
    await uow.commit()
    return view


async def update_prefs(
    uow: UnitOfWork, user_id: uuid.UUID, cipher_id: uuid.UUID, folder_id: uuid.UUID | None, favorite: bool
) -> CipherView:
    """`PUT /api/ciphers/{id}/partial`: the caller's own folder and favorite; read access is enough."""
    caller = await caller_facts(uow.session, user_id)
    await cipher_view(uow.session, user_id, cipher_id, caller)  # 404 unless visible
    await _check_folder(uow, user_id, folder_id)
    await repository.save_prefs(
        uow.session, cipher_id=cipher_id, user_id=user_id, folder_id=folder_id, favorite=favorite, archived_at=None
    )
    await repository.bump_revisions(uow.session, [user_id], _now())
    view = await cipher_view(uow.session, user_id, cipher_id, caller)
    await uow.commit()
    return view


async def change_collections(
    uow: UnitOfWork, user_id: uuid.UUID, cipher_id: uuid.UUID, collection_ids: Sequence[uuid.UUID]
) -> CipherView | None:
    """`PUT /api/ciphers/{id}/collections`: add and remove the collections the caller can write; the others stay.

    Returns None when the caller no longer sees the item afterwards.
    """
    caller = await caller_facts(uow.session, user_id)
    found, access = visible_or_404(caller, await repository.cipher_by_id(uow.session, cipher_id, for_update=True))
    if not access.can_change_collections:
        raise CollectionsNotChangeable()
    organization_id = found.organization_id
    if organization_id is None:
        raise NotAnOrganizationCipher()
    posted = set(collection_ids)
    # What the caller can change: the item's collections they see and may write (VW's rule).
    current = {cid for cid in access.collection_ids if can_write_collection(caller, organization_id, cid)}
    changed = posted ^ current
    await _checked_collections(uow, caller, organization_id, sorted(changed))
    before = await audience(uow.session, [found])
    at = _now()
    await repository.link_collections(uow.session, cipher_id, sorted(posted - current))
    await repository.unlink_collections(uow.session, cipher_id, sorted(current - posted))
    await repository.touch_ciphers(uow.session, [cipher_id], at)
    updated = await _reload(uow, cipher_id)
    await repository.bump_revisions(uow.session, before | await audience(uow.session, [updated]), at)
    _publish(uow, CipherUpdatedV1, updated, user_id, at)
    views = await cipher_views(uow.session, user_id, [cipher_id], caller)
    await uow.commit()
    return views[0] if views else None


async def share(
    uow: UnitOfWork, user_id: uuid.UUID, cipher_id: uuid.UUID, draft: CipherDraft, collection_ids: Sequence[uuid.UUID]
) -> CipherView:
    """`PUT /api/ciphers/{id}/share`: move the caller's personal item (re-encrypted with the org key) into an
    organization's collections, which the caller must be able to write. Never into a different organization."""
    caller = await caller_facts(uow.session, user_id)
    [(cipher, _)] = await _load_for_write(uow, caller, [cipher_id])
    target_org = draft.organization_id
    if target_org is None:
        raise ShareNeedsOrganization()
    if cipher.organization_id is not None and cipher.organization_id != target_org:
        raise OrganizationMismatch()
    if not may_use_organization(caller, target_org):
        raise OrganizationNotFound()
    check_not_stale(cipher.updated_at, draft.last_known_revision_date)
    wanted = await _checked_collections(uow, caller, target_org, collection_ids)
    if not wanted and not sees_whole_organization(caller, target_org):
        raise CannotAddToOrganization()
    _check_encrypted_for(user_id, draft)
    content = draft.content()
    await _check_folder(uow, user_id, draft.folder_id)
    before = await audience(uow.session, [cipher])
    at = _now()
    await repository.update_cipher(
        uow.session, cipher_id, content=content, user_id=None, organization_id=target_org, at=at
    )
    await repository.link_collections(uow.session, cipher_id, wanted)
    await _save_prefs(uow, cipher_id, user_id, draft)
    shared = await _reload(uow, cipher_id)
    await repository.bump_revisions(uow.session, before | await audience(uow.session, [shared]), at)
    _publish(uow, CipherSharedV1 if cipher.organization_id is None else CipherUpdatedV1, shared, user_id, at)
    view = await cipher_view(uow.session, user_id, cipher_id, caller)
    await uow.commit()
    return view


# --- trash, restore, delete, move -----------------------------------------------------------------------------------


async def soft_delete(uow: UnitOfWork, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]) -> None:
    """Move to the trash (all or nothing)."""
    if not cipher_ids:
        raise NoCiphersSelected()
    caller = await caller_facts(uow.session, user_id)
    loaded = [cipher for cipher, _ in await _load_for_write(uow, caller, cipher_ids)]
    at = _now()
    await repository.set_deleted_at(uow.session, [c.id for c in loaded], at, at)
    await repository.bump_revisions(uow.session, await audience(uow.session, loaded), at)
    for cipher in loaded:
        _publish(uow, CipherSoftDeletedV1, cipher, user_id, at)
    await uow.commit()


async def restore(uow: UnitOfWork, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]) -> list[CipherView]:
    """Take out of the trash (all or nothing); returns the restored items."""
    if not cipher_ids:
        raise NoCiphersSelected()
    caller = await caller_facts(uow.session, user_id)
    loaded = [cipher for cipher, _ in await _load_for_write(uow, caller, cipher_ids)]
    at = _now()
    ids = [c.id for c in loaded]
    await repository.set_deleted_at(uow.session, ids, None, at)
    await repository.bump_revisions(uow.session, await audience(uow.session, loaded), at)
    for cipher in loaded:
        _publish(uow, CipherRestoredV1, cipher, user_id, at)
    views = {view.cipher.id: view for view in await cipher_views(uow.session, user_id, ids, caller)}
    await uow.commit()
    return [views[cid] for cid in ids if cid in views]


async def delete_permanently(uow: UnitOfWork, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]) -> None:
    if not cipher_ids:
        raise NoCiphersSelected()
    caller = await caller_facts(uow.session, user_id)
    loaded = [cipher for cipher, _ in await _load_for_write(uow, caller, cipher_ids)]
    at = _now()
    # Who saw them must be known before they are gone.
    await repository.bump_revisions(uow.session, await audience(uow.session, loaded), at)
    await repository.delete_ciphers(uow.session, [c.id for c in loaded])
    for cipher in loaded:
        _publish(uow, CipherDeletedV1, cipher, user_id, at)
    await uow.commit()


async def move_to_folder(
    uow: UnitOfWork, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID], folder_id: uuid.UUID | None
) -> None:
    """Put items the caller sees into one of their folders (or none); a per-user change, so no event."""
    if not cipher_ids:
        raise NoCiphersSelected()
    await _check_folder(uow, user_id, folder_id)
    caller = await caller_facts(uow.session, user_id)
    unique = list(dict.fromkeys(cipher_ids))
    visible = {view.cipher.id for view in await cipher_views(uow.session, user_id, unique, caller)}
    if len(visible) != len(unique):
        raise CipherNotFound()
    await repository.move_to_folder(uow.session, user_id, unique, folder_id)
    await repository.bump_revisions(uow.session, [user_id], _now())
    await uow.commit()
