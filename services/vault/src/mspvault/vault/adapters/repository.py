"""The store: maps ciphers, folders and prefs between the domain and the tables, inside one session; never commits.
It also reads the read models as the access rule's facts (`caller_facts`, `sync_facts`, `organization_audience`): a
caller's facts take a handful of small queries, whatever the number of items they are then applied to, and a
command's facts only those of the organizations it touches.

Reads that serve many items fetch each table once (`= ANY(:ids)`), never once per item.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any, Unpack

from sqlalchemy import Select, Text, bindparam, cast, delete, exists, literal, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.audit.storage import store_entry
from mspvault.shared.db import revisions
from mspvault.shared.db.rows import column_values, given, upsert
from mspvault.vault.adapters.orm import (
    audit_events,
    cipher_user_prefs,
    ciphers,
    collection_access,
    collection_ciphers,
    collections,
    folders,
    org_members,
    organizations,
    provider_clients,
    provider_users,
    user_revisions,
)
from mspvault.vault.adapters.sql import any_of, driver_connection
from mspvault.vault.domain.access import (
    CallerFacts,
    ClientLink,
    CollectionGrant,
    Membership,
    OrganizationAudience,
    ProviderMembership,
)
from mspvault.vault.domain.cipher import Cipher, Prefs
from mspvault.vault.domain.folder import Folder
from mspvault.vault.domain.imports import ImportBatch
from mspvault.vault.service_layer.ports import PrefsChange

# Same columns, in the same order, as `Cipher`'s leading fields (the sync's raw query in queries.py too).
CIPHER_COLUMNS = (
    ciphers.c.id,
    ciphers.c.type,
    ciphers.c.user_id,
    ciphers.c.organization_id,
    ciphers.c.name,
    ciphers.c.notes,
    ciphers.c.key,
    ciphers.c.reprompt,
    cast(ciphers.c.data, Text),
    cast(ciphers.c.fields, Text),
    cast(ciphers.c.password_history, Text),
    ciphers.c.created_at,
    ciphers.c.updated_at,
    ciphers.c.deleted_at,
)
PREFS_COLUMNS = (
    cipher_user_prefs.c.cipher_id,
    cipher_user_prefs.c.folder_id,
    cipher_user_prefs.c.favorite,
    cipher_user_prefs.c.archived_at,
)
FOLDER_COLUMNS = (folders.c.id, folders.c.user_id, folders.c.name, folders.c.updated_at)


_COPY_COLUMNS = [
    "id",
    "type",
    "user_id",
    "organization_id",
    "name",
    "notes",
    "key",
    "reprompt",
    "data",
    "fields",
    "password_history",
    "created_at",
    "updated_at",
    "deleted_at",
]


def _copy_row(cipher: Cipher) -> tuple[Any, ...]:
    # asyncpg's jsonb codec takes JSON text, which is what the domain keeps.
    return (
        cipher.id,
        cipher.type,
        cipher.user_id,
        cipher.organization_id,
        cipher.name,
        cipher.notes,
        cipher.key,
        cipher.reprompt,
        cipher.data_json,
        cipher.fields_json,
        cipher.password_history_json,
        cipher.created_at,
        cipher.updated_at,
        cipher.deleted_at,
    )


def _json(text: str | None) -> Any:
    # The domain keeps the opaque parts as JSON text; PostgreSQL parses it into JSONB (NULL stays NULL).
    return None if text is None else cast(literal(text, Text), JSONB)


def _cipher_values(cipher: Cipher) -> dict[str, Any]:
    return column_values(
        cipher,
        ciphers,
        exclude=("id", "created_at"),
        data=_json(cipher.data_json),
        fields=_json(cipher.fields_json),
        password_history=_json(cipher.password_history_json),
    )


async def attach_collections(session: AsyncSession, found: Sequence[Cipher]) -> None:
    org_ciphers = {cipher.id: cipher for cipher in found if cipher.organization_id is not None}
    if not org_ciphers:
        return
    rows = await session.execute(
        select(collection_ciphers.c.cipher_id, collection_ciphers.c.collection_id).where(
            any_of(collection_ciphers.c.cipher_id, org_ciphers)
        )
    )
    for cipher_id, collection_id in rows.all():
        org_ciphers[cipher_id].collection_ids.append(collection_id)


async def ciphers_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID], *, lock: bool = False) -> list[Cipher]:
    """The ciphers with these ids (unknown ids are simply absent), with their collection ids."""
    if not ids:
        return []
    query = select(*CIPHER_COLUMNS).where(any_of(ciphers.c.id, ids)).order_by(ciphers.c.id)
    if lock:
        query = query.with_for_update(of=ciphers)
    found = [Cipher(*row) for row in (await session.execute(query)).all()]
    await attach_collections(session, found)
    return found


async def prefs_of_user(
    session: AsyncSession, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Prefs]:
    query = select(*PREFS_COLUMNS).where(
        cipher_user_prefs.c.user_id == user_id, any_of(cipher_user_prefs.c.cipher_id, cipher_ids)
    )
    return {row[0]: Prefs(row[1], row[2], row[3]) for row in (await session.execute(query)).all()}


async def folders_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[Folder]:
    rows = await session.execute(select(*FOLDER_COLUMNS).where(folders.c.user_id == user_id).order_by(folders.c.id))
    return [Folder(*row) for row in rows]


async def folder_of_user(session: AsyncSession, user_id: uuid.UUID, folder_id: uuid.UUID) -> Folder | None:
    row = (
        await session.execute(select(*FOLDER_COLUMNS).where(folders.c.id == folder_id, folders.c.user_id == user_id))
    ).first()
    return Folder(*row) if row is not None else None


_MEMBERSHIP_COLUMNS = (
    org_members.c.type,
    org_members.c.status,
    org_members.c.edit_any_collection,
    org_members.c.access_all,
)


async def _standing(session: AsyncSession, user_id: uuid.UUID, scope: Sequence[uuid.UUID] | None) -> CallerFacts:
    """The caller's memberships (and which of those organizations are disabled), grants and provider memberships:
    the facts but the client links. `scope`: only these organizations' memberships and grants (None: all)."""
    memberships: dict[uuid.UUID, Membership] = {}
    disabled: set[uuid.UUID] = set()
    membership_rows = (
        select(
            org_members.c.organization_id,
            *_MEMBERSHIP_COLUMNS,
            org_members.c.permissions["accessImportExport"].as_boolean(),
            organizations.c.enabled,
        )
        .outerjoin(organizations, organizations.c.id == org_members.c.organization_id)
        .where(org_members.c.user_id == user_id)
        .order_by(org_members.c.status)
    )
    grant_rows = select(
        collection_access.c.collection_id,
        collection_access.c.read_only,
        collection_access.c.hide_passwords,
        collection_access.c.manage,
    ).where(collection_access.c.user_id == user_id)
    if scope is not None:
        membership_rows = membership_rows.where(any_of(org_members.c.organization_id, scope))
        grant_rows = grant_rows.where(any_of(collection_access.c.organization_id, scope))
    for organization_id, kind, status, edit_any, access_all, import_export, enabled in await session.execute(
        membership_rows
    ):
        # Ordered by status, so a stray second membership of the same org cannot shadow a confirmed one.
        memberships[organization_id] = Membership(kind, status, edit_any, access_all, bool(import_export))
        if enabled is False:  # an organization the read model does not hold yet is not disabled
            disabled.add(organization_id)

    grants = {
        row.collection_id: CollectionGrant(row.read_only, row.hide_passwords, row.manage)
        for row in await session.execute(grant_rows)
    }

    providers: dict[uuid.UUID, ProviderMembership] = {}
    for provider_id, confirmed, revoked in await session.execute(
        select(provider_users.c.provider_id, provider_users.c.confirmed, provider_users.c.revoked)
        .where(provider_users.c.user_id == user_id)
        .order_by(provider_users.c.confirmed)
    ):
        providers[provider_id] = ProviderMembership(confirmed, revoked)
    return CallerFacts(user_id, memberships, grants, providers, disabled_orgs=frozenset(disabled))


