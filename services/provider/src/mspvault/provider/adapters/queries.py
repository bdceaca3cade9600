"""The read side: queries behind the GET routes and the sync. One statement per answer, so listings stay flat
however many clients a provider has (indexes in orm.py)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Row,
    Text,
    and_,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.provider.adapters.orm import (
    audit_events,
    org_members,
    organizations,
    provider_organizations,
    provider_users,
    providers,
    user_revisions,
    users,
)
from mspvault.provider.adapters.repository import (
    CONFIRMED,
    OWNER,
    provider_from_row,
    provider_user_from_row,
)
from mspvault.provider.domain.client import ClientLink
from mspvault.provider.domain.enums import ENTERPRISE_PLANS, ProviderUserStatus, ProviderUserType
from mspvault.provider.domain.errors import ProviderNotFound, ProviderUserNotFound
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import ProviderUser
from mspvault.shared.audit.paging import LogQuery, Page, read_page
from mspvault.shared.db.json_sql import json_string
from mspvault.shared.db.sole_holders import sole_holder_count
from mspvault.shared.errors import DomainError


# ---- who may look ------------------------------------------------------------------------------------------------
async def require_member(session: AsyncSession, provider_id: uuid.UUID, user_id: uuid.UUID) -> ProviderUser:
    """The caller's active membership; anyone else gets 404 for everything under the provider."""
    row = (
        await session.execute(
            select(provider_users).where(
                provider_users.c.provider_id == provider_id, provider_users.c.user_id == user_id
            )
        )
    ).first()
    member = None if row is None else provider_user_from_row(row)
    if member is None or not member.is_active_member:
        raise ProviderNotFound()
    return member


async def require_admin(session: AsyncSession, provider_id: uuid.UUID, user_id: uuid.UUID) -> ProviderUser:
    """Admin-only reads answer a Service User with the same 404 (see Roster.admin for why not 403)."""
    member = await require_member(session, provider_id, user_id)
    if not member.is_active_admin:
        raise ProviderNotFound()
    return member


# ---- providers ---------------------------------------------------------------------------------------------------
async def get_provider(session: AsyncSession, provider_id: uuid.UUID) -> Provider:
    row = (await session.execute(select(providers).where(providers.c.id == provider_id))).first()
    if row is None:
        raise ProviderNotFound()
    return provider_from_row(row)


async def list_providers(session: AsyncSession) -> list[Provider]:
    rows = (await session.execute(select(providers).order_by(providers.c.name, providers.c.id))).all()
    return [provider_from_row(row) for row in rows]


# ---- provider users ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProviderUserDetails:
    user: ProviderUser
    name: str | None
    email: str


def _details(row: Row[Any]) -> ProviderUserDetails:
    user = provider_user_from_row(row)
    return ProviderUserDetails(user=user, name=row.account_name, email=row.account_email or user.email)


def _users_with_accounts() -> Any:
    return select(provider_users, users.c.name.label("account_name"), users.c.email.label("account_email")).outerjoin(
        users, users.c.id == provider_users.c.user_id
    )


async def list_provider_users(session: AsyncSession, provider_id: uuid.UUID) -> list[ProviderUserDetails]:
    query = _users_with_accounts().where(provider_users.c.provider_id == provider_id).order_by(provider_users.c.email)
    return [_details(row) for row in (await session.execute(query)).all()]


async def get_provider_user(
    session: AsyncSession, provider_id: uuid.UUID, provider_user_id: uuid.UUID
) -> ProviderUserDetails:
    query = _users_with_accounts().where(
        provider_users.c.provider_id == provider_id, provider_users.c.id == provider_user_id
    )
    row = (await session.execute(query)).first()
    if row is None:
        raise ProviderUserNotFound()
    return _details(row)


@dataclass(frozen=True)
class PublicKey:
    id: uuid.UUID
    user_id: uuid.UUID
    key: str


