"""The documented bodies of the operator routes (routes.py), for the OpenAPI document only: the routes write their
answers as plain JSON. tests/e2e/test_ops_console.py validates every answer it gets against the merged document.

Events are shown masked (shared/ops/masking.py), so an envelope is an object whose fields depend on its event."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime

from mspvault.shared.http.responses import ApiResponse
from mspvault.shared.ops.kafka_admin import Flavor


class ServiceHealth(ApiResponse):
    """`ok` or `degraded` with the service's own checks, or `unreachable` with the error."""

    status: Literal["ok", "degraded", "unreachable"]
    checks: dict[str, bool] | None = None
    http_status: int | None = None
    error: str | None = None


class HealthResponse(ApiResponse):
    status: Literal["ok", "degraded"]
    service: Literal["gateway"]
    services: dict[str, ServiceHealth]


class PartitionOffsets(ApiResponse):
    partition: int
    start: int
    end: int
    messages: int


class TopicResponse(ApiResponse):
    name: str
    dlq: bool
    messages: int
    end: int
    partitions: list[PartitionOffsets]


class TopicsResponse(ApiResponse):
    broker: Flavor
    topics: list[TopicResponse]


class PartitionLag(ApiResponse):
    topic: str
    partition: int
    committed: int | None
    end: int
    lag: int
    lag_seconds: float | None


class ConsumerGroupResponse(ApiResponse):
    group: str
    lag: int
    max_lag_seconds: float
    partitions: list[PartitionLag]


class ConsumerGroupsResponse(ApiResponse):
    groups: list[ConsumerGroupResponse]


class OutboxBacklog(ApiResponse):
    """One service's outbox, or `error` alone (with `service`) when it could not be read."""

    service: str
    unsent: int | None = None
    oldest_unsent_at: AwareDatetime | None = None
    oldest_unsent_age_seconds: float | None = None
    last_sent_at: AwareDatetime | None = None
    relay_active: bool | None = None
    mail_set_aside: int | None = None  # null in the services that send no mail
    error: str | None = None


class OutboxResponse(ApiResponse):
    services: list[OutboxBacklog]


class Assignment(ApiResponse):
    topic: str
    partition: int


class ConsumerState(ApiResponse):
    """One service's consumer, or `error` alone (with `service`) when it could not be read."""

    service: str
    group: str | None = None
    topics: list[str] | None = None
    paused: bool | None = None
    assignment: list[Assignment] | None = None
    at: AwareDatetime | None = None
    error: str | None = None


class ConsumersResponse(ApiResponse):
    consumers: list[ConsumerState]


class MaskedValue(ApiResponse):
    """A record's value: its envelope masked, or only its size when it is not one."""

    envelope: dict[str, Any] | None
    bytes: int
    unparseable: bool | None = None


class ReplayMark(ApiResponse):
    at: str
    by: str
    topic: str
    partition: int
    offset: int


class DeadLetterResponse(ApiResponse):
    dlq_topic: str
    partition: int
    offset: int
    dead_lettered_at: AwareDatetime
    original_topic: str
    original_partition: int | None
    original_offset: int | None
    consumer: str | None
    attempts: int | None
    error_type: str
    error: str
    event_id: str | None
    event_type: str | None
    correlation_id: str | None
    value: MaskedValue
    replayed: ReplayMark | None


class DeadLettersResponse(ApiResponse):
    dead_letters: list[DeadLetterResponse]


class ReplayedResponse(ApiResponse):
    replayed: list[DeadLetterResponse]


class RecordResponse(ApiResponse):
    topic: str
    partition: int
    offset: int
    timestamp: AwareDatetime
    key: str | None  # an id, or masked
    replayed_from: str | None
    value: MaskedValue


class RecentEventsResponse(ApiResponse):
    topic: str
    events: list[RecordResponse]


class TraceStep(ApiResponse):
    """One step of the timeline; published steps add `sentAt`, `causationId`, `publishDelayMs`, the others
    `sinceCreatedMs`, dead-lettered ones the error and where the letter is."""

    kind: Literal["published", "applied", "dead-lettered"]
    depth: int
    at: AwareDatetime
    at_ms: float
    service: str
    event_id: str
    event_type: str
    topic: str
    key: str | None  # an id, or masked


class TraceResponse(ApiResponse):
    correlation_id: str
    start: AwareDatetime | None
    steps: list[TraceStep]
    services: dict[str, str]  # "ok", or why a service's part is missing