async def caller_facts(session: AsyncSession, user_id: uuid.UUID, organizations: Iterable[uuid.UUID]) -> CallerFacts:
    """The access rule's facts about the caller in these organizations (a command's, an item's): their memberships,
    grants and client links there, and their provider memberships. They say nothing of any other organization, so
    the rules refuse it: a write by a user whose provider has 10,000 clients reads the one client's link, by its key.
    With no organization (personal items only) nothing needs reading."""
    scope = list(dict.fromkeys(organizations))
    if not scope:
        return CallerFacts(user_id)
    standing = await _standing(session, user_id, scope)
    if not standing.providers:
        return standing
    link = provider_clients.c
    reach = _client_links().where(any_of(link.organization_id, scope), any_of(link.provider_id, standing.providers))
    return await _with_client_links(standing, session, reach)


async def sync_facts(session: AsyncSession, user_id: uuid.UUID) -> CallerFacts:
    """Every fact of the access rule about the caller, for the sync, with only the clients they reach that hold
    items: a provider may have 10,000 clients, few of them holding items, and PostgreSQL picks those out by itself,
    so no client id travels to Python and back."""
    standing = await _standing(session, user_id, None)
    providers = [provider for provider, membership in standing.providers.items() if membership.is_active]
    if not providers:
        return standing
    link = provider_clients.c
    holding = exists().where(ciphers.c.organization_id == link.organization_id)
    reach = _client_links().where(any_of(link.provider_id, providers), link.provider_access_to_items, holding)
    return await _with_client_links(standing, session, reach)


