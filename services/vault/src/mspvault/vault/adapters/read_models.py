"""The read models: what the vault keeps of other services' data, written only by their events (`SqlReadModels`
implements the `ReadModels` port for service_layer/projections.py). They are read as the access rule's facts in
repository.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, Unpack

from sqlalchemy import Column, Executable, Table, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import Insert, insert

from mspvault.shared.contracts.organization import MemberAccess
from mspvault.shared.db.rows import given, insert_if_new, insert_into
from mspvault.shared.db.users_read_model import SqlUsersReadModel
from mspvault.vault.adapters.orm import (
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
    users,
)
from mspvault.vault.adapters.repository import delete_ciphers, organization_audience, provider_memberships
from mspvault.vault.service_layer.ports import MemberFacts, ProviderUserFacts


@cache
def _link_unless_newer() -> Insert:
    """The upsert of a client link, built once and given its values as parameters (built per event it cost ~0.5 ms
    of CPU, twice per client organization created)."""
    statement = insert(provider_clients).values({name: bindparam(name) for name in _LINK_COLUMNS})
    newer = provider_clients.c.as_of <= statement.excluded.as_of
    # An unlink by one provider never cuts the link of another.
    same_or_linking = (provider_clients.c.provider_id == statement.excluded.provider_id) | statement.excluded.linked
    return statement.on_conflict_do_update(
        index_elements=[provider_clients.c.organization_id],
        set_={name: statement.excluded[name] for name in _LINK_COLUMNS if name != "organization_id"},
        where=newer & same_or_linking,
    )


_LINK_COLUMNS = ("organization_id", "provider_id", "linked", "as_of")


# The statements below run for every client organization created (its organization, collection, access list and
# link), built once with their values as parameters: built per event, their construction, cache keys and (for a
# multi-row VALUES) compilation were most of the vault's SQLAlchemy CPU per client.
@cache
def _save_organization() -> Executable:
    """Upsert the organization and return whether it was enabled before (None: it is new). One statement: a subquery
    in RETURNING reads the statement's snapshot, the row as it was before it."""
    previous = select(organizations.c.enabled).where(organizations.c.id == bindparam("id")).scalar_subquery()
    statement = insert(organizations).values({name: bindparam(name) for name in ("id", "name", "enabled")})
    return statement.on_conflict_do_update(
        index_elements=[organizations.c.id],
        set_={"name": statement.excluded.name, "enabled": statement.excluded.enabled},
    ).returning(previous)


@cache
def _claim_access_list() -> Executable:
    """Stamp the collection with the list's date, unless it holds a newer list or was deleted; returns its id."""
    as_of = bindparam("as_of", type_=collections.c.access_as_of.type)
    return (
        update(collections)
        .where(
            collections.c.id == bindparam("collection_id"),
            collections.c.deleted_at.is_(None),
            collections.c.access_as_of.is_(None) | (collections.c.access_as_of <= as_of),
        )
        .values(access_as_of=as_of)
        .returning(collections.c.id)
    )


@cache
def _clear_access_list() -> Executable:
    return (
        delete(collection_access)
        .where(collection_access.c.collection_id == bindparam("collection_id"))
        .returning(collection_access.c.user_id)
    )


@cache
def _set_provider_access() -> Executable:
    """Set whether the provider's users reach the client's items, on the link this provider holds; returns the
    organization's id when that changed something."""
    allowed = bindparam("allowed", type_=provider_clients.c.provider_access_to_items.type)
    # Not the columns' names: those are reserved for the values an UPDATE sets.
    held = (provider_clients.c.organization_id == bindparam("client")) & (
        provider_clients.c.provider_id == bindparam("provider")
    )
    changing = provider_clients.c.provider_access_to_items.is_distinct_from(allowed)
    statement = update(provider_clients).values(provider_access_to_items=allowed).where(held, changing)
    return statement.returning(provider_clients.c.organization_id)


_AS_OF = "event_as_of"


@cache
def _upsert_unless_newer(table: Table, key: str, columns: tuple[str, ...]) -> Executable:
    """The upsert of a member or provider user that skips a row reflecting a newer event, built once per set of
    columns and given its values as parameters (built per event it cost ~0.4 ms of CPU, once per client created)."""
    statement = insert(table).values({name: bindparam(name) for name in (key, *columns)})
    as_of = bindparam(_AS_OF, type_=table.c.source_at.type)
    return statement.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={name: statement.excluded[name] for name in columns},
        where=table.c.source_at.is_(None) | (table.c.source_at <= as_of),
    ).returning(table.c.user_id)


