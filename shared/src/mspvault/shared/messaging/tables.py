"""The outbox and inbox tables every service carries in its own database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    inbox: Table


def messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox",
        metadata,
        # A bigserial gives the relay a strict publishing order within the service.
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("correlation_id", String(64)),
        Column("envelope", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Index("ix_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
        # The operator console's trace looks rows up by correlation id; without this it scans the table.
        Index("ix_outbox_correlation_id", "correlation_id"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("correlation_id", String(64)),
        Column("occurred_at", DateTime(timezone=True)),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("error", Text),
        PrimaryKeyConstraint("consumer", "event_id"),
        Index("ix_inbox_correlation_id", "correlation_id"),
    )
    return MessagingTables(outbox=outbox, inbox=inbox)
