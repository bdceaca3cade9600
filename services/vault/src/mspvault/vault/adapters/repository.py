"""SQL for the vault's own tables. Every function takes the session of the caller's unit of work; none commits.

Reads that serve many items fetch each table once (`= ANY(:ids)`), never once per item.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, any_, cast, delete, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.db import revisions
from mspvault.vault.adapters.orm import (
    cipher_user_prefs,
    ciphers,
    collection_ciphers,
    collections,
    folders,
    user_revisions,
)
from mspvault.vault.domain.cipher import CipherContent


@dataclass(slots=True)
class StoredCipher:
    id: uuid.UUID
    type: int
    user_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    name: str
    notes: str | None
    key: str | None
    reprompt: int
    # The opaque JSON parts stay text on the way out: decoding and re-encoding 15,000 of them would dominate a sync.
    data_json: str
    fields_json: str | None
    password_history_json: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    collection_ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Prefs:
    folder_id: uuid.UUID | None = None
    favorite: bool = False
    archived_at: datetime | None = None


NO_PREFS = Prefs()

_CIPHER_COLUMNS = (
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


def any_of(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column = ANY(:array)`: one typed array parameter, however many values (IN would bind one per value)."""
    return column == any_(literal(list(values), ARRAY(column.type)))


def _stored(row: Sequence[Any]) -> StoredCipher:
    return StoredCipher(*row)


# --- ciphers -------------------------------------------------------------------------------------------------------


async def ciphers_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, for_update: bool = False
) -> list[StoredCipher]:
    """The ciphers with these ids (unknown ids are simply absent), with their collection ids."""
    if not ids:
        return []
    query = select(*_CIPHER_COLUMNS).where(any_of(ciphers.c.id, ids)).order_by(ciphers.c.id)
    if for_update:
        # Serializes concurrent edits of one item, so the stale-copy check cannot be raced.
        query = query.with_for_update(of=ciphers)
    found = [_stored(row) for row in (await session.execute(query)).all()]
    await attach_collections(session, found)
    return found


async def cipher_by_id(session: AsyncSession, cipher_id: uuid.UUID, *, for_update: bool = False) -> StoredCipher | None:
    found = await ciphers_by_ids(session, [cipher_id], for_update=for_update)
    return found[0] if found else None


# The sync path reads up to tens of thousands of rows; it talks to asyncpg directly, since SQLAlchemy's per-row
# result processing (UUID and JSON conversions) would cost more than the query itself. Same columns as above.
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


async def _driver(session: AsyncSession) -> Any:
    """The asyncpg connection under the session's own transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def visible_ciphers(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    whole_orgs: Sequence[uuid.UUID],
    member_orgs: Sequence[uuid.UUID],
    granted_collections: Sequence[uuid.UUID],
) -> list[StoredCipher]:
    """Candidates for what a user sees: personal items, every item of whole-access organizations, and items of
    member organizations in granted collections. The access rule still decides each one."""
    driver = await _driver(session)
    rows = await driver.fetch(
        _VISIBLE_CIPHERS_SQL, user_id, list(whole_orgs), list(member_orgs), list(granted_collections)
    )
    found = [StoredCipher(*row) for row in rows]
    org_ciphers = {cipher.id: cipher for cipher in found if cipher.organization_id is not None}
    if org_ciphers:
        for cipher_id, collection_id in await driver.fetch(_LINKS_SQL, list(org_ciphers)):
            org_ciphers[cipher_id].collection_ids.append(collection_id)
    return found


async def attach_collections(session: AsyncSession, found: list[StoredCipher]) -> None:
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


def _content_values(content: CipherContent) -> dict[str, Any]:
    return {
        "type": int(content.type),
        "name": content.name,
        "notes": content.notes,
        "key": content.key,
        "reprompt": content.reprompt,
        "data": content.data,
        "fields": content.fields,
        "password_history": content.password_history,
    }


async def insert_cipher(
    session: AsyncSession,
    *,
    cipher_id: uuid.UUID,
    content: CipherContent,
    user_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    at: datetime,
) -> None:
    await session.execute(
        ciphers.insert().values(
            id=cipher_id,
            user_id=user_id,
            organization_id=organization_id,
            created_at=at,
            updated_at=at,
            **_content_values(content),
        )
    )


async def update_cipher(
    session: AsyncSession,
    cipher_id: uuid.UUID,
    *,
    content: CipherContent,
    user_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    at: datetime,
) -> None:
    await session.execute(
        update(ciphers)
        .where(ciphers.c.id == cipher_id)
        .values(user_id=user_id, organization_id=organization_id, updated_at=at, **_content_values(content))
    )


async def set_deleted_at(
    session: AsyncSession, ids: Sequence[uuid.UUID], deleted_at: datetime | None, at: datetime
) -> None:
    await session.execute(update(ciphers).where(any_of(ciphers.c.id, ids)).values(deleted_at=deleted_at, updated_at=at))


async def touch_ciphers(session: AsyncSession, ids: Sequence[uuid.UUID], at: datetime) -> None:
    await session.execute(update(ciphers).where(any_of(ciphers.c.id, ids)).values(updated_at=at))


async def delete_ciphers(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    # Prefs and collection links go with them (ON DELETE CASCADE).
    await session.execute(delete(ciphers).where(any_of(ciphers.c.id, ids)))


async def link_collections(session: AsyncSession, cipher_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]) -> None:
    rows = [{"cipher_id": cipher_id, "collection_id": cid} for cid in collection_ids]
    if rows:
        await session.execute(insert(collection_ciphers).values(rows).on_conflict_do_nothing())


async def unlink_collections(session: AsyncSession, cipher_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]) -> None:
    ids = list(collection_ids)
    if ids:
        await session.execute(
            delete(collection_ciphers).where(
                collection_ciphers.c.cipher_id == cipher_id, any_of(collection_ciphers.c.collection_id, ids)
            )
        )


async def collections_of_org(
    session: AsyncSession, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these collections exist in this organization (the read model of the organization service's)."""
    ids = list(collection_ids)
    if not ids:
        return set()
    rows = await session.execute(
        select(collections.c.id).where(any_of(collections.c.id, ids), collections.c.organization_id == organization_id)
    )
    return set(rows.scalars())


