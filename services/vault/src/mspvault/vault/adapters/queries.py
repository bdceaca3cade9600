"""The read side: what one caller sees (sync, GETs), computed with the access rule from a fixed number of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.audit import Page, read_page
from mspvault.shared.audit.paging import LogQuery
from mspvault.shared.clock import Clock
from mspvault.shared.dates import epoch_ms
from mspvault.vault.adapters import repository
from mspvault.vault.adapters.orm import audit_events, org_members, user_revisions
from mspvault.vault.adapters.repository import caller_facts, sync_facts
from mspvault.vault.adapters.sql import driver_connection
from mspvault.vault.domain.access import (
    CallerFacts,
    CipherAccess,
    CipherFacts,
    cipher_access,
    may_import_into,
    may_use_organization,
)
from mspvault.vault.domain.audit import may_read_cipher_events
from mspvault.vault.domain.cipher import NO_PREFS, Cipher, CipherView, Prefs, organizations_of
from mspvault.vault.domain.content import CipherType
from mspvault.vault.domain.errors import CipherNotFound, FolderNotFound, OrganizationNotFound
from mspvault.vault.domain.folder import Folder


@dataclass(frozen=True)
class VaultView:
    folders: list[Folder]
    ciphers: list[CipherView]


# The sync path reads up to tens of thousands of rows; it talks to asyncpg directly, since SQLAlchemy's per-row
# result processing (UUID and JSON conversions) would cost more than the query itself. The columns are those of
# repository.CIPHER_COLUMNS, in `Cipher`'s field order.
_VISIBLE_CIPHERS_SQL = """
SELECT id, type, user_id, organization_id, name, notes, key, reprompt,
       data::text, fields::text, password_history::text, created_at, updated_at, deleted_at
FROM ciphers
WHERE user_id = $1
   OR organization_id = ANY($2::uuid[])
   OR (organization_id = ANY($3::uuid[])
       AND id IN (SELECT cipher_id FROM collection_ciphers WHERE collection_id = ANY($4::uuid[])))
