"""The store: maps providers, rosters and client links between the domain and the tables, inside one session."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Exists,
    FromClause,
    Row,
    ScalarSelect,
    Select,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.provider.adapters.orm import (
    audit_events,
    mail_outbox,
    org_members,
    organizations,
    provider_organizations,
    provider_users,
    providers,
    user_revisions,
)
from mspvault.provider.domain.client import ClientLink, ClientSettings, KnownOrganization
from mspvault.provider.domain.enums import ProviderStatus, ProviderType, ProviderUserStatus, ProviderUserType
from mspvault.provider.domain.errors import ClientNotFound, ProviderNotFound
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import ProviderUser, Roster
from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.audit.storage import ENTRY_FIELDS, entry_parameters
from mspvault.shared.db import revisions
from mspvault.shared.db.rows import column_values, entity_from_row, optional
from mspvault.shared.mail import queue_mail

OWNER = 0
CONFIRMED = 2


def provider_from_row(row: Row[Any] | Mapping[Any, Any]) -> Provider:
    return entity_from_row(Provider, row, type=ProviderType, status=ProviderStatus)


def provider_user_from_row(row: Row[Any] | Mapping[Any, Any]) -> ProviderUser:
    return entity_from_row(
        ProviderUser,
        row,
        type=ProviderUserType,
        status=ProviderUserStatus,
        status_before_revoke=optional(ProviderUserStatus),
    )


def _confirmed_owner(organization_id: Any, user_id: Any) -> Exists:
    return exists().where(
        org_members.c.organization_id == organization_id,
        org_members.c.user_id == user_id,
        org_members.c.type == OWNER,
        org_members.c.status == CONFIRMED,
    )


def client_from_row(row: Row[Any]) -> ClientLink:
    return entity_from_row(ClientLink, row, settings=ClientSettings.from_json)


def _columns_of(row: Row[Any], table: Table) -> dict[str, Any]:
    """The columns of `table` in a row of a join, by name (the joined tables share names such as `id`)."""
    mapping = row._mapping
    return {column.name: mapping[column] for column in table.c}


def _client_values(link: ClientLink) -> dict[str, Any]:
    return column_values(link, provider_organizations, settings=link.settings.to_json())


class SqlProviderStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- rosters --------------------------------------------------------------------------------------------
    async def add_roster(self, roster: Roster) -> None:
        await self.session.execute(insert(providers).values(column_values(roster.provider, providers)))
        if roster.users:
            await self.session.execute(insert(provider_users), [column_values(u, provider_users) for u in roster.users])

    async def load_roster(self, provider_id: uuid.UUID, *, lock: bool = False) -> Roster:
        if not lock:
            return await self._read_roster(provider_id)
        # The provider row is locked first and its users read after: read in the same statement, they would be
        # those of the snapshot taken before waiting on the lock (READ COMMITTED), missing a concurrent change.
        row = (
            await self.session.execute(select(providers).where(providers.c.id == provider_id).with_for_update())
        ).first()
        if row is None:
            raise ProviderNotFound()
        rows = (
            await self.session.execute(
                select(provider_users).where(provider_users.c.provider_id == provider_id).order_by(provider_users.c.id)
            )
        ).all()
        return Roster(provider=provider_from_row(row), users=[provider_user_from_row(r) for r in rows])

    async def _read_roster(self, provider_id: uuid.UUID) -> Roster:
        """The provider and its users in one statement (a round trip fewer on every client command)."""
        rows = (
            await self.session.execute(
                select(providers, provider_users)
                .outerjoin(provider_users, provider_users.c.provider_id == providers.c.id)
                .where(providers.c.id == provider_id)
                .order_by(provider_users.c.id)
            )
        ).all()
        if not rows:
            raise ProviderNotFound()
        provider = provider_from_row(_columns_of(rows[0], providers))
        users = [
            provider_user_from_row(_columns_of(row, provider_users))
            for row in rows
            if row._mapping[provider_users.c.id] is not None  # a provider without users: one row, no user
        ]
        return Roster(provider=provider, users=users)

    async def save_roster(self, roster: Roster) -> None:
        values = column_values(roster.provider, providers)
        await self.session.execute(update(providers).where(providers.c.id == roster.provider.id).values(values))
        if roster.removed:
            await self.session.execute(delete(provider_users).where(provider_users.c.id.in_(roster.removed)))
            roster.removed.clear()
        if roster.users:
            statement = insert(provider_users)
            changing = {c.name: statement.excluded[c.name] for c in provider_users.c if c.name != "id"}
            await self.session.execute(
                statement.on_conflict_do_update(index_elements=[provider_users.c.id], set_=changing),
                [column_values(u, provider_users) for u in roster.users],
            )

    # ---- client links ---------------------------------------------------------------------------------------
    async def add_client(self, link: ClientLink) -> None:
        await self.session.execute(insert(provider_organizations), _client_values(link))

    async def load_client(self, provider_id: uuid.UUID, link_id: uuid.UUID) -> ClientLink:
        row = (
            await self.session.execute(
                select(provider_organizations)
                .where(provider_organizations.c.id == link_id, provider_organizations.c.provider_id == provider_id)
                .with_for_update()
            )
        ).first()
        if row is None:
            raise ClientNotFound()
        return client_from_row(row)

    async def save_client(self, link: ClientLink) -> None:
        values = _client_values(link)
        await self.session.execute(
            update(provider_organizations).where(provider_organizations.c.id == link.id).values(values)
        )

    async def delete_client(self, link: ClientLink) -> None:
        await self.session.execute(delete(provider_organizations).where(provider_organizations.c.id == link.id))

    async def client_of_organization(self, organization_id: uuid.UUID) -> ClientLink | None:
        row = (
            await self.session.execute(
                select(provider_organizations)
                .where(provider_organizations.c.organization_id == organization_id)
                .with_for_update()
            )
        ).first()
        return client_from_row(row) if row is not None else None

    async def providers_of_account(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(
            select(provider_users.c.provider_id).where(provider_users.c.user_id == user_id).distinct()
        )
        return list(rows)

    async def provider_accounts(self, provider_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(
            select(provider_users.c.user_id).where(
                provider_users.c.provider_id == provider_id, provider_users.c.user_id.is_not(None)
            )
        )
        return [user_id for user_id in rows if user_id is not None]

    # ---- read models ----------------------------------------------------------------------------------------
    async def known_organization(self, organization_id: uuid.UUID) -> KnownOrganization | None:
        # The link table is ours and authoritative: a linked org has a provider whatever the read model says.
        row = (
            await self.session.execute(
                select(
                    organizations,
                    func.coalesce(provider_organizations.c.provider_id, organizations.c.provider_id).label("linked_to"),
                )
                .outerjoin(provider_organizations, provider_organizations.c.organization_id == organizations.c.id)
                .where(organizations.c.id == organization_id)
            )
        ).first()
        if row is None:
            return None
        return KnownOrganization(
            id=row.id, name=row.name, plan_type=row.plan_type, seats=row.seats, provider_id=row.linked_to
        )

    async def is_confirmed_owner(self, organization_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        return bool(await self.session.scalar(select(_confirmed_owner(organization_id, user_id))))

    async def has_confirmed_owner(self, organization_id: uuid.UUID) -> bool:
        query = select(
            exists().where(
                org_members.c.organization_id == organization_id,
                org_members.c.type == OWNER,
                org_members.c.status == CONFIRMED,
            )
        )
        return bool(await self.session.scalar(query))

    # ---- side effects in the same transaction ---------------------------------------------------------------
    async def queue_mail(self, *, to: str, subject: str, body: str) -> None:
        await queue_mail(self.session, mail_outbox, to=to, subject=subject, body=body)

    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None:
        await bump_revisions(self.session, user_ids, now)


class SqlAuditLog:
    """The audit log's table: each event recorded in one `INSERT … SELECT` that reads the facts its rules need
    (implements `ProviderAuditLog`; the rules are `service_layer/audit.py`'s)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_provider_event(self, entry: AuditEntry, *, client_link: bool) -> None:
        await self.session.execute(_provider_event(client_link), asdict(entry))

    async def record_client_event(self, entry: AuditEntry, *, attribute: bool) -> None:
        await self.session.execute(_client_event(attribute), asdict(entry))


# Each statement is built once per shape, the entry given as parameters: built per entry with its values it cost
# more CPU than its round trip (see `shared/audit/storage.py`).


@cache
def _provider_event(client_link: bool) -> PgInsert:
    """The entry, if its provider is ours; a client link's also in the client log, with the link's id."""
    values: dict[str, ColumnElement[Any]] = {**entry_parameters(audit_events)}
    provider_id, organization_id = values["provider_id"], values["organization_id"]
    values["client_provider_id"] = null()
    ours: FromClause = providers
    if client_link:
        link = provider_organizations
        values["provider_organization_id"] = func.coalesce(link.c.id, _earlier_link_id(provider_id, organization_id))
        values["client_provider_id"] = providers.c.id
        on_link = and_(link.c.provider_id == providers.c.id, link.c.organization_id == organization_id)
        ours = providers.outerjoin(link, on_link)
    return _insert_once(select(*_labelled(values)).select_from(ours).where(providers.c.id == provider_id))


def _earlier_link_id(provider_id: ColumnElement[Any], organization_id: ColumnElement[Any]) -> ScalarSelect[Any]:
    """The link's id as an earlier entry recorded it: the link is gone by the time its removal is recorded."""
    return (
        select(audit_events.c.provider_organization_id)
        .where(
            audit_events.c.provider_id == provider_id,
            audit_events.c.organization_id == organization_id,
            audit_events.c.provider_organization_id.is_not(None),
        )
        .order_by(audit_events.c.date.desc())
        .limit(1)
        .scalar_subquery()
    )


@cache
def _client_event(attribute: bool) -> PgInsert:
    """The entry in its organization's client log while the organization is a client, else where it names a provider
    of ours, else nowhere; with `attribute`, its provider is the client's if the acting user acts for it."""
    given = entry_parameters(audit_events)
    organization_id, named = given["organization_id"], given["provider_id"]
    asked = select(organization_id.label("organization_id")).subquery("asked")
    link = provider_organizations
    client_of = link.c.provider_id
    values: dict[str, ColumnElement[Any]] = {**given}
    values["client_provider_id"] = client_of
    if attribute:
        acts = _acts_for_provider(client_of, asked.c.organization_id, given["acting_user_id"])
        values["provider_id"] = case((acts, client_of), else_=null())
    ours = exists().where(providers.c.id == named)
    held = (
        select(*_labelled(values))
        .select_from(asked.outerjoin(link, link.c.organization_id == asked.c.organization_id))
        .where(or_(client_of.is_not(None), ours))
    )
    return _insert_once(held)


def _acts_for_provider(
    provider_id: ColumnElement[Any], organization_id: ColumnElement[Any], user_id: ColumnElement[Any]
) -> ColumnElement[bool]:
    """The organization service's rule: an active (confirmed) user of the provider acts for it, unless they are also
    a confirmed Owner of the organization in their own right."""
    active = exists().where(
        provider_users.c.provider_id == provider_id,
        provider_users.c.user_id == user_id,
        provider_users.c.status == int(ProviderUserStatus.CONFIRMED),
    )
    return and_(active, ~_confirmed_owner(organization_id, user_id))


def _labelled(values: dict[str, ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    return [value.label(name) for name, value in values.items()]


def _insert_once(rows: Select[Any]) -> PgInsert:
    names = [*ENTRY_FIELDS, "client_provider_id"]
    return insert(audit_events).from_select(names, rows).on_conflict_do_nothing(index_elements=["id"])


async def bump_revisions(session: AsyncSession, user_ids: Iterable[uuid.UUID], now: datetime) -> None:
    await revisions.bump_revisions(session, user_revisions, user_ids, now)
