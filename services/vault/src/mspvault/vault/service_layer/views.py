"""The read side: what one caller sees, computed with the access rule from a fixed number of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.vault.adapters import repository
from mspvault.vault.adapters.read_models import caller_facts
from mspvault.vault.adapters.repository import NO_PREFS, Prefs, StoredCipher, StoredFolder
from mspvault.vault.domain.access import CallerFacts, CipherAccess, CipherFacts, cipher_access, sees_whole_organization
from mspvault.vault.domain.errors import CipherNotFound, FolderNotFound


@dataclass(slots=True, frozen=True)
class CipherView:
    """One cipher as one caller sees it: the stored item, their access, their own folder/favorite."""

    cipher: StoredCipher
    access: CipherAccess
    prefs: Prefs


@dataclass(frozen=True)
class VaultView:
    folders: list[StoredFolder]
    ciphers: list[CipherView]


def facts_of(cipher: StoredCipher) -> CipherFacts:
    return CipherFacts(cipher.user_id, cipher.organization_id, tuple(cipher.collection_ids))


def visible_or_404(caller: CallerFacts, cipher: StoredCipher | None) -> tuple[StoredCipher, CipherAccess]:
    """The cipher and the caller's access to it; 404 whether it does not exist or is not theirs to see."""
    access = cipher_access(caller, facts_of(cipher)) if cipher is not None else None
    if cipher is None or access is None:
        raise CipherNotFound()
    return cipher, access


async def vault_of(session: AsyncSession, user_id: uuid.UUID) -> VaultView:
    """Folders and every cipher the user may see, trashed ones included (clients sort those into the trash)."""
    caller = await caller_facts(session, user_id)
    orgs = set(caller.memberships) | set(caller.client_links)
    whole = [org for org in orgs if sees_whole_organization(caller, org)]
    member = [org for org in caller.memberships if org not in whole and caller.memberships[org].is_active]
    candidates = await repository.visible_ciphers(
        session, user_id, whole_orgs=whole, member_orgs=member, granted_collections=list(caller.grants)
    )
    prefs = await repository.all_prefs_of_user(session, user_id)
    folders = await repository.folders_of_user(session, user_id)
    views = []
    for cipher in candidates:
        access = cipher_access(caller, facts_of(cipher))
        if access is not None:
            views.append(CipherView(cipher, access, prefs.get(cipher.id, NO_PREFS)))
    views.sort(key=lambda view: view.cipher.id)
    return VaultView(folders, views)


async def cipher_view(
    session: AsyncSession, user_id: uuid.UUID, cipher_id: uuid.UUID, caller: CallerFacts | None = None
) -> CipherView:
    caller = caller or await caller_facts(session, user_id)
    cipher, access = visible_or_404(caller, await repository.cipher_by_id(session, cipher_id))
    prefs = await repository.prefs_of_user(session, user_id, [cipher_id])
    return CipherView(cipher, access, prefs.get(cipher_id, NO_PREFS))


async def cipher_views(
    session: AsyncSession, user_id: uuid.UUID, cipher_ids: list[uuid.UUID], caller: CallerFacts
) -> list[CipherView]:
    found = await repository.ciphers_by_ids(session, cipher_ids)
    prefs = await repository.prefs_of_user(session, user_id, cipher_ids)
    views = []
    for cipher in found:
        access = cipher_access(caller, facts_of(cipher))
        if access is not None:
            views.append(CipherView(cipher, access, prefs.get(cipher.id, NO_PREFS)))
    return views


async def folders_of(session: AsyncSession, user_id: uuid.UUID) -> list[StoredFolder]:
    return await repository.folders_of_user(session, user_id)


async def folder_of(session: AsyncSession, user_id: uuid.UUID, folder_id: uuid.UUID) -> StoredFolder:
    folder = await repository.folder_of_user(session, folder_id, user_id)
    if folder is None:
        raise FolderNotFound()
    return folder


async def revision_date_ms(session: AsyncSession, user_id: uuid.UUID) -> int:
    """Epoch milliseconds of the last change the user can see here; 0 before the first one."""
    revised: datetime | None = await repository.revision_of(session, user_id)
    return 0 if revised is None else int(revised.timestamp() * 1000)