"""
_LINKS_SQL = "SELECT cipher_id, collection_id FROM collection_ciphers WHERE cipher_id = ANY($1::uuid[])"
_PREFS_SQL = "SELECT cipher_id, folder_id, favorite, archived_at FROM cipher_user_prefs WHERE user_id = $1"


def _sql_date(column: str) -> str:
    return f"""coalesce('"' || to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"', 'null')"""


def _sql_list(column: str) -> str:
    return f"CASE WHEN {column} IS NULL OR {column} = 'null'::jsonb THEN '[]' ELSE {column}::text END"


# For `/internal/sync`, PostgreSQL writes each item's JSON members that do not depend on the access rule (the stored
# item, the caller's own prefs: everything but edit/viewPassword/permissions/collectionIds), compactly, in one pass;
# Python decides access and adds the rest. The same values, dates and nulls as `responses.cipher_details` writes.
_TYPE_MEMBERS = " || ',' || ".join(
    f"""'"{name}":' || CASE WHEN c.type = {int(kind)} THEN c.data::text ELSE 'null' END"""
    for kind, name in ((kind, kind.wire_name) for kind in CipherType)
)
_SYNC_DOCUMENTS_SQL = f"""
SELECT c.id, c.user_id, c.organization_id,
    '"id":"' || c.id::text || '","type":' || c.type::text
    || ',"organizationId":' || coalesce('"' || c.organization_id::text || '"', 'null')
    || ',"folderId":' || coalesce('"' || p.folder_id::text || '"', 'null')
    || ',"favorite":' || CASE WHEN p.favorite THEN 'true' ELSE 'false' END
    || ',"name":' || to_json(c.name)::text
    || ',"notes":' || coalesce(to_json(c.notes)::text, 'null')
    || ',"key":' || coalesce(to_json(c.key)::text, 'null')
    || ',"reprompt":' || c.reprompt::text
    || ',"creationDate":' || {_sql_date("c.created_at")}
    || ',"revisionDate":' || {_sql_date("c.updated_at")}
    || ',"deletedDate":' || {_sql_date("c.deleted_at")}
    || ',"archivedDate":' || {_sql_date("p.archived_at")}
    || ',"attachments":null,"organizationUseTotp":true,' || {_TYPE_MEMBERS}
    || ',"fields":' || {_sql_list("c.fields")}
    || ',"passwordHistory":' || {_sql_list("c.password_history")} || '}}'
FROM ciphers c
LEFT JOIN cipher_user_prefs p ON p.cipher_id = c.id AND p.user_id = $1
WHERE c.user_id = $1
   OR c.organization_id = ANY($2::uuid[])
   OR (c.organization_id = ANY($3::uuid[])
       AND c.id IN (SELECT cipher_id FROM collection_ciphers WHERE collection_id = ANY($4::uuid[])))
ORDER BY c.id
"""  # noqa: S608  # built from constants only: no input reaches the text


@dataclass(frozen=True)
class SyncDocument:
    """One visible item for the sync: the caller's access, and its other members as JSON text (after a `{`)."""

    access: CipherAccess
    members: str


async def _candidates(session: AsyncSession, user_id: uuid.UUID, sql: str) -> tuple[CallerFacts, Any, list[Any]]:
    """The caller's facts, the driver connection, and the rows `sql` selects as candidates: personal items, every
    item of whole-access organizations (the facts name only the clients holding items: whatever the client count, no
    client id travels here and back), and items of member organizations in granted collections. The access rule
    still decides each one."""
    caller = await sync_facts(session, user_id)
    orgs = set(caller.memberships) | set(caller.client_links)
    whole = [org for org in orgs if org in caller.whole_orgs]
    member = [org for org in caller.memberships if org not in whole and caller.memberships[org].is_active]
    driver = await driver_connection(session)
    return caller, driver, await driver.fetch(sql, user_id, whole, member, list(caller.grants))


async def sync_documents(session: AsyncSession, user_id: uuid.UUID) -> tuple[list[Folder], list[SyncDocument]]:
    """Folders and every item the user may see, ordered by id, as `vault_of` finds them, for `/internal/sync`."""
    caller, driver, rows = await _candidates(session, user_id, _SYNC_DOCUMENTS_SQL)
    links: dict[uuid.UUID, list[uuid.UUID]] = {}
    org_items = [row[0] for row in rows if row[2] is not None]
    if org_items:
        for cipher_id, collection_id in await driver.fetch(_LINKS_SQL, org_items):
            links.setdefault(cipher_id, []).append(collection_id)
    documents = []
    for cipher_id, owner_id, organization_id, members in rows:
        facts = CipherFacts(owner_id, organization_id, tuple(links.get(cipher_id, ())))
        access = cipher_access(caller, facts)
        if access is not None:
            documents.append(SyncDocument(access, members))
    return await repository.folders_of_user(session, user_id), documents


async def vault_of(session: AsyncSession, user_id: uuid.UUID) -> VaultView:
    """Folders and every cipher the user may see, trashed ones included (clients sort those into the trash)."""
    caller, driver, rows = await _candidates(session, user_id, _VISIBLE_CIPHERS_SQL)
    candidates = [Cipher(*row) for row in rows]
    org_ciphers = {cipher.id: cipher for cipher in candidates if cipher.organization_id is not None}
    if org_ciphers:
        for cipher_id, collection_id in await driver.fetch(_LINKS_SQL, list(org_ciphers)):
            org_ciphers[cipher_id].collection_ids.append(collection_id)
    prefs = {row[0]: Prefs(row[1], row[2], row[3]) for row in await driver.fetch(_PREFS_SQL, user_id)}
    folders = await repository.folders_of_user(session, user_id)
    views = []
    for cipher in candidates:
        access = cipher.access_of(caller)
        if access is not None:
            views.append(CipherView(cipher, access, prefs.get(cipher.id, NO_PREFS)))
    views.sort(key=lambda view: view.cipher.id)
    return VaultView(folders, views)


async def cipher_view(session: AsyncSession, user_id: uuid.UUID, cipher_id: uuid.UUID) -> CipherView:
    """One cipher as the caller sees it; 404 unless they may."""
    found = await repository.ciphers_by_ids(session, [cipher_id])
    if not found:
        raise CipherNotFound()
    caller = await caller_facts(session, user_id, organizations_of(found))
    access = found[0].visible_to(caller)
    prefs = await repository.prefs_of_user(session, user_id, [cipher_id])
    return CipherView(found[0], access, prefs.get(cipher_id, NO_PREFS))


async def folders_of(session: AsyncSession, user_id: uuid.UUID) -> list[Folder]:
    return await repository.folders_of_user(session, user_id)


async def folder_of(session: AsyncSession, user_id: uuid.UUID, folder_id: uuid.UUID) -> Folder:
    folder = await repository.folder_of_user(session, user_id, folder_id)
    if folder is None:
        raise FolderNotFound()
    return folder


async def revision_date_ms(session: AsyncSession, user_id: uuid.UUID) -> int:
    """Epoch milliseconds of the last change the user can see here; 0 before the first one."""
    revised = await session.scalar(select(user_revisions.c.revised_at).where(user_revisions.c.user_id == user_id))
    return 0 if revised is None else epoch_ms(revised)


async def cipher_events(
    session: AsyncSession, user_id: uuid.UUID, cipher_id: uuid.UUID, asked: LogQuery, clock: Clock
) -> Page:
    """One item's event log, for those who may read it (domain/audit.py); 404 for everyone else."""
    found = await repository.ciphers_by_ids(session, [cipher_id])
    if not found:
        raise CipherNotFound()
    cipher = found[0]
    caller = await caller_facts(session, user_id, organizations_of(found))
    permissions = await _custom_permissions(session, cipher.organization_id, user_id)
    if not may_read_cipher_events(caller, cipher.facts, permissions):
        raise CipherNotFound()
    scope = audit_events.c.cipher_id == cipher_id
    return await read_page(session, audit_events, scope, asked, now=clock())


async def _custom_permissions(
    session: AsyncSession, organization_id: uuid.UUID | None, user_id: uuid.UUID
) -> dict[str, Any] | None:
    if organization_id is None:
        return None
    permissions: dict[str, Any] | None = await session.scalar(
        select(org_members.c.permissions).where(
            org_members.c.organization_id == organization_id, org_members.c.user_id == user_id
        )
    )
    return permissions


_ORG_CIPHERS_SQL = """
SELECT id, type, user_id, organization_id, name, notes, key, reprompt,
       data::text, fields::text, password_history::text, created_at, updated_at, deleted_at
FROM ciphers WHERE organization_id = $1 ORDER BY id
"""
_ORG_LINKS_SQL = """
SELECT cc.cipher_id, cc.collection_id FROM collection_ciphers cc JOIN ciphers c ON c.id = cc.cipher_id
WHERE c.organization_id = $1
"""


async def organization_ciphers(
    session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID
) -> list[CipherView]:
    """Every item of the organization, trashed ones included, for who may read its whole vault (`may_import_into`:
    they may export it too); 404 for everyone else. No folders or favorites: this is the organization's view."""
    caller = await caller_facts(session, user_id, {organization_id})
    if not may_import_into(caller, organization_id):
        raise OrganizationNotFound()
    driver = await driver_connection(session)
    ciphers = {row[0]: Cipher(*row) for row in await driver.fetch(_ORG_CIPHERS_SQL, organization_id)}
    for cipher_id, collection_id in await driver.fetch(_ORG_LINKS_SQL, organization_id):
        ciphers[cipher_id].collection_ids.append(collection_id)
    return [CipherView(cipher, _administering(cipher), NO_PREFS) for cipher in ciphers.values()]


async def organization_assigned(
    session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID
) -> list[CipherView]:
    """The organization's items the caller sees through their collections; 404 for who neither is its active member
    nor sees it whole (its provider's users), as for an organization that does not exist."""
    if not may_use_organization(await caller_facts(session, user_id, {organization_id}), organization_id):
        raise OrganizationNotFound()
    vault = await vault_of(session, user_id)
    return [view for view in vault.ciphers if view.cipher.organization_id == organization_id]


async def organization_cipher(session: AsyncSession, user_id: uuid.UUID, cipher_id: uuid.UUID) -> CipherView:
    """One organization item for who may read the organization's whole vault; 404 otherwise."""
    found = await repository.ciphers_by_ids(session, [cipher_id])
    if not found or found[0].organization_id is None:
        raise CipherNotFound()
    if not may_import_into(await caller_facts(session, user_id, organizations_of(found)), found[0].organization_id):
        raise CipherNotFound()
    return CipherView(found[0], _administering(found[0]), NO_PREFS)


def _administering(cipher: Cipher) -> CipherAccess:
    return CipherAccess(edit=True, view_password=True, manage=True, collection_ids=tuple(cipher.collection_ids))
