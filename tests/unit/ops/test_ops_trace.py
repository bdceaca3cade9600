"""The trace timeline: causal order from causation ids, whatever order the services report their rows in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from mspvault.shared.ops.kafka_admin import detect_flavor
from mspvault.shared.ops.trace import Applied, DeadLettered, Published, timeline, to_json

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(ms: int) -> datetime:
    return T0 + timedelta(milliseconds=ms)


def published(service: str, event_type: str, ms: int, cause: Published | None = None) -> Published:
    return Published(
        service,
        uuid.uuid4(),
        event_type,
        f"{service}.events",
        str(uuid.uuid4()),
        at(ms),
        at(ms + 3),
        cause.event_id if cause else None,
    )


def applied(consumer: str, event: Published, ms: int) -> Applied:
    return Applied(consumer, event.event_id, event.event_type, event.topic, at(ms))


def test_an_event_is_followed_by_its_consumers_and_what_each_published_while_applying_it() -> None:
    root = published("provider", "ClientOrgCreated", 0)
    created = published("organization", "OrganizationCreated", 20, cause=root)
    invited = published("organization", "MemberInvited", 21, cause=root)
    rows_published = [invited, created, root]  # any order
    rows_applied = [
        applied("vault", invited, 40),
        applied("provider", created, 35),
        applied("vault", created, 30),
        applied("vault", root, 25),
        applied("organization", root, 15),
        applied("provider", invited, 45),
    ]
    steps = timeline(rows_published, rows_applied)
    order = [(s.kind, s.service, s.event_type) for s in steps]
    assert order == [
        ("published", "provider", "ClientOrgCreated"),
        ("applied", "organization", "ClientOrgCreated"),
        ("published", "organization", "OrganizationCreated"),
        ("applied", "vault", "OrganizationCreated"),
        ("applied", "provider", "OrganizationCreated"),
        ("published", "organization", "MemberInvited"),
        ("applied", "vault", "MemberInvited"),
        ("applied", "provider", "MemberInvited"),
        ("applied", "vault", "ClientOrgCreated"),
    ]
    assert [s.depth for s in steps] == [0, 1, 2, 3, 3, 2, 3, 3, 1]
    rendered = to_json(steps)
    assert rendered["steps"][0]["atMs"] == 0
    assert rendered["steps"][0]["publishDelayMs"] == 3
    assert rendered["steps"][1]["sinceCreatedMs"] == 15
    assert rendered["steps"][2]["causationId"] == str(root.event_id)


def test_dead_letters_sit_under_their_event_and_unknown_events_come_last() -> None:
    root = published("provider", "ClientOrgCreated", 0)
    dead = DeadLettered(
        "vault", root.event_id, root.event_type, "RuntimeError", "boom", "provider.events.dlq", 2, 7, at(50)
    )
    stray = Applied("vault", uuid.uuid4(), "Other", "x.events", at(5))
    steps = timeline([root], [applied("organization", root, 10), stray], [dead])
    assert [(s.kind, s.service) for s in steps] == [
        ("published", "provider"),
        ("applied", "organization"),
        ("dead-lettered", "vault"),
        ("applied", "vault"),
    ]
    assert to_json(steps)["steps"][2]["offset"] == 7


def test_an_empty_trace_and_a_causation_cycle_do_not_break() -> None:
    assert to_json(timeline([], [])) == {"start": None, "steps": []}
    a = published("provider", "A", 0)
    b = Published("provider", uuid.uuid4(), "B", "provider.events", "k", at(1), None, a.event_id)
    looped = Published(a.service, a.event_id, a.event_type, a.topic, a.key, a.created_at, None, b.event_id)
    assert timeline([looped, b], []) == []  # no root: nothing to walk, and no endless loop


def test_the_embedded_broker_is_recognised_by_its_cluster_id() -> None:
    assert detect_flavor("tansu_cluster") == "tansu"
    assert detect_flavor("MkU3OEVBNTcwNTJENDM2Qk") == "kafka"
    assert detect_flavor(None) == "kafka"
