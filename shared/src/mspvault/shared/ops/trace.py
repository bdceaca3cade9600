"""The timeline of one correlation id: every event it caused and every consumer that applied it, causally ordered.

Each service reports what its outbox published (with the envelope's causation id: the event whose handling
published it) and what its inbox applied. Causal order is a walk of that tree: an event, then each consumer that
applied it (by time), and under each application the events that consumer published while applying it. Pure: the
gateway gathers the rows, this module orders them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal


@dataclass(frozen=True)
class Published:
    service: str
    event_id: uuid.UUID
    event_type: str
    topic: str
    key: str
    created_at: datetime
    sent_at: datetime | None
    causation_id: uuid.UUID | None


@dataclass(frozen=True)
class Applied:
    consumer: str
    event_id: uuid.UUID
    event_type: str
    topic: str
    processed_at: datetime


@dataclass(frozen=True)
class DeadLettered:
    consumer: str
    event_id: uuid.UUID
    event_type: str
    error_type: str
    error: str  # already scrubbed
    dlq_topic: str
    partition: int
    offset: int
    at: datetime


@dataclass(frozen=True)
class Step:
    kind: Literal["published", "applied", "dead-lettered"]
    depth: int
    at: datetime
    service: str  # the producer, or the consumer
    event_id: uuid.UUID
    event_type: str
    topic: str
    detail: dict[str, Any] = field(default_factory=dict)


def timeline(published: list[Published], applied: list[Applied], dead: list[DeadLettered] | None = None) -> list[Step]:
    events = {p.event_id: p for p in published}
    children: dict[uuid.UUID | None, list[Published]] = defaultdict(list)
    for p in published:
        parent = p.causation_id if p.causation_id in events else None
        children[parent].append(p)
    applications: dict[uuid.UUID, list[Applied]] = defaultdict(list)
    for a in applied:
        applications[a.event_id].append(a)
    failures: dict[uuid.UUID, list[DeadLettered]] = defaultdict(list)
    for d in dead or []:
        failures[d.event_id].append(d)

    steps: list[Step] = []
    seen: set[uuid.UUID] = set()

    def visit(event: Published, depth: int) -> None:
        if event.event_id in seen:  # a cycle can only come from corrupt data; never loop on it
            return
        seen.add(event.event_id)
        steps.append(
            Step(
                "published",
                depth,
                event.created_at,
                event.service,
                event.event_id,
                event.event_type,
                event.topic,
                {"key": event.key, "sentAt": event.sent_at, "causationId": event.causation_id},
            )
        )
        caused = sorted(children.get(event.event_id, []), key=lambda p: p.created_at)
        for application in sorted(applications.get(event.event_id, []), key=lambda a: a.processed_at):
            steps.append(
                Step(
                    "applied",
                    depth + 1,
                    application.processed_at,
                    application.consumer,
                    event.event_id,
                    event.event_type,
                    application.topic,
                )
            )
            for child in [c for c in caused if c.service == application.consumer]:
                visit(child, depth + 2)
        for failure in sorted(failures.get(event.event_id, []), key=lambda d: d.at):
            steps.append(
                Step(
                    "dead-lettered",
                    depth + 1,
                    failure.at,
                    failure.consumer,
                    event.event_id,
                    event.event_type,
                    failure.dlq_topic,
                    {
                        "errorType": failure.error_type,
                        "error": failure.error,
                        "partition": failure.partition,
                        "offset": failure.offset,
                    },
                )
            )
        for orphan in caused:  # published under this event by a service whose inbox row is missing
            visit(orphan, depth + 2)

    for root in sorted(children.get(None, []), key=lambda p: p.created_at):
        visit(root, 0)
    # Applications or failures of events no outbox here reported (e.g. a replay from elsewhere): listed last.
    for event_id in dict.fromkeys([*applications, *failures]):
        if event_id in events:
            continue
        for a in applications.get(event_id, []):
            steps.append(Step("applied", 0, a.processed_at, a.consumer, event_id, a.event_type, a.topic))
        for d in failures.get(event_id, []):
            steps.append(Step("dead-lettered", 0, d.at, d.consumer, event_id, d.event_type, d.dlq_topic))
    return steps


def to_json(steps: list[Step]) -> dict[str, Any]:
    """The wire shape: timings in milliseconds from the first step (the request's first event)."""
    if not steps:
        return {"start": None, "steps": []}
    start = min(step.at for step in steps)
    published_at = {s.event_id: s.at for s in steps if s.kind == "published"}
    rendered = []
    for step in steps:
        detail = {k: _jsonable(v) for k, v in step.detail.items()}
        if step.kind == "published" and isinstance(step.detail.get("sentAt"), datetime):
            detail["publishDelayMs"] = _ms(step.detail["sentAt"] - step.at)
        if step.kind != "published" and step.event_id in published_at:
            detail["sinceCreatedMs"] = _ms(step.at - published_at[step.event_id])
        rendered.append(
            {
                "kind": step.kind,
                "depth": step.depth,
                "at": step.at.isoformat(),
                "atMs": _ms(step.at - start),
                "service": step.service,
                "eventId": str(step.event_id),
                "eventType": step.event_type,
                "topic": step.topic,
                **detail,
            }
        )
    return {"start": start.isoformat(), "steps": rendered}


def _ms(delta: timedelta) -> float:
    return round(delta.total_seconds() * 1000, 1)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