async def public_keys(session: AsyncSession, provider_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[PublicKey]:
    """Public keys of this provider's users who have an account and a key pair (used before confirming)."""
    query = (
        select(provider_users.c.id, provider_users.c.user_id, users.c.public_key)
        .join(users, users.c.id == provider_users.c.user_id)
        .where(
            provider_users.c.provider_id == provider_id,
            provider_users.c.id.in_(list(ids)),
            users.c.public_key.is_not(None),
        )
        .order_by(provider_users.c.id)
    )
    return [PublicKey(row.id, row.user_id, row.public_key) for row in (await session.execute(query)).all()]


# ---- clients -----------------------------------------------------------------------------------------------------
class InvalidContinuationToken(DomainError):
    def __init__(self) -> None:
        super().__init__("The continuation token is not valid.", field="continuationToken")


@dataclass(frozen=True)
class ClientCursor:
    """Where a page of clients ended: they are listed by (name, id), the order of their index."""

    name: str
    id: uuid.UUID

    def token(self) -> str:
        raw = json.dumps([self.name, str(self.id)], ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str | None) -> ClientCursor | None:
        if not token:
            return None
        try:
            name, link_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if not isinstance(name, str) or not isinstance(link_id, str):
                raise ValueError(token)
            return cls(name, uuid.UUID(link_id))
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as error:
            raise InvalidContinuationToken() from error


@dataclass(frozen=True)
class ClientQuery:
    """What a caller asks of the client list: every client (Bitwarden's shape: `size` None), or a page of `size`
    after `after`; `search` keeps the names that contain it, ignoring case."""

    search: str | None = None
    after: ClientCursor | None = None
    size: int | None = None


@dataclass(frozen=True)
class ClientDetails:
    """One client with its member counts, as `ClientDetailsResponse.of_details` shapes it (PostgreSQL writes the
    same JSON for the listing, `listing_json`; a test holds the two together)."""

    link: ClientLink
    user_count: int
    occupied_seats: int


@dataclass(frozen=True)
class ClientListing:
    """The clients' JSON objects as PostgreSQL wrote them (`ClientDetailsResponse`'s shape), joined by commas, in
    (name, id) order; for a page, where the next one starts (None on the last) and how many clients match in all."""

    items: bytes
    next: ClientCursor | None
    count: int | None


def _matching(provider_id: uuid.UUID, search: str | None) -> ColumnElement[bool]:
    po = provider_organizations
    scope = po.c.provider_id == provider_id
    if search:
        # A substring of the name, ignoring case: the trigram index (orm.py) answers it.
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        scope = and_(scope, po.c.organization_name.ilike(f"%{escaped}%", escape="\\"))
    return scope


def _caller_status(provider_id: uuid.UUID, user_id: uuid.UUID) -> Any:
    return (
        select(provider_users.c.status)
        .where(provider_users.c.provider_id == provider_id, provider_users.c.user_id == user_id)
        .scalar_subquery()
    )


def _require_active(status: int | None) -> None:
    """`ProviderUser.is_active_member` on the status read with the listing: anyone else gets 404."""
    if status != ProviderUserStatus.CONFIRMED:
        raise ProviderNotFound()


async def list_clients(
    session: AsyncSession, provider_id: uuid.UUID, user_id: uuid.UUID, asked: ClientQuery
) -> ClientListing:
    """The clients of a provider by (name, id), with their member counts, as JSON PostgreSQL wrote, for a caller
    who must be an active member of it (404 otherwise). Each link keeps its whole JSON, counts included
    (`listing_json`, kept by triggers, migrations 0008 and 0009; a test holds it to `ClientDetailsResponse`): at
    10,000 clients neither a row each crossing into Python nor counting each client's members per listing was
    affordable. One statement carries the caller's membership with the answer (each round trip is a wake-up of two
    processes on a busy machine): all clients as one value (the (provider_id, organization_name, id) index gives
    the order, so the aggregate sorts nothing), or a keyset page (the same index walks straight to it and stops)
    with the count of matches."""
    po = provider_organizations
    item = po.c.listing_json
    matching = _matching(provider_id, asked.search)
    scope = matching
    if asked.after is not None:
        scope = and_(scope, tuple_(po.c.organization_name, po.c.id) > tuple_(asked.after.name, asked.after.id))
    status = _caller_status(provider_id, user_id).label("caller_status")
    if asked.size is None:
        joined = func.string_agg(item, aggregate_order_by(literal_column("','"), po.c.organization_name, po.c.id))
        every = select(func.convert_to(func.coalesce(joined, ""), literal_column("'UTF8'")))
        answer = (await session.execute(select(status, every.where(scope).scalar_subquery().label("items")))).one()
        _require_active(answer.caller_status)
        return ClientListing(answer.items, None, None)
    total = select(func.count()).select_from(po).where(matching).scalar_subquery().label("total")
    query = (
        select(status, total, po.c.organization_name, po.c.id, item.label("item"))
        .where(scope)
        .order_by(po.c.organization_name, po.c.id)
        .limit(asked.size + 1)
    )
    rows = (await session.execute(query)).all()
    # A page past the end (or of no match) has no row to carry the membership and the count: ask for them alone.
    head = rows[0] if rows else (await session.execute(select(status, total))).one()
    _require_active(head.caller_status)
    last = rows[asked.size - 1] if len(rows) > asked.size else None
    return ClientListing(
        ",".join(row.item for row in rows[: asked.size]).encode(),
        None if last is None else ClientCursor(last.organization_name, last.id),
        head.total,
    )


@dataclass(frozen=True)
class AddableOrganization:
    id: uuid.UUID
    name: str
    plan_type: int
    seats: int | None


async def addable_organizations(session: AsyncSession, user_id: uuid.UUID) -> list[AddableOrganization]:
    """Enabled organizations the caller owns (confirmed Owner) that no provider administers yet."""
    query = (
        select(organizations.c.id, organizations.c.name, organizations.c.plan_type, organizations.c.seats)
        .join(
            org_members,
            and_(
                org_members.c.organization_id == organizations.c.id,
                org_members.c.user_id == user_id,
                org_members.c.type == OWNER,
                org_members.c.status == CONFIRMED,
            ),
        )
        .outerjoin(provider_organizations, provider_organizations.c.organization_id == organizations.c.id)
        .where(
            organizations.c.enabled.is_(True),
            organizations.c.provider_id.is_(None),
            provider_organizations.c.id.is_(None),
        )
        .order_by(organizations.c.name)
    )
    return [AddableOrganization(r.id, r.name, r.plan_type, r.seats) for r in (await session.execute(query)).all()]


# ---- sync --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MyProvider:
    membership: ProviderUser
    provider: Provider


@dataclass(frozen=True)
class MyClient:
    """What a provider user's profile says of one client (responses.profile_provider_organization)."""

    organization_id: str
    name: str
    key: str | None
    seats: int
    plan_type: int
    enabled: bool
    access_to_items: bool


async def my_providers(session: AsyncSession, user_id: uuid.UUID) -> list[MyProvider]:
    member = provider_users.alias("member")
    query = (
        select(providers, *[c.label(f"m_{c.name}") for c in member.c])
        .join(member, member.c.provider_id == providers.c.id)
        .where(member.c.user_id == user_id, member.c.status == int(ProviderUserStatus.CONFIRMED))
        .order_by(providers.c.name)
    )
    result: list[MyProvider] = []
    for row in (await session.execute(query)).all():
        result.append(MyProvider(_membership(row), provider_from_row(row)))
    return result


@dataclass(frozen=True)
class ClientKind:
    """How one kind of client of one provider (its plan family, whether it is enabled, whether the provider
    reaches its items) is written: the JSON text around the values each client has of its own, in the order id,
    name, key, seats (`chunks`, one more than the values). The sync sends the chunks once and each client as a
    row naming its kind (`my_client_rows`); the gateway writes the items."""

    provider_id: uuid.UUID
    enterprise: bool
    enabled: bool
    access_to_items: bool
    chunks: tuple[str, str, str, str, str]

    @property
    def key(self) -> str:
        """`provider id:` and the three flags as 0 or 1; `my_client_rows` finds each client's kind by the same key."""
        flags = (self.enterprise, self.enabled, self.access_to_items)
        return f"{self.provider_id}:" + "".join(str(int(flag)) for flag in flags)


async def my_client_rows(session: AsyncSession, mine: Sequence[MyProvider], kinds: Sequence[ClientKind]) -> bytes:
    """Every client of the providers the caller is an active member of (`mine`) as compact JSON rows joined by
    commas, in (name, id) order, written by PostgreSQL: `[kind, organization id, name, key, seats]`, the kind an
    index into `kinds` (all of them for each provider), name and key JSON strings (or null). A provider user may
    reach 10,000 clients; the gateway writes each item from its kind's text around these values, so only the
    values (~250 bytes a client) are written here and cross to the gateway, not ~1.9 KB of mostly constant text.
    The rows are sorted narrow and written after."""
    if not mine:
        return b""
    po = provider_organizations
    enterprise = po.c.plan_type.in_(sorted(ENTERPRISE_PLANS))
    enabled = func.coalesce(organizations.c.enabled, true())
    access = func.coalesce(po.c.settings["providerAccessToItems"].as_boolean(), true())
    keys = literal([kind.key for kind in kinds], ARRAY(Text))
    kind_key = func.concat(po.c.provider_id, ":", *[cast(flag, Integer) for flag in (enterprise, enabled, access)])
    ordered = (
        select(
            po.c.id,
            po.c.organization_id,
            po.c.organization_name,
            po.c.key,
            po.c.seats,
            (func.array_position(keys, kind_key) - 1).label("kind"),  # PostgreSQL counts from 1
        )
        .outerjoin(organizations, organizations.c.id == po.c.organization_id)
        .where(po.c.provider_id.in_([item.provider.id for item in mine]))
        .order_by(po.c.organization_name, po.c.id)
        .subquery()
    )
    row = func.concat(
        "[",
        ordered.c.kind,
        ',"',
        ordered.c.organization_id,
        '",',
        json_string(ordered.c.organization_name),
        ",",
        json_string(ordered.c.key),
        ",",
        ordered.c.seats,
        "]",
    )
    joined = func.string_agg(row, aggregate_order_by(literal_column("','"), ordered.c.organization_name, ordered.c.id))
    written = await session.scalar(select(func.convert_to(func.coalesce(joined, ""), literal_column("'UTF8'"))))
    return bytes(written or b"")


async def revision_date(session: AsyncSession, user_id: uuid.UUID) -> datetime | None:
    """The user's own revision, or the latest change of a client link of one of their providers if later: creating
    a client moves only its link's date (no per-user row to lock), and every provider user's sync lists it."""
    po, pu = provider_organizations, provider_users
    latest_link = (
        select(po.c.revision_date)
        .where(po.c.provider_id == pu.c.provider_id)
        .order_by(po.c.revision_date.desc())
        .limit(1)
        .scalar_subquery()
    )
    own = select(user_revisions.c.revised_at).where(user_revisions.c.user_id == user_id).scalar_subquery()
    links = select(func.max(latest_link)).where(pu.c.user_id == user_id).scalar_subquery()
    value: datetime | None = await session.scalar(select(func.greatest(own, links)))
    return value


def _prefixed(row: Row[Any], prefix: str) -> dict[str, Any]:
    """The columns labelled `prefix` + name, by name."""
    return {name.removeprefix(prefix): value for name, value in row._mapping.items() if name.startswith(prefix)}


def _membership(row: Row[Any]) -> ProviderUser:
    return provider_user_from_row(_prefixed(row, "m_"))


# ---- the audit log (the routes check the caller first: Provider Admins only) ------------------------------------
async def provider_events(session: AsyncSession, provider_id: uuid.UUID, asked: LogQuery, now: datetime) -> Page:
    scope = audit_events.c.provider_id == provider_id
    return await read_page(session, audit_events, scope, asked, now=now)


async def provider_user_events(
    session: AsyncSession, provider_id: uuid.UUID, provider_user_id: uuid.UUID, asked: LogQuery, now: datetime
) -> Page:
    """What one provider user did for the provider (Bitwarden: events by acting user); they must have an account."""
    user_id = await session.scalar(
        select(provider_users.c.user_id).where(
            provider_users.c.provider_id == provider_id, provider_users.c.id == provider_user_id
        )
    )
    if user_id is None:
        raise ProviderUserNotFound()
    scope = and_(audit_events.c.provider_id == provider_id, audit_events.c.acting_user_id == user_id)
    return await read_page(session, audit_events, scope, asked, now=now)


async def client_events(session: AsyncSession, provider_id: uuid.UUID, asked: LogQuery, now: datetime) -> Page:
    scope = audit_events.c.client_provider_id == provider_id
    return await read_page(session, audit_events, scope, asked, now=now)


async def sole_admin_of(session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many providers have this user as their only active Provider Admin (account deletion is refused then,
    as Bitwarden refuses it)."""
    active_admin = {"status": int(ProviderUserStatus.CONFIRMED), "type": int(ProviderUserType.PROVIDER_ADMIN)}
    query, _ = sole_holder_count(provider_users, user_id, scope="provider_id", role=active_admin)
    return int(await session.scalar(query) or 0)
