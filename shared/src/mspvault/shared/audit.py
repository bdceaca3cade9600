"""Audit logs as Bitwarden shows them: event type codes, the entry each domain event becomes, paging, and who acted
from which device and address.

Each service keeps its own audit table, fed by the domain events it consumes (its own topic included), so an entry
is never lost (outbox) nor written twice (inbox, and the envelope id as primary key). This module is the one mapping
from an envelope to a Bitwarden `EventResponseModel`, so the organization and provider services never disagree about
what an event means. Codes are Bitwarden's `EventType` (src/Core/AdminConsole/Enums/EventType.cs).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Integer,
    Row,
    SmallInteger,
    String,
    Table,
    Uuid,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import provider as pc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import DomainError
from mspvault.shared.messaging.inbox import EventRouter, Handler


class EventType(IntEnum):
    """The subset of Bitwarden's codes our events produce (same numbers, so official clients label them)."""

    CIPHER_CREATED = 1100
    CIPHER_UPDATED = 1101
    CIPHER_DELETED = 1102
    CIPHER_SHARED = 1105
    CIPHER_SOFT_DELETED = 1115
    CIPHER_RESTORED = 1116
    COLLECTION_CREATED = 1300
    COLLECTION_UPDATED = 1301
    COLLECTION_DELETED = 1302
    ORGANIZATION_USER_INVITED = 1500
    ORGANIZATION_USER_CONFIRMED = 1501
    ORGANIZATION_USER_UPDATED = 1502
    ORGANIZATION_USER_REMOVED = 1503
    ORGANIZATION_USER_REVOKED = 1511
    ORGANIZATION_USER_RESTORED = 1512
    ORGANIZATION_UPDATED = 1600
    POLICY_UPDATED = 1700
    PROVIDER_USER_INVITED = 1800
    PROVIDER_USER_CONFIRMED = 1801
    PROVIDER_USER_UPDATED = 1802
    PROVIDER_USER_REMOVED = 1803
    PROVIDER_ORGANIZATION_CREATED = 1900
    PROVIDER_ORGANIZATION_ADDED = 1901
    PROVIDER_ORGANIZATION_REMOVED = 1902


# Which event becomes which code, by topic. Events missing here have no Bitwarden code and are not audited:
# acceptances (Bitwarden logs none), ProviderCreated/Updated, OrganizationCreated/Deleted, CollectionAccessChanged
# (its cause is audited already), ClientSeatsChanged (the organization logs Organization_Updated),
# ClientSettingsChanged (Bitwarden has no code for it), folders.
# Provider users have no Revoked/Restored codes in Bitwarden; a status change is an update (1802).
ORGANIZATION_CODES: dict[type[EventData], EventType] = {
    oc.OrganizationUpdatedV1: EventType.ORGANIZATION_UPDATED,
    oc.MemberInvitedV1: EventType.ORGANIZATION_USER_INVITED,
    oc.MemberConfirmedV1: EventType.ORGANIZATION_USER_CONFIRMED,
    oc.MemberUpdatedV1: EventType.ORGANIZATION_USER_UPDATED,
    oc.MemberRemovedV1: EventType.ORGANIZATION_USER_REMOVED,
    oc.MemberRevokedV1: EventType.ORGANIZATION_USER_REVOKED,
    oc.MemberRestoredV1: EventType.ORGANIZATION_USER_RESTORED,
    oc.CollectionCreatedV1: EventType.COLLECTION_CREATED,
    oc.CollectionUpdatedV1: EventType.COLLECTION_UPDATED,
    oc.CollectionDeletedV1: EventType.COLLECTION_DELETED,
    oc.PolicyUpdatedV1: EventType.POLICY_UPDATED,
}
VAULT_CODES: dict[type[EventData], EventType] = {
    vc.CipherCreatedV1: EventType.CIPHER_CREATED,
    vc.CipherUpdatedV1: EventType.CIPHER_UPDATED,
    vc.CipherDeletedV1: EventType.CIPHER_DELETED,
    vc.CipherSharedV1: EventType.CIPHER_SHARED,
    vc.CipherSoftDeletedV1: EventType.CIPHER_SOFT_DELETED,
    vc.CipherRestoredV1: EventType.CIPHER_RESTORED,
}
PROVIDER_CODES: dict[type[EventData], EventType] = {
    pc.ProviderUserInvitedV1: EventType.PROVIDER_USER_INVITED,
    pc.ProviderUserConfirmedV1: EventType.PROVIDER_USER_CONFIRMED,
    pc.ProviderUserUpdatedV1: EventType.PROVIDER_USER_UPDATED,
    pc.ProviderUserRevokedV1: EventType.PROVIDER_USER_UPDATED,
    pc.ProviderUserRestoredV1: EventType.PROVIDER_USER_UPDATED,
    pc.ProviderUserRemovedV1: EventType.PROVIDER_USER_REMOVED,
    pc.ClientOrgCreatedV1: EventType.PROVIDER_ORGANIZATION_CREATED,
    pc.ClientOrgAddedV1: EventType.PROVIDER_ORGANIZATION_ADDED,
    pc.ClientOrgRemovedV1: EventType.PROVIDER_ORGANIZATION_REMOVED,
}
_CODES = {
    (model.event_type, model.version): code
    for codes in (ORGANIZATION_CODES, VAULT_CODES, PROVIDER_CODES)
    for model, code in codes.items()
}