def _client_links() -> Select[uuid.UUID, uuid.UUID, bool, bool]:
    """Linked clients with their provider, item-access setting and whether the organization is enabled."""
    link = provider_clients.c
    return (
        select(link.organization_id, link.provider_id, link.provider_access_to_items, organizations.c.enabled)
        .outerjoin(organizations, organizations.c.id == link.organization_id)
        .where(link.linked)
    )


async def _with_client_links(
    standing: CallerFacts, session: AsyncSession, links: Select[uuid.UUID, uuid.UUID, bool, bool]
) -> CallerFacts:
    client_links: dict[uuid.UUID, ClientLink] = {}
    disabled = set(standing.disabled_orgs)
    for organization_id, provider_id, access_to_items, enabled in await session.execute(links):
        client_links[organization_id] = ClientLink(provider_id, access_to_items)
        if enabled is False:  # an organization not in the read model yet is not disabled
            disabled.add(organization_id)
    return replace(standing, client_links=client_links, disabled_orgs=frozenset(disabled))


async def organization_audience(
    session: AsyncSession, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID] = ()
) -> OrganizationAudience:
    """Who may see items of this organization in these collections (full-access users see them all)."""
    members: dict[uuid.UUID, Membership] = {}
    for user_id, kind, status, edit_any, access_all in await session.execute(
        select(org_members.c.user_id, *_MEMBERSHIP_COLUMNS)
        .where(org_members.c.organization_id == organization_id, org_members.c.user_id.is_not(None))
        .order_by(org_members.c.status)
    ):
        members[user_id] = Membership(kind, status, edit_any, access_all)

    collection_users: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    ids = list(collection_ids)
    if ids:
        for collection_id, user_id in await session.execute(
            select(collection_access.c.collection_id, collection_access.c.user_id).where(
                any_of(collection_access.c.collection_id, ids)
            )
        ):
            collection_users[collection_id].add(user_id)

    link_row = (
        await session.execute(
            select(provider_clients.c.provider_id, provider_clients.c.provider_access_to_items).where(
                provider_clients.c.organization_id == organization_id, provider_clients.c.linked
            )
        )
    ).first()
    link = ClientLink(link_row[0], link_row[1]) if link_row is not None else None
    provider_members: dict[uuid.UUID, ProviderMembership] = {}
    if link is not None:
        provider_members = await provider_memberships(session, link.provider_id)
    return OrganizationAudience(members, collection_users, provider_members, link)


