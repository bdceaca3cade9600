"""The event router hands each handler the payload in its contract class and the service's unit of work."""

from __future__ import annotations

import types
import uuid
from typing import Any

import pytest

from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.messaging.router import EventRouter, topic_of


def envelope_of(event: EventData) -> Envelope:
    return Envelope.wrap(event, producer="test", correlation_id=None)


def member_event(model: type[oc.MemberInvitedV1] | type[oc.MemberConfirmedV1]) -> EventData:
    return model(organization_id=uuid.uuid4(), member_id=uuid.uuid4(), user_id=None, email="a@b.test", type=2, status=0)


def test_the_topic_is_the_producing_services() -> None:
    assert topic_of(idc.UserRegisteredV1) == "identity.events"
    assert topic_of(oc.MemberConfirmedV1) == "organization.events"


async def test_handlers_get_the_work_built_from_the_uow_and_the_typed_payload() -> None:
    seen: list[tuple[Any, EventData]] = []

    async def member_saved(work: str, event: oc.MemberInvitedV1 | oc.MemberConfirmedV1) -> None:
        seen.append((work, event))

    router: EventRouter[str] = EventRouter(work=lambda uow: f"work({uow})")
    router.on(oc.MemberInvitedV1, member_saved)
    router.on(oc.MemberConfirmedV1, member_saved)
    invited, confirmed = member_event(oc.MemberInvitedV1), member_event(oc.MemberConfirmedV1)

    handlers = router.handlers["organization.events"]
    await handlers["MemberInvited"]("uow", envelope_of(invited))  # type: ignore[arg-type]
    await handlers["MemberConfirmed"]("uow", envelope_of(confirmed))  # type: ignore[arg-type]

    assert seen == [("work(uow)", invited), ("work(uow)", confirmed)]
    assert [type(event) for _, event in seen] == [oc.MemberInvitedV1, oc.MemberConfirmedV1]
    assert router.topics == ["organization.events"]


async def test_envelope_handlers_and_chained_handlers_run_in_order() -> None:
    calls: list[str] = []
    event = idc.UserDeletedV1(user_id=uuid.uuid4())

    async def first(uow: object, received: idc.UserDeletedV1, envelope: Envelope) -> None:
        assert received == event
        assert envelope.type == "UserDeleted"
        calls.append("first")

    async def second(uow: object, received: EventData, envelope: Envelope) -> None:
        calls.append("second")

    router = EventRouter()
    router.on_with_envelope(idc.UserDeletedV1, first)
    router.also(idc.UserDeletedV1, second)
    router.also(idc.UserKeysSetV1, second)  # alone: nothing registered before it
    await router.handlers["identity.events"]["UserDeleted"](None, envelope_of(event))  # type: ignore[arg-type]
    assert calls == ["first", "second"]
    assert set(router.handlers["identity.events"]) == {"UserDeleted", "UserKeysSet"}


def test_a_second_plain_registration_is_refused() -> None:
    async def handler(uow: object, event: idc.UserDeletedV1) -> None: ...

    router = EventRouter()
    router.on(idc.UserDeletedV1, handler)
    with pytest.raises(ValueError, match="already has a handler"):
        router.on(idc.UserDeletedV1, handler)


async def test_subscribe_registers_a_modules_handlers_by_their_signatures() -> None:
    calls: list[tuple[str, str, bool]] = []

    async def member_saved(work: object, event: oc.MemberInvitedV1 | oc.MemberConfirmedV1, envelope: Envelope) -> None:
        calls.append(("member_saved", type(event).__name__, envelope.type == event.event_type))

    async def user_deleted(work: object, event: idc.UserDeletedV1) -> None:
        calls.append(("user_deleted", type(event).__name__, False))

    async def _helper(work: object, event: idc.UserKeysSetV1) -> None:
        raise AssertionError("a private function is not a handler")

    handlers = types.ModuleType("projections_under_test")
    for function in (member_saved, user_deleted, _helper):
        function.__module__ = handlers.__name__
        setattr(handlers, function.__name__, function)
    handlers.imported = member_event  # type: ignore[attr-defined]  # defined elsewhere: not a handler

    router = EventRouter()
    router.subscribe(handlers)

    assert {topic: set(by_type) for topic, by_type in router.handlers.items()} == {
        "organization.events": {"MemberInvited", "MemberConfirmed"},
        "identity.events": {"UserDeleted"},
    }
    by_type = router.handlers["organization.events"] | router.handlers["identity.events"]
    uow: Any = None
    await by_type["MemberConfirmed"](uow, envelope_of(member_event(oc.MemberConfirmedV1)))
    await by_type["UserDeleted"](uow, envelope_of(idc.UserDeletedV1(user_id=uuid.uuid4())))
    assert calls == [("member_saved", "MemberConfirmedV1", True), ("user_deleted", "UserDeletedV1", False)]


def test_subscribe_refuses_a_handler_not_annotated_with_events() -> None:
    async def misnamed(work: object, event: str) -> None: ...

    handlers = types.ModuleType("projections_under_test")
    misnamed.__module__ = handlers.__name__
    handlers.misnamed = misnamed  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="misnamed"):
        EventRouter().subscribe(handlers)
