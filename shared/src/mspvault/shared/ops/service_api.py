"""Every service's operator endpoints, mounted by the shared runtime under `/internal/ops/`.

The gateway never exposes `/internal/*`; it calls these as the operator (the service verifies the token itself and
answers 404 to anyone else). They read only the service's own outbox and inbox, and pause/resume its consumer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from sqlalchemy import func, select

from mspvault.shared.http.deps import operator_only
from mspvault.shared.mail import set_aside
from mspvault.shared.messaging.inbox import InboxConsumer
from mspvault.shared.messaging.tables import MessagingTables

router = APIRouter(prefix="/internal/ops", dependencies=[Depends(operator_only)], include_in_schema=False)

CorrelationId = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
TRACE_LIMIT = 2000  # rows per side; a single request never causes more


def _runtime(request: Request) -> Any:
    return request.app.state.runtime


def _tables(request: Request) -> MessagingTables:
    tables: MessagingTables = _runtime(request).parts.tables
    return tables


@router.get("/outbox")
async def outbox_backlog(request: Request) -> dict[str, Any]:
    runtime = _runtime(request)
    outbox = _tables(request).outbox
    unsent = outbox.c.sent_at.is_(None)
    async with runtime.session_factory() as session:
        row = (
            await session.execute(
                select(
                    func.count().filter(unsent).label("unsent"),
                    func.min(outbox.c.created_at).filter(unsent).label("oldest"),
                    func.max(outbox.c.sent_at).label("last_sent"),
                    func.now().label("now"),
                )
            )
        ).one()
        # Mail the sender gave up on (issue 11 #3), in services that send mail: counted here, rows kept for a look.
        mail = outbox.metadata.tables.get("mail_outbox")
        mail_set_aside = None
        if mail is not None:
            mail_set_aside = await session.scalar(select(func.count()).select_from(mail).where(set_aside(mail)))
    oldest: datetime | None = row.oldest
    return {
        "service": runtime.parts.settings.service_name,
        "unsent": int(row.unsent or 0),
        "oldestUnsentAt": oldest.isoformat() if oldest else None,
        "oldestUnsentAgeSeconds": round((row.now - oldest).total_seconds(), 3) if oldest else 0.0,
        "lastSentAt": row.last_sent.isoformat() if row.last_sent else None,
        "relayActive": runtime.relay.active.is_set(),
        "mailSetAside": mail_set_aside,
    }


@router.get("/trace/{correlation_id}")
async def trace(request: Request, correlation_id: CorrelationId) -> dict[str, Any]:
    """What this service published and applied for one correlation id (the gateway merges every service's)."""
    runtime = _runtime(request)
    tables = _tables(request)
    outbox, inbox = tables.outbox, tables.inbox
    async with runtime.session_factory() as session:
        published = (
            await session.execute(
                select(
                    outbox.c.event_id,
                    outbox.c.event_type,
                    outbox.c.topic,
                    outbox.c.key,
                    outbox.c.created_at,
                    outbox.c.sent_at,
                    outbox.c.envelope["causation_id"].astext.label("causation_id"),
                )
                .where(outbox.c.correlation_id == correlation_id)
                .order_by(outbox.c.id)
                .limit(TRACE_LIMIT)
            )
        ).all()
        applied = (
            await session.execute(
                select(inbox.c.event_id, inbox.c.event_type, inbox.c.topic, inbox.c.processed_at)
                .where(inbox.c.correlation_id == correlation_id)
                .order_by(inbox.c.processed_at)
                .limit(TRACE_LIMIT)
            )
        ).all()
    service = runtime.parts.settings.service_name
    return {
        "service": service,
        "published": [
            {
                "eventId": str(row.event_id),
                "eventType": row.event_type,
                "topic": row.topic,
                "key": row.key,
                "createdAt": row.created_at.isoformat(),
                "sentAt": row.sent_at.isoformat() if row.sent_at else None,
                "causationId": _uuid_or_none(row.causation_id),
            }
            for row in published
        ],
        "applied": [
            {
                "consumer": service,
                "eventId": str(row.event_id),
                "eventType": row.event_type,
                "topic": row.topic,
                "processedAt": row.processed_at.isoformat(),
            }
            for row in applied
        ],
    }


@router.get("/consumer")
async def consumer_state(request: Request) -> dict[str, Any]:
    return _consumer_json(request)


@router.post("/consumer/pause")
async def pause_consumer(request: Request) -> dict[str, Any]:
    _consuming(request).pause()
    return _consumer_json(request)


@router.post("/consumer/resume")
async def resume_consumer(request: Request) -> dict[str, Any]:
    _consuming(request).resume()
    return _consumer_json(request)


def _consuming(request: Request) -> InboxConsumer:
    """The service's consumer; 404 for a service that consumes nothing (there is nothing to pause or resume)."""
    consumer: InboxConsumer = _runtime(request).consumer
    if not consumer.router.topics:
        raise HTTPException(404, "This service consumes nothing")
    return consumer


def _consumer_json(request: Request) -> dict[str, Any]:
    runtime = _runtime(request)
    consumer = runtime.consumer
    return {
        "service": runtime.parts.settings.service_name,
        "group": consumer.consumer,
        "topics": consumer.router.topics,
        "paused": consumer.paused,
        "assignment": [{"topic": tp.topic, "partition": tp.partition} for tp in consumer.assignment()],
        "at": datetime.now(UTC).isoformat(),
    }


def _uuid_or_none(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
