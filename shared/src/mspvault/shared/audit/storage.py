"""A service's `audit_events` table: its columns, and writing and reading entries (insert once, by envelope id)."""

from __future__ import annotations

from dataclasses import asdict, fields
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Column, DateTime, Integer, Row, SmallInteger, String, Table, Uuid, bindparam
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.shared.audit.entries import AuditEntry


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


ENTRY_FIELDS = tuple(f.name for f in fields(AuditEntry))


def entry_parameters(table: Table) -> dict[str, BindParameter[Any]]:
    """Each field of an entry as a parameter typed by `table`'s column: for statements built once (an `INSERT …
    SELECT` that reads facts beside the entry) and given `asdict(entry)` each time."""
    return {name: bindparam(name, type_=table.c[name].type) for name in ENTRY_FIELDS}


async def store_entry(session: AsyncSession, table: Table, entry: AuditEntry, **scope: Any) -> None:
    """Insert once: a redelivered event finds its row (the inbox already makes that rare)."""
    await session.execute(_insert_once(table), {**asdict(entry), **scope})


@cache
def _insert_once(table: Table) -> Insert:
    # Built once per table, the values given as parameters: a statement built per entry with its 16 values cost
    # ~0.3 ms of CPU (construction and cache key), more than the round trip, on every audited event.
    return insert(table).on_conflict_do_nothing(index_elements=["id"])


def entry_from_row(row: Row[Any]) -> AuditEntry:
    values = row._mapping
    return AuditEntry(**{name: values[name] for name in ENTRY_FIELDS})
