"""`/api/ops/*`: what flows on the bus, for platform operators. Everyone else gets 404 (the routes are not
advertised), like every operator route; without a token it is the usual 401 of any `/api/*` path."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from mspvault.gateway.forwarding import internal_headers
from mspvault.gateway.jsonbody import json_response
from mspvault.gateway.operators import confirmed_operator
from mspvault.gateway.ops.console import Console
from mspvault.gateway.ops.responses import (
    ConsumerGroupsResponse,
    ConsumersResponse,
    ConsumerState,
    DeadLettersResponse,
    HealthResponse,
    OutboxResponse,
    RecentEventsResponse,
    ReplayedResponse,
    TopicsResponse,
    TraceResponse,
)
from mspvault.gateway.state import GatewayDep
from mspvault.shared.http.deps import Operator
from mspvault.shared.ops import trace as tracing
from mspvault.shared.ops.dlq import REPLAYS_TOPIC, DeadLetterNotFound, is_dlq
from mspvault.shared.ops.kafka_admin import Record
from mspvault.shared.ops.masking import MASK, mask_value, scrub

router = APIRouter(prefix="/api/ops", tags=["operators"], dependencies=[Depends(confirmed_operator)])

CorrelationId = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
ServiceName = Annotated[str, Path(pattern=r"^[a-z]+$")]
RECENT_LIMIT = 200


class ReplayOne(BaseModel):
    topic: str = Field(min_length=1, max_length=249, description="The DLQ topic, e.g. `organization.events.dlq`.")
    partition: int = Field(ge=0)
    offset: int = Field(ge=0)


class ReplayAll(BaseModel):
    topic: str | None = Field(default=None, max_length=249, description="One DLQ topic; all of them when absent.")


@router.get(
    "/health",
    summary="Health of the gateway and of every service; 200 only when all are healthy",
    responses={200: {"model": HealthResponse}, 503: {"model": HealthResponse, "description": "Degraded"}},
)
async def health(gateway: GatewayDep) -> Response:
    reports = await asyncio.gather(*(client.health() for client in gateway.clients.all()))
    healthy = all(report.healthy for report in reports)
    body = {
        "status": "ok" if healthy else "degraded",
        "service": "gateway",
        "services": {"gateway": {"status": "ok"}, **{report.service.value: report.detail for report in reports}},
    }
    return json_response(body, status_code=200 if healthy else 503)


@router.get("/topics", summary="Topics with their partitions and offsets", responses={200: {"model": TopicsResponse}})
async def topics(console: Console) -> Response:
    async with console.kafka() as admin:
        offsets = await admin.partition_offsets()
        flavor = await admin.flavor()
    by_topic: dict[str, list[dict[str, int]]] = {}
    for p in offsets:
        by_topic.setdefault(p.topic, []).append(
            {"partition": p.partition, "start": p.start, "end": p.end, "messages": p.messages}
        )
    body = [
        {
            "name": name,
            "dlq": is_dlq(name),
            "messages": sum(p["messages"] for p in parts),
            "end": sum(p["end"] for p in parts),
            "partitions": parts,
        }
        for name, parts in sorted(by_topic.items())
    ]
    return json_response({"broker": flavor, "topics": body})


@router.get(
    "/consumer-groups",
    summary="Consumer groups with committed offsets and lag per partition",
    responses={200: {"model": ConsumerGroupsResponse}},
)
async def consumer_groups(console: Console) -> Response:
    async with console.kafka() as admin:
        groups = [g for g in await admin.groups() if not g.startswith("mspvault-")]
        application_topics = [t for t in await admin.topics() if not is_dlq(t) and t != REPLAYS_TOPIC]
        body = []
        for group in groups:
            lags = await admin.lag(group, application_topics, with_time=True)
            committed = [entry for entry in lags if entry.committed is not None]
            read = {entry.topic for entry in committed}
            partitions = [entry for entry in lags if entry.topic in read]
            body.append(
                {
                    "group": group,
                    "lag": sum(entry.lag for entry in partitions),
                    "maxLagSeconds": max((entry.lag_seconds or 0.0 for entry in partitions), default=0.0),
                    "partitions": [
                        {
                            "topic": entry.topic,
                            "partition": entry.partition,
                            "committed": entry.committed,
                            "end": entry.end,
                            "lag": entry.lag,
                            "lagSeconds": entry.lag_seconds,
                        }
                        for entry in partitions
                    ],
                }
            )
    return json_response({"groups": body})


@router.get(
    "/outbox",
    summary="Outbox backlog per service: unsent rows and the age of the oldest",
    responses={200: {"model": OutboxResponse}},
)
async def outbox(request: Request, console: Console) -> Response:
    return json_response({"services": await console.call_all("GET", "/internal/ops/outbox", internal_headers(request))})


@router.get(
    "/consumers",
    summary="Each service's consumer: its group, topics, assignment and whether it is paused",
    responses={200: {"model": ConsumersResponse}},
)
async def consumers(request: Request, console: Console) -> Response:
    body = await console.call_all("GET", "/internal/ops/consumer", internal_headers(request))
    return json_response({"consumers": body})


@router.post(
    "/consumers/{service}/pause",
    summary="Pause a service's consumer (its lag grows until resumed)",
    responses={200: {"model": ConsumerState}},
)
async def pause(service: ServiceName, request: Request, console: Console) -> Response:
    return await _consumer_action(service, "pause", request, console)


@router.post(
    "/consumers/{service}/resume", summary="Resume a paused consumer", responses={200: {"model": ConsumerState}}
)
async def resume(service: ServiceName, request: Request, console: Console) -> Response:
    return await _consumer_action(service, "resume", request, console)


async def _consumer_action(service: str, action: str, request: Request, console: Console) -> Response:
    answer = await console.call(
        console.service(service), "POST", f"/internal/ops/consumer/{action}", internal_headers(request)
    )
    if "error" in answer:
        raise HTTPException(502, f"The {service} service could not {action} its consumer: {answer['error']}")
    return json_response(answer)


@router.get(
    "/dlq", summary="Dead letters with the error that sent each there", responses={200: {"model": DeadLettersResponse}}
)
async def dead_letters(console: Console, topic: Annotated[str | None, Query(max_length=249)] = None) -> Response:
    async with console.kafka() as admin:
        letters = await console.dead_letters(admin).letters(topic)
    return json_response({"deadLetters": [letter.to_json() for letter in letters]})


@router.post(
    "/dlq/replay",
    summary="Replay one dead letter to its original topic (consumers dedupe)",
    responses={200: {"model": ReplayedResponse}},
)
async def replay_one(body: ReplayOne, console: Console, operator: Operator) -> Response:
    async with console.kafka() as admin:
        try:
            letter = await console.dead_letters(admin).replay(
                body.topic, body.partition, body.offset, by=str(operator.user_id)
            )
        except DeadLetterNotFound as error:
            raise HTTPException(404, "No such dead letter") from error
    return json_response({"replayed": [letter.to_json()]})


@router.post(
    "/dlq/replay-all",
    summary="Replay every dead letter not replayed yet (in one DLQ topic or all)",
    responses={200: {"model": ReplayedResponse}},
)
async def replay_all(body: ReplayAll, console: Console, operator: Operator) -> Response:
    if body.topic is not None and not is_dlq(body.topic):
        raise HTTPException(404, "No such dead-letter topic")
    async with console.kafka() as admin:
        letters = await console.dead_letters(admin).replay_all(body.topic, by=str(operator.user_id))
    return json_response({"replayed": [letter.to_json() for letter in letters]})


@router.get(
    "/events",
    summary="Recent events of one topic, newest first, masked",
    responses={200: {"model": RecentEventsResponse}},
)
async def recent_events(
    console: Console,
    topic: Annotated[str, Query(min_length=1, max_length=249)],
    limit: Annotated[int, Query(ge=1, le=RECENT_LIMIT)] = 50,
) -> Response:
    async with console.kafka() as admin:
        if topic not in await admin.topics():
            raise HTTPException(404, "No such topic")
        records = (await admin.tail(topic, limit))[:limit]
    return json_response({"topic": topic, "events": [_record_json(r) for r in records]})


@router.get(
    "/trace/{correlation_id}",
    summary="Every event a request caused and every consumer that applied it",
    responses={200: {"model": TraceResponse}},
)
async def trace(correlation_id: CorrelationId, request: Request, console: Console) -> Response:
    answers = await console.call_all("GET", f"/internal/ops/trace/{correlation_id}", internal_headers(request))
    published: list[tracing.Published] = []
    applied: list[tracing.Applied] = []
    for answer in answers:
        service = str(answer.get("service"))
        for row in answer.get("published", []):
            published.append(
                tracing.Published(
                    service=service,
                    event_id=uuid.UUID(row["eventId"]),
                    event_type=row["eventType"],
                    topic=row["topic"],
                    key=row["key"],
                    created_at=datetime.fromisoformat(row["createdAt"]),
                    sent_at=datetime.fromisoformat(row["sentAt"]) if row.get("sentAt") else None,
                    causation_id=uuid.UUID(row["causationId"]) if row.get("causationId") else None,
                )
            )
        for row in answer.get("applied", []):
            applied.append(
                tracing.Applied(
                    consumer=row["consumer"],
                    event_id=uuid.UUID(row["eventId"]),
                    event_type=row["eventType"],
                    topic=row["topic"],
                    processed_at=datetime.fromisoformat(row["processedAt"]),
                )
            )
    dead = await _dead_for(console, correlation_id) if console.bootstrap else []
    steps = tracing.timeline(published, applied, dead)
    body = tracing.to_json(steps)
    body["correlationId"] = correlation_id
    body["services"] = {str(answer.get("service")): answer.get("error", "ok") for answer in answers}
    for step in body["steps"]:
        step["key"] = step.get("key") if _is_uuid(step.get("key")) else (MASK if step.get("key") else None)
    return json_response(body)


async def _dead_for(console: Console, correlation_id: str) -> list[tracing.DeadLettered]:
    try:
        async with console.kafka() as admin:
            letters = await console.dead_letters(admin).letters()
    except HTTPException:
        return []  # the timeline from the databases still answers while the broker is away
    found = []
    for letter in letters:
        headers = letter.record.headers
        if headers.get("correlation_id") != correlation_id or not _is_uuid(headers.get("event_id")):
            continue
        found.append(
            tracing.DeadLettered(
                consumer=headers.get("dlq_consumer", "?"),
                event_id=uuid.UUID(headers["event_id"]),
                event_type=scrub(headers.get("event_type", "")),
                error_type=scrub(headers.get("dlq_error_type", "")),
                error=scrub(headers.get("dlq_error", "")),
                dlq_topic=letter.record.topic,
                partition=letter.record.partition,
                offset=letter.record.offset,
                at=datetime.fromtimestamp(letter.record.timestamp_ms / 1000, UTC),
            )
        )
    return found


def _record_json(record: Record) -> dict[str, Any]:
    key = record.key.decode("utf-8", "replace") if record.key is not None else None
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": datetime.fromtimestamp(record.timestamp_ms / 1000, UTC).isoformat(),
        "key": key if key is None or _is_uuid(key) else MASK,
        "replayedFrom": scrub(record.headers["replayed_from"]) if "replayed_from" in record.headers else None,
        "value": mask_value(record.value),
    }


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
