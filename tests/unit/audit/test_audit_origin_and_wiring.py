"""Who acted from where (device type and address reach the actor of published events), who may read an
organization's log, and how audit recording is chained after a consumer's existing handler."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from mspvault.organization.domain.audit import may_read_event_logs
from mspvault.organization.domain.roles import MemberType, Permissions, Standing
from mspvault.shared.audit.recording import also_record
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.messaging.router import EventRouter
from mspvault.shared.observability.origin import RequestOrigin, RequestOriginMiddleware, acting, origin_of


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"device-type": "9", "x-forwarded-for": "203.0.113.7"}, RequestOrigin(9, "203.0.113.7")),
        ({"x-forwarded-for": "2001:db8::1, 10.0.0.1"}, RequestOrigin(None, "2001:db8::1")),
        ({"device-type": "nine", "x-forwarded-for": "not-an-ip<script>"}, RequestOrigin(None, None)),
        ({"device-type": "-1"}, RequestOrigin(None, None)),
        ({"device-type": "100000"}, RequestOrigin(None, None)),
        ({}, RequestOrigin(None, None)),
    ],
)
def test_the_origin_is_read_from_the_headers_and_junk_is_dropped(headers, expected) -> None:
    assert origin_of(headers) == expected


async def test_every_request_gives_its_actors_device_and_address() -> None:
    inner = APIRouter(prefix="/x")
    caller = uuid.uuid4()

    @inner.post("")
    async def act() -> dict[str, object]:
        return acting(caller, None).model_dump(mode="json")

    app = FastAPI()
    app.add_middleware(RequestOriginMiddleware)
    app.include_router(inner)  # a plain router: the middleware, not the router, sets the origin
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as http:
        response = await http.post("/x", headers={"Device-Type": "10", "X-Forwarded-For": "198.51.100.4"})
        plain = await http.post("/x")
    assert response.json() == {"user_id": str(caller), "provider_id": None, "device_type": 10, "ip": "198.51.100.4"}
    assert plain.json()["ip"] is None
    assert acting(caller).ip is None  # nothing leaks out of a request into later work


def standing(role: MemberType, permissions: frozenset[str] = frozenset(), provider: bool = False) -> Standing:
    return Standing(role, Permissions(permissions), uuid.uuid4(), uuid.uuid4() if provider else None)


def test_event_logs_are_for_owners_admins_custom_with_the_right_and_provider_users() -> None:
    assert may_read_event_logs(standing(MemberType.OWNER))
    assert may_read_event_logs(standing(MemberType.ADMIN))
    assert may_read_event_logs(standing(MemberType.CUSTOM, frozenset({"accessEventLogs"})))
    assert may_read_event_logs(standing(MemberType.OWNER, provider=True))
    assert not may_read_event_logs(standing(MemberType.CUSTOM, frozenset({"manageUsers"})))
    assert not may_read_event_logs(standing(MemberType.USER))


async def test_recording_runs_after_the_handler_already_registered_or_alone() -> None:
    calls: list[str] = []
    router = EventRouter()

    @router.on("organization.events", oc.MemberInvitedV1)
    async def project(uow, envelope) -> None:
        calls.append("project")

    async def record(uow, envelope) -> None:
        calls.append("record")

    also_record(router, "organization.events", [oc.MemberInvitedV1, oc.PolicyUpdatedV1], record)
    envelope = Envelope(type="MemberInvited", version=1, producer="t", key="k", data={})
    await router.handlers["organization.events"]["MemberInvited"](None, envelope)  # type: ignore[arg-type]
    await router.handlers["organization.events"]["PolicyUpdated"](None, envelope)  # type: ignore[arg-type]
    assert calls == ["project", "record", "record"]