class SqlReadModels(SqlUsersReadModel):
    """Writes of the read models, in the inbox consumer's transaction."""

    # ---- identity (registration, profile and key: SqlUsersReadModel) ---------------------------------------
    users_table = users

    async def delete_user(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        session = self.session
        owned = list((await session.execute(select(ciphers.c.id).where(ciphers.c.user_id == user_id))).scalars())
        await delete_ciphers(session, owned)
        await session.execute(delete(cipher_user_prefs).where(cipher_user_prefs.c.user_id == user_id))
        await session.execute(delete(folders).where(folders.c.user_id == user_id))
        await session.execute(delete(users).where(users.c.id == user_id))
        return owned

    # ---- organizations -------------------------------------------------------------------------------------

    async def save_organization(self, organization_id: uuid.UUID, *, name: str, enabled: bool) -> bool | None:
        row = {"id": organization_id, "name": name, "enabled": enabled}
        result: bool | None = await self.session.scalar(_save_organization(), row)
        return result

    async def know_organization(self, organization_id: uuid.UUID, name: str) -> None:
        row = {"id": organization_id, "name": name, "enabled": True}
        await self.session.execute(insert_if_new(organizations), row)

    async def delete_organization(self, organization_id: uuid.UUID) -> list[uuid.UUID]:
        session = self.session
        owned = list(
            (await session.execute(select(ciphers.c.id).where(ciphers.c.organization_id == organization_id))).scalars()
        )
        await delete_ciphers(session, owned)
        collection_ids = select(collections.c.id).where(collections.c.organization_id == organization_id)
        await session.execute(delete(collection_ciphers).where(collection_ciphers.c.collection_id.in_(collection_ids)))
        await session.execute(delete(collection_access).where(collection_access.c.organization_id == organization_id))
        await session.execute(delete(collections).where(collections.c.organization_id == organization_id))
        await session.execute(delete(org_members).where(org_members.c.organization_id == organization_id))
        await session.execute(delete(organizations).where(organizations.c.id == organization_id))
        await session.execute(
            update(provider_clients).where(provider_clients.c.organization_id == organization_id).values(linked=False)
        )
        return owned

    async def everyone_in_org(self, organization_id: uuid.UUID) -> set[uuid.UUID]:
        collection_ids = (
            await self.session.execute(select(collections.c.id).where(collections.c.organization_id == organization_id))
        ).scalars()
        facts = await organization_audience(self.session, organization_id, list(collection_ids))
        return (
            set(facts.members)
            | {uid for users_of in facts.collection_users.values() for uid in users_of}
            | set(facts.provider_users)
        )

    async def save_member(self, member_id: uuid.UUID, **member: Unpack[MemberFacts]) -> uuid.UUID | None:
        membership, as_of = member["membership"], member["as_of"]
        values: dict[str, Any] = {
            "organization_id": member["organization_id"],
            "type": membership.type,
            "status": membership.status,
            "edit_any_collection": membership.edit_any_collection,
            "access_all": membership.access_all,
            "permissions": member["permissions"],
            "source_at": as_of,
        }
        values |= given(user_id=member["user_id"])  # an invite has none yet; a later event never erases it
        return await self._upsert_unless_newer(org_members, org_members.c.member_id, member_id, values, as_of)

    async def delete_member(
        self, member_id: uuid.UUID, *, organization_id: uuid.UUID, member_type: int, as_of: datetime
    ) -> uuid.UUID | None:
        """A tombstone (revoked, no account), so an older event replayed later cannot bring the member back."""
        before: uuid.UUID | None = await self.session.scalar(
            select(org_members.c.user_id).where(org_members.c.member_id == member_id)
        )
        gone = {
            "organization_id": organization_id,
            "type": member_type,
            "status": -1,  # revoked
            "user_id": None,
            "edit_any_collection": False,
            "access_all": False,
            "permissions": None,
            "source_at": as_of,
        }
        await self._upsert_unless_newer(org_members, org_members.c.member_id, member_id, gone, as_of)
        return before

    async def save_collection(self, collection_id: uuid.UUID, organization_id: uuid.UUID) -> None:
        row = {"id": collection_id, "organization_id": organization_id}
        await self.session.execute(insert_if_new(collections), row)

    async def delete_collection(self, collection_id: uuid.UUID, organization_id: uuid.UUID, as_of: datetime) -> None:
        session = self.session
        await session.execute(delete(collection_ciphers).where(collection_ciphers.c.collection_id == collection_id))
        await session.execute(delete(collection_access).where(collection_access.c.collection_id == collection_id))
        tombstone = insert(collections).values(id=collection_id, organization_id=organization_id, deleted_at=as_of)
        await session.execute(
            tombstone.on_conflict_do_update(index_elements=[collections.c.id], set_={"deleted_at": as_of})
        )

    async def replace_collection_access(
        self, collection_id: uuid.UUID, organization_id: uuid.UUID, access: Sequence[MemberAccess], as_of: datetime
    ) -> set[uuid.UUID] | None:
        newest = await self.session.scalar(_claim_access_list(), {"collection_id": collection_id, "as_of": as_of})
        if newest is None:
            return None  # we hold a newer list already, or the collection was deleted
        previous = await self.session.scalars(_clear_access_list(), {"collection_id": collection_id})
        before = set(previous)
        rows = {
            entry.user_id: {
                "collection_id": collection_id,
                "user_id": entry.user_id,
                "organization_id": organization_id,
                "read_only": entry.read_only,
                "hide_passwords": entry.hide_passwords,
                "manage": entry.manage,
            }
            for entry in access
        }
        if rows:  # executemany: the statement is built once whatever the count
            await self.session.execute(insert_into(collection_access), list(rows.values()))
        return before

    # ---- providers -----------------------------------------------------------------------------------------
    async def save_provider_user(
        self, provider_user_id: uuid.UUID, **provider_user: Unpack[ProviderUserFacts]
    ) -> uuid.UUID | None:
        as_of = provider_user["as_of"]
        values = {"provider_id": provider_user["provider_id"], "source_at": as_of}
        values |= given(**{name: provider_user[name] for name in ("user_id", "confirmed", "revoked")})
        return await self._upsert_unless_newer(
            provider_users, provider_users.c.provider_user_id, provider_user_id, values, as_of
        )

    async def delete_provider_user(
        self, provider_user_id: uuid.UUID, *, provider_id: uuid.UUID, as_of: datetime
    ) -> uuid.UUID | None:
        """A tombstone (no account, revoked), written even for a row never seen, so that an older event replayed
        or delivered later cannot bring the access back."""
        before: uuid.UUID | None = await self.session.scalar(
            select(provider_users.c.user_id).where(provider_users.c.provider_user_id == provider_user_id)
        )
        gone = {"provider_id": provider_id, "user_id": None, "confirmed": False, "revoked": True, "source_at": as_of}
        await self._upsert_unless_newer(
            provider_users, provider_users.c.provider_user_id, provider_user_id, gone, as_of
        )
        return before

    async def _upsert_unless_newer(
        self, table: Table, key: Column[uuid.UUID], key_value: uuid.UUID, values: dict[str, Any], as_of: datetime
    ) -> uuid.UUID | None:
        """Insert or update, unless the row reflects a newer event already (its `source_at`); returns the account
        the row now carries (None when skipped)."""
        statement = _upsert_unless_newer(table, key.name, tuple(values))
        result = await self.session.execute(statement, {key.name: key_value, **values, _AS_OF: as_of})
        saved: uuid.UUID | None = result.scalar_one_or_none()
        return saved

    async def link_client(
        self, organization_id: uuid.UUID, provider_id: uuid.UUID, *, linked: bool, as_of: datetime
    ) -> None:
        values = {"organization_id": organization_id, "provider_id": provider_id, "linked": linked, "as_of": as_of}
        await self.session.execute(_link_unless_newer(), values)

    async def set_provider_access(self, organization_id: uuid.UUID, provider_id: uuid.UUID, allowed: bool) -> bool:
        # Only provider events set it, and they are ordered per provider, so unlike `linked` it needs no `as_of`
        # guard; a link now held by another provider is not this event's to change.
        values = {"client": organization_id, "provider": provider_id, "allowed": allowed}
        result = await self.session.execute(_set_provider_access(), values)
        return result.first() is not None

    async def provider_accounts(self, provider_id: uuid.UUID) -> set[uuid.UUID]:
        return set(await provider_memberships(self.session, provider_id))