@dataclass(frozen=True)
class AuditEntry:
    """One Bitwarden event. `id` is the envelope id of the domain event it records."""

    id: uuid.UUID
    type: int
    date: datetime
    acting_user_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    # The provider the entry belongs to: the provider's own events, and what its users did inside client orgs.
    provider_id: uuid.UUID | None = None
    cipher_id: uuid.UUID | None = None
    collection_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    policy_id: uuid.UUID | None = None
    organization_user_id: uuid.UUID | None = None
    provider_user_id: uuid.UUID | None = None
    provider_organization_id: uuid.UUID | None = None
    device_type: int | None = None
    ip_address: str | None = None


def entry_for(envelope: Envelope) -> AuditEntry | None:
    """The audit entry an event becomes, or None when Bitwarden has no code for it. Pure."""
    code = _CODES.get((envelope.type, envelope.version))
    if code is None:
        return None
    actor = envelope.actor
    acted: dict[str, Any] = {
        "acting_user_id": actor.user_id,
        "provider_id": actor.provider_id,
        "device_type": actor.device_type,
        "ip_address": actor.ip,
    }
    # The event's own ids win: a provider's events belong to that provider whoever acted.
    return AuditEntry(
        id=envelope.id, type=int(code), date=envelope.occurred_at, **(acted | _ids_of(envelope.payload()))
    )


def _ids_of(event: EventData) -> dict[str, uuid.UUID | None]:
    match event:
        case (
            oc.MemberInvitedV1()
            | oc.MemberConfirmedV1()
            | oc.MemberUpdatedV1()
            | oc.MemberRemovedV1()
            | oc.MemberRevokedV1()
            | oc.MemberRestoredV1()
        ):
            return {
                "organization_id": event.organization_id,
                "organization_user_id": event.member_id,
                "user_id": event.user_id,
            }
        case oc.CollectionCreatedV1() | oc.CollectionDeletedV1():  # CollectionUpdatedV1 is a CollectionCreatedV1
            return {"organization_id": event.organization_id, "collection_id": event.collection_id}
        case oc.OrganizationUpdatedV1() | oc.PolicyUpdatedV1():
            # The policy's id is not in the event; the organization service fills it from its policies table.
            return {"organization_id": event.organization_id}
        case (
            vc.CipherCreatedV1()
            | vc.CipherUpdatedV1()
            | vc.CipherDeletedV1()
            | vc.CipherSharedV1()
            | vc.CipherSoftDeletedV1()
            | vc.CipherRestoredV1()
        ):
            return {"organization_id": event.organization_id, "cipher_id": event.cipher_id, "user_id": event.user_id}
        case (
            pc.ProviderUserInvitedV1()
            | pc.ProviderUserConfirmedV1()
            | pc.ProviderUserUpdatedV1()
            | pc.ProviderUserRevokedV1()
            | pc.ProviderUserRestoredV1()
            | pc.ProviderUserRemovedV1()
        ):
            return {
                "provider_id": event.provider_id,
                "provider_user_id": event.provider_user_id,
                "user_id": event.user_id,
            }
        case pc.ClientOrgCreatedV1() | pc.ClientOrgAddedV1() | pc.ClientOrgRemovedV1():
            # The link's id is not in the event; the provider service fills it from its own tables.
            return {"provider_id": event.provider_id, "organization_id": event.organization_id}
    raise LookupError(f"{type(event).__name__} has a code but no ids")  # a gap in the tables above