# --- per-user prefs ------------------------------------------------------------------------------------------------


async def prefs_of_user(
    session: AsyncSession, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID] | None = None
) -> dict[uuid.UUID, Prefs]:
    query = select(
        cipher_user_prefs.c.cipher_id,
        cipher_user_prefs.c.folder_id,
        cipher_user_prefs.c.favorite,
        cipher_user_prefs.c.archived_at,
    ).where(cipher_user_prefs.c.user_id == user_id)
    if cipher_ids is not None:
        query = query.where(any_of(cipher_user_prefs.c.cipher_id, cipher_ids))
    return {row[0]: Prefs(row[1], row[2], row[3]) for row in (await session.execute(query)).all()}


async def all_prefs_of_user(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, Prefs]:
    """Every pref row of the user, for a sync (straight through asyncpg, as `visible_ciphers`)."""
    rows = await (await _driver(session)).fetch(
        "SELECT cipher_id, folder_id, favorite, archived_at FROM cipher_user_prefs WHERE user_id = $1", user_id
    )
    return {row[0]: Prefs(row[1], row[2], row[3]) for row in rows}


async def save_prefs(
    session: AsyncSession,
    *,
    cipher_id: uuid.UUID,
    user_id: uuid.UUID,
    folder_id: uuid.UUID | None,
    favorite: bool | None,
    archived_at: datetime | None,
) -> None:
    """Set the user's folder (None = no folder); favorite and archive date only when given."""
    values: dict[str, Any] = {"cipher_id": cipher_id, "user_id": user_id, "folder_id": folder_id}
    changes: dict[str, Any] = {"folder_id": folder_id}
    if favorite is not None:
        values["favorite"] = changes["favorite"] = favorite
    if archived_at is not None:
        values["archived_at"] = changes["archived_at"] = archived_at
    await session.execute(
        insert(cipher_user_prefs)
        .values(**values)
        .on_conflict_do_update(
            index_elements=[cipher_user_prefs.c.cipher_id, cipher_user_prefs.c.user_id], set_=changes
        )
    )


async def move_to_folder(
    session: AsyncSession, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID], folder_id: uuid.UUID | None
) -> None:
    if not cipher_ids:
        return
    await session.execute(
        insert(cipher_user_prefs)
        .values([{"cipher_id": cid, "user_id": user_id, "folder_id": folder_id} for cid in cipher_ids])
        .on_conflict_do_update(
            index_elements=[cipher_user_prefs.c.cipher_id, cipher_user_prefs.c.user_id], set_={"folder_id": folder_id}
        )
    )


# --- folders -------------------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class StoredFolder:
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    updated_at: datetime


_FOLDER_COLUMNS = (folders.c.id, folders.c.user_id, folders.c.name, folders.c.updated_at)


async def folders_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[StoredFolder]:
    rows = await session.execute(select(*_FOLDER_COLUMNS).where(folders.c.user_id == user_id).order_by(folders.c.id))
    return [StoredFolder(*row) for row in rows]


async def folder_of_user(session: AsyncSession, folder_id: uuid.UUID, user_id: uuid.UUID) -> StoredFolder | None:
    row = (
        await session.execute(select(*_FOLDER_COLUMNS).where(folders.c.id == folder_id, folders.c.user_id == user_id))
    ).first()
    return StoredFolder(*row) if row is not None else None


async def insert_folder(
    session: AsyncSession, *, folder_id: uuid.UUID, user_id: uuid.UUID, name: str, at: datetime
) -> None:
    await session.execute(
        folders.insert().values(id=folder_id, user_id=user_id, name=name, created_at=at, updated_at=at)
    )


async def rename_folder(session: AsyncSession, folder_id: uuid.UUID, name: str, at: datetime) -> None:
    await session.execute(update(folders).where(folders.c.id == folder_id).values(name=name, updated_at=at))


async def delete_folder(session: AsyncSession, folder_id: uuid.UUID) -> None:
    # Items in it lose their folder (ON DELETE SET NULL) and stay.
    await session.execute(delete(folders).where(folders.c.id == folder_id))


# --- revision dates ------------------------------------------------------------------------------------------------


async def bump_revisions(session: AsyncSession, user_ids: Iterable[uuid.UUID], at: datetime) -> None:
    """Record that what these users see changed at `at` (never moving a date backwards)."""
    await revisions.bump_revisions(session, user_revisions, user_ids, at)


async def revision_of(session: AsyncSession, user_id: uuid.UUID) -> datetime | None:
    result = await session.execute(select(user_revisions.c.revised_at).where(user_revisions.c.user_id == user_id))
    return result.scalar_one_or_none()
