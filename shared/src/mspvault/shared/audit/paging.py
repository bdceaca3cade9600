"""Reading a log as Bitwarden does: a date window (`start`, `end`), newest first, keyset pages of 100 with a
`continuationToken`."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import ColumnElement, Table, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.audit.storage import entry_from_row
from mspvault.shared.errors import DomainError

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