async def provider_memberships(session: AsyncSession, provider_id: uuid.UUID) -> dict[uuid.UUID, ProviderMembership]:
    """Every user of the provider with an account, by user id, whatever their status."""
    rows = await session.execute(_provider_memberships(), {"provider_id": provider_id})
    return {user_id: ProviderMembership(confirmed, revoked) for user_id, confirmed, revoked in rows}


@cache
def _provider_memberships() -> Select[Any]:
    # Built once: every client organization created for a provider reads its users.
    return (
        select(provider_users.c.user_id, provider_users.c.confirmed, provider_users.c.revoked)
        .where(provider_users.c.provider_id == bindparam("provider_id"), provider_users.c.user_id.is_not(None))
        .order_by(provider_users.c.confirmed)
    )


async def delete_ciphers(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    # Prefs and collection links go with them (ON DELETE CASCADE).
    await session.execute(delete(ciphers).where(any_of(ciphers.c.id, ids)))


class SqlVaultStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- facts from the read models ----------------------------------------------------------------------------
    async def caller_facts(self, user_id: uuid.UUID, organizations: Iterable[uuid.UUID]) -> CallerFacts:
        return await caller_facts(self.session, user_id, organizations)

    async def organization_audience(
        self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID] = ()
    ) -> OrganizationAudience:
        return await organization_audience(self.session, organization_id, collection_ids)

    async def collections_of_org(
        self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]
    ) -> set[uuid.UUID]:
        ids = list(collection_ids)
        if not ids:
            return set()
        rows = await self.session.execute(
            select(collections.c.id).where(
                any_of(collections.c.id, ids),
                collections.c.organization_id == organization_id,
                collections.c.deleted_at.is_(None),
            )
        )
        return set(rows.scalars())

    # ---- ciphers ---------------------------------------------------------------------------------------------
    async def ciphers(self, ids: Sequence[uuid.UUID], *, lock: bool = False) -> list[Cipher]:
        return await ciphers_by_ids(self.session, ids, lock=lock)

    async def add_cipher(self, cipher: Cipher) -> None:
        await self.session.execute(
            ciphers.insert().values(id=cipher.id, created_at=cipher.created_at, **_cipher_values(cipher))
        )
        await self._link(cipher.id, cipher.collection_ids)

    async def save_cipher(self, cipher: Cipher) -> None:
        await self.session.execute(update(ciphers).where(ciphers.c.id == cipher.id).values(**_cipher_values(cipher)))
        unlinked = delete(collection_ciphers).where(collection_ciphers.c.cipher_id == cipher.id)
        if cipher.collection_ids:
            unlinked = unlinked.where(~any_of(collection_ciphers.c.collection_id, cipher.collection_ids))
        await self.session.execute(unlinked)
        await self._link(cipher.id, cipher.collection_ids)

    async def _link(self, cipher_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]) -> None:
        rows = [{"cipher_id": cipher_id, "collection_id": cid} for cid in collection_ids]
        if rows:
            await self.session.execute(insert(collection_ciphers).values(rows).on_conflict_do_nothing())

    async def save_trash_state(self, found: Sequence[Cipher]) -> None:
        # One statement per distinct pair of dates: a bulk trash or restore gives all its items the same ones.
        by_dates: dict[tuple[datetime | None, datetime], list[uuid.UUID]] = defaultdict(list)
        for cipher in found:
            by_dates[(cipher.deleted_at, cipher.updated_at)].append(cipher.id)
        for (deleted_at, updated_at), ids in by_dates.items():
            await self.session.execute(
                update(ciphers).where(any_of(ciphers.c.id, ids)).values(deleted_at=deleted_at, updated_at=updated_at)
            )

    async def delete_ciphers(self, ids: Sequence[uuid.UUID]) -> None:
        await delete_ciphers(self.session, ids)

    async def add_import(self, user_id: uuid.UUID, batch: ImportBatch) -> None:
        # COPY, not INSERT: a 10,000-item import is one round trip per table instead of thousands of bound rows.
        driver = await driver_connection(self.session)
        if batch.folders:
            await driver.copy_records_to_table(
                "folders",
                columns=["id", "user_id", "name", "created_at", "updated_at"],
                records=[(f.id, f.user_id, f.name, f.updated_at, f.updated_at) for f in batch.folders],
            )
        await driver.copy_records_to_table("ciphers", columns=_COPY_COLUMNS, records=map(_copy_row, batch.ciphers))
        links = [(cid, cipher.id) for cipher in batch.ciphers for cid in cipher.collection_ids]
        if links:
            await driver.copy_records_to_table(
                "collection_ciphers", columns=["collection_id", "cipher_id"], records=links
            )
        prefs = [
            (cipher.id, user_id, batch.folder_of.get(cipher.id), cipher.id in batch.favorites)
            for cipher in batch.ciphers
            if cipher.id in batch.folder_of or cipher.id in batch.favorites
        ]
        if prefs:
            await driver.copy_records_to_table(
                "cipher_user_prefs", columns=["cipher_id", "user_id", "folder_id", "favorite"], records=prefs
            )

    async def know_collections(self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]) -> None:
        rows = [{"id": cid, "organization_id": organization_id} for cid in collection_ids]
        if rows:
            await self.session.execute(insert(collections).values(rows).on_conflict_do_nothing())

    # ---- per-user prefs ------------------------------------------------------------------------------------
    async def prefs(self, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Prefs]:
        return await prefs_of_user(self.session, user_id, cipher_ids)

    async def save_prefs(self, user_id: uuid.UUID, cipher_id: uuid.UUID, **prefs: Unpack[PrefsChange]) -> None:
        changes = {"folder_id": prefs["folder_id"]} | given(
            favorite=prefs["favorite"], archived_at=prefs["archived_at"]
        )
        await upsert(self.session, cipher_user_prefs, {"cipher_id": cipher_id, "user_id": user_id}, changes)

    async def move_to_folder(
        self, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID], folder_id: uuid.UUID | None
    ) -> None:
        if not cipher_ids:
            return
        await self.session.execute(
            insert(cipher_user_prefs)
            .values([{"cipher_id": cid, "user_id": user_id, "folder_id": folder_id} for cid in cipher_ids])
            .on_conflict_do_update(
                index_elements=[cipher_user_prefs.c.cipher_id, cipher_user_prefs.c.user_id],
                set_={"folder_id": folder_id},
            )
        )

    # ---- folders -------------------------------------------------------------------------------------------
    async def folder(self, user_id: uuid.UUID, folder_id: uuid.UUID) -> Folder | None:
        return await folder_of_user(self.session, user_id, folder_id)

    async def folder_ids(self, user_id: uuid.UUID) -> set[uuid.UUID]:
        return set((await self.session.execute(select(folders.c.id).where(folders.c.user_id == user_id))).scalars())

    async def add_folder(self, folder: Folder) -> None:
        values = column_values(folder, folders, created_at=folder.updated_at)
        await self.session.execute(folders.insert().values(values))

    async def save_folder(self, folder: Folder) -> None:
        await self.session.execute(
            update(folders).where(folders.c.id == folder.id).values(name=folder.name, updated_at=folder.updated_at)
        )

    async def delete_folder(self, folder: Folder) -> None:
        # Items in it lose their folder (ON DELETE SET NULL) and stay.
        await self.session.execute(delete(folders).where(folders.c.id == folder.id))

    # ---- revision dates ------------------------------------------------------------------------------------
    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None:
        await revisions.bump_revisions(self.session, user_revisions, user_ids, now)


class SqlAuditLog:
    """The item event log's table (implements `VaultAuditLog`)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: AuditEntry) -> None:
        await store_entry(self.session, audit_events, entry)