def also_record(router: EventRouter, topic: str, events: Iterable[type[EventData]], record: Handler) -> None:
    """Have `record` run for these events after the handler the router already has (one inbox transaction)."""
    for event in events:
        first = router.handlers.get(topic, {}).get(event.event_type)
        router.on(topic, event)(record if first is None else _chain(first, record))


def _chain(first: Handler, then: Handler) -> Handler:
    async def both(uow: UnitOfWork, envelope: Envelope) -> None:
        await first(uow, envelope)
        await then(uow, envelope)

    return both


# ---- who acted, from where ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestOrigin:
    device_type: int | None = None
    ip: str | None = None


_origin: ContextVar[RequestOrigin | None] = ContextVar("request_origin", default=None)


def origin_of(headers: Mapping[str, str]) -> RequestOrigin:
    """The device type (the `Device-Type` header Bitwarden clients send) and the caller's address.

    The address is the one the gateway saw: it replaces any `X-Forwarded-For` a caller sends, and the services are
    not reachable from outside. A request without it did not come through the gateway (a test, an internal tool)
    and has no caller address worth recording; the socket's peer would only be the gateway. Malformed values are
    dropped, never stored.
    """
    forwarded = headers.get("x-forwarded-for", "").split(",")[0].strip()
    return RequestOrigin(device_type=_device_type(headers.get("device-type")), ip=_ip(forwarded))


def _device_type(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value)
    return number if number < 1000 else None


def _ip(value: str) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


async def remember_origin(request: Request) -> AsyncIterator[None]:
    """Router dependency: the request's origin, for the actors of the events its handler publishes."""
    token = _origin.set(origin_of(request.headers))
    try:
        yield
    finally:
        _origin.reset(token)


def with_request_origin(*routers: APIRouter) -> APIRouter:
    """The routers' routes, each remembering its request's origin while it runs (see `acting`)."""
    outer = APIRouter(dependencies=[Depends(remember_origin)])
    for router in routers:
        outer.include_router(router)
    return outer


def acting(user_id: uuid.UUID | None, provider_id: uuid.UUID | None = None) -> Actor:
    """The actor of an event caused by the current request (device and address from `remember_origin`)."""
    origin = _origin.get() or RequestOrigin()
    return Actor(user_id=user_id, provider_id=provider_id, device_type=origin.device_type, ip=origin.ip)


# ---- storage ---------------------------------------------------------------------------------------------------
def audit_columns() -> list[Column[Any]]:
    """The columns of a service's `audit_events` table (each service adds its own indexes and scope columns)."""
    return [
        Column("id", Uuid, primary_key=True),
        Column("type", Integer, nullable=False),
        Column("date", DateTime(timezone=True), nullable=False),
        Column("acting_user_id", Uuid),
        Column("user_id", Uuid),
        Column("organization_id", Uuid),
        Column("provider_id", Uuid),
        Column("cipher_id", Uuid),
        Column("collection_id", Uuid),
        Column("group_id", Uuid),
        Column("policy_id", Uuid),
        Column("organization_user_id", Uuid),
        Column("provider_user_id", Uuid),
        Column("provider_organization_id", Uuid),
        Column("device_type", SmallInteger),
        Column("ip_address", String(50)),
    ]


_ENTRY_FIELDS = tuple(f.name for f in fields(AuditEntry))


async def store_entry(session: AsyncSession, table: Table, entry: AuditEntry, **scope: Any) -> None:
    """Insert once: a redelivered event finds its row (the inbox already makes that rare)."""
    statement = insert(table).values(**asdict(entry), **scope).on_conflict_do_nothing(index_elements=["id"])
    await session.execute(statement)


def entry_from_row(row: Row[Any]) -> AuditEntry:
    values = row._mapping
    return AuditEntry(**{name: values[name] for name in _ENTRY_FIELDS})


