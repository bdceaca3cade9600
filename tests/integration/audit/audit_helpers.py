"""Helpers the audit tests share: feeding envelopes with an actor and a date, delivering a service's own outbox
to its own consumer (as the broker would), and reading a whole log through its continuation tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.runtime import Runtime

GATEWAY_HEADERS = {"Device-Type": "9", "X-Forwarded-For": "203.0.113.7"}  # what the gateway forwards (Chrome)


def envelope_of(event: EventData, *, producer: str, actor: Actor | None = None, at: datetime | None = None) -> Envelope:
    envelope = Envelope.wrap(event, producer=producer, correlation_id=uuid.uuid4().hex, actor=actor)
    return envelope if at is None else envelope.model_copy(update={"occurred_at": at})


async def deliver(app: FastAPI, topic: str, envelope: Envelope) -> str:
    """Apply one envelope through the service's inbox consumer; "applied", "duplicate" or "ignored"."""
    runtime: Runtime = app.state.runtime
    handler = runtime.consumer.router.handlers.get(topic, {}).get(envelope.type)
    if handler is None:
        return "ignored"
    return await runtime.consumer.apply(topic, envelope, handler)


async def feed(
    app: FastAPI, event: EventData, *, producer: str, actor: Actor | None = None, at: datetime | None = None
) -> Envelope:
    envelope = envelope_of(event, producer=producer, actor=actor, at=at)
    assert await deliver(app, f"{producer}.events", envelope) in ("applied", "ignored")
    return envelope


async def deliver_own_outbox(app: FastAPI, topic: str) -> int:
    """What the relay and the broker would do: hand every event this service recorded back to its own consumer."""
    runtime: Runtime = app.state.runtime
    outbox = runtime.parts.tables.outbox
    async with runtime.session_factory() as session:
        rows = list(await session.scalars(select(outbox.c.envelope).order_by(outbox.c.id)))
    applied = 0
    for row in rows:
        applied += await deliver(app, topic, Envelope.model_validate(row)) == "applied"
    return applied


async def read_log(
    http: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> tuple[list[dict[str, Any]], int]:
    """Every entry of a log, following continuation tokens; returns the entries and the number of pages."""
    entries: list[dict[str, Any]] = []
    pages = 0
    token: str | None = None
    while True:
        query = {k: v for k, v in params.items() if v is not None}
        if token:
            query["continuationToken"] = token
        response = await http.get(path, headers=headers, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["object"] == "list"
        entries += body["data"]
        pages += 1
        token = body["continuationToken"]
        if token is None:
            return entries, pages
        assert len(body["data"]) == 100


def types(entries: list[dict[str, Any]]) -> list[int]:
    return [entry["type"] for entry in entries]