# ---- reading: Bitwarden's date window, keyset pages ----------------------------------------------------------
PAGE_SIZE = 100
MAX_RANGE = timedelta(days=367)
DEFAULT_DAYS = 30


class RangeTooLarge(DomainError):
    def __init__(self) -> None:
        super().__init__("Range too large.", field="end")


class InvalidContinuationToken(DomainError):
    def __init__(self) -> None:
        super().__init__("The continuation token is not valid.", field="continuationToken")


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


def window(start: datetime | None, end: datetime | None, *, now: datetime) -> Window:
    """Bitwarden's rule: without both bounds, the last 30 days up to the end of today (UTC); swapped bounds are
    put right; more than 367 days is refused."""
    if start is None or end is None:
        today = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)
        return Window(today - timedelta(days=DEFAULT_DAYS), today + timedelta(days=1) - timedelta(milliseconds=1))
    start, end = _utc(start), _utc(end)
    if start > end:
        start, end = end, start
    if end - start > MAX_RANGE:
        raise RangeTooLarge()
    return Window(start, end)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: entries are read newest first, by (date, id)."""

    date: datetime
    id: uuid.UUID

    def token(self) -> str:
        raw = f"{self.date.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str | None) -> Cursor | None:
        if not token:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            date, _, entry_id = raw.partition("|")
            return cls(_utc(datetime.fromisoformat(date)), uuid.UUID(entry_id))
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise InvalidContinuationToken() from error


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    continuation_token: str | None


@dataclass(frozen=True)
class LogQuery:
    """What a caller asks of a log (Bitwarden's `start`, `end`, `continuationToken`); checked once the caller may
    read the log at all, so a stranger learns nothing from a 400."""

    start: datetime | None = None
    end: datetime | None = None
    continuation_token: str | None = None


def log_query(
    start: datetime | None = None,
    end: datetime | None = None,
    continuation_token: Annotated[str | None, Query(alias="continuationToken")] = None,
) -> LogQuery:
    """Route dependency: the query as sent. It only collects; `read_page` checks it, after the route's access check."""
    return LogQuery(start, end, continuation_token)


LogQueryParams = Annotated[LogQuery, Depends(log_query)]


async def read_page(
    session: AsyncSession, table: Table, scope: ColumnElement[bool], asked: LogQuery, *, now: datetime
) -> Page:
    """One page of a log, newest first; a token only when more entries follow."""
    span, after = window(asked.start, asked.end, now=now), Cursor.parse(asked.continuation_token)
    query = select(table).where(scope, table.c.date >= span.start, table.c.date <= span.end)
    if after is not None:
        query = query.where(tuple_(table.c.date, table.c.id) < tuple_(after.date, after.id))
    query = query.order_by(table.c.date.desc(), table.c.id.desc()).limit(PAGE_SIZE + 1)
    rows = (await session.execute(query)).all()
    entries = [entry_from_row(row) for row in rows[:PAGE_SIZE]]
    more = len(rows) > PAGE_SIZE
    return Page(entries, Cursor(entries[-1].date, entries[-1].id).token() if more else None)


# ---- the API shape (Bitwarden's EventResponseModel and ListResponseModel) ------------------------------------
class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class EventResponse(_Camel):
    object: Literal["event"] = "event"
    type: int
    user_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    provider_id: uuid.UUID | None = None
    cipher_id: uuid.UUID | None = None
    collection_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    policy_id: uuid.UUID | None = None
    organization_user_id: uuid.UUID | None = None
    provider_user_id: uuid.UUID | None = None
    provider_organization_id: uuid.UUID | None = None
    acting_user_id: uuid.UUID | None = None
    installation_id: uuid.UUID | None = None
    date: datetime
    device_type: int | None = None
    ip_address: str | None = None
    system_user: int | None = None
    domain_name: str | None = None
    secret_id: uuid.UUID | None = None
    service_account_id: uuid.UUID | None = None

    @classmethod
    def of(cls, entry: AuditEntry) -> EventResponse:
        return cls(**asdict(entry))


class EventListResponse(_Camel):
    object: Literal["list"] = "list"
    data: list[EventResponse]
    continuation_token: str | None = None

    @classmethod
    def of(cls, page: Page) -> EventListResponse:
        return cls(data=[EventResponse.of(e) for e in page.entries], continuation_token=page.continuation_token)
