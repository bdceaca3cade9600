"""The event router: which handler applies which event type, for one consumer group.

API (the topic follows from the event's contract module, `<service>.events`):

    router = EventRouter(work=lambda uow: ProviderWork(uow=uow, store=SqlProviderStore(uow.session), ...))
    router.subscribe(projections)   # every public handler of the module, by the event class it is annotated with
    router.on(UserRegisteredV1, projections.user_registered)
    router.on_with_envelope(OrganizationDeletedV1, projections.organization_deleted)
    router.also(MemberInvitedV1, audit.record_organization_event)   # a second handler, same transaction

    async def user_registered(work: ProviderWork, event: UserRegisteredV1) -> None: ...
    async def organization_deleted(work: ProviderWork, event: OrganizationDeletedV1, envelope: Envelope) -> None: ...

- `event` is the payload parsed by the contract registry into its class (`Envelope.payload()`), so a handler shared
  by several event types receives each in its own class (annotate the common base or a union).
- `work` is what `work(uow)` builds from the inbox's unit of work; without `work=`, handlers get the `UnitOfWork`.
- Handlers run inside the inbox transaction and must not commit (the consumer commits with the inbox row).
- `on_with_envelope` is for handlers that need the envelope itself: its actor, occurred_at or id.
- `subscribe(module)` reads each public coroutine function of the module as a handler: its `event` parameter's
  annotation names the event classes it applies (a union, each member), a third parameter asks for the envelope.
  So a service's subscriptions are the signatures of its projections, declared once.
- Registering the same event type twice with `on` is a mistake and raises; `also` chains a second handler after the
  first (the audit log's recorders run after the read-model handlers this way).

The raw form, `@router.on(topic, EventA, EventB)` over `async def handler(uow, envelope)`, remains for a topic
that is not a service's (the messaging tests' own); services use the typed one.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, Union, cast, get_args, get_origin, get_type_hints, overload

from typing_extensions import TypeVar as DefaultedTypeVar

from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.topics import SERVICES, events_topic
from mspvault.shared.db.unit_of_work import UnitOfWork

# What the inbox calls: the unit of work of the inbox transaction and the envelope as received.
Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]

# What handlers receive as `work`; a bare `EventRouter` hands them the UnitOfWork.
W = DefaultedTypeVar("W", default=UnitOfWork)
E = TypeVar("E", bound=EventData)


def topic_of(event: type[EventData]) -> str:
    """The topic an event travels on: its producer's, named by its contract module (`contracts/<service>.py`)."""
    service = event.__module__.rpartition(".")[2]
    if service not in SERVICES:
        raise ValueError(f"{event.__name__} is not defined in a service's contract module ({event.__module__})")
    return events_topic(service)


class EventRouter(Generic[W]):
    """Which handler applies which event type from which topic, for one consumer group."""

    @overload
    def __init__(self: EventRouter[UnitOfWork]) -> None: ...

    @overload
    def __init__(self, work: Callable[[UnitOfWork], W]) -> None: ...

    def __init__(self, work: Callable[[UnitOfWork], Any] | None = None) -> None:
        self.handlers: dict[str, dict[str, Handler]] = {}
        self._work: Callable[[UnitOfWork], W] = work or cast(Callable[[UnitOfWork], W], _same)

    @overload
    def on(self, event: type[E], handler: Callable[[W, E], Awaitable[None]], /) -> None: ...

    @overload
    def on(self, topic: str, /, *events: type[EventData]) -> Callable[[Handler], Handler]: ...

    def on(self, first: Any, /, *rest: Any) -> Any:
        if isinstance(first, str):  # the older decorator style: @router.on(topic, EventA, EventB)
            return self._decorator(first, rest)
        event: type[EventData] = first
        (handler,) = rest

        async def apply(uow: UnitOfWork, envelope: Envelope) -> None:
            await handler(self._work(uow), _typed(envelope, event))

        self._add(event, apply)
        return None

    def on_with_envelope(self, event: type[E], handler: Callable[[W, E, Envelope], Awaitable[None]]) -> None:
        async def apply(uow: UnitOfWork, envelope: Envelope) -> None:
            await handler(self._work(uow), _typed(envelope, event), envelope)

        self._add(event, apply)

    def also(self, event: type[E], handler: Callable[[W, E, Envelope], Awaitable[None]]) -> None:
        """Run `handler` after the one already registered for `event` (or alone), in the same transaction."""
        topic = topic_of(event)
        first = self.handlers.get(topic, {}).get(event.event_type)

        async def then(uow: UnitOfWork, envelope: Envelope) -> None:
            if first is not None:
                await first(uow, envelope)
            await handler(self._work(uow), _typed(envelope, event), envelope)

        self.handlers.setdefault(topic, {})[event.event_type] = then

    def subscribe(self, handlers: types.ModuleType) -> None:
        """Register every public coroutine function defined in `handlers` for the events its signature names:
        `(work, event: A | B)` with `on`, `(work, event: A, envelope)` with `on_with_envelope`."""
        for name, handler in vars(handlers).items():
            if name.startswith("_") or not inspect.iscoroutinefunction(handler):
                continue
            if handler.__module__ != handlers.__name__:  # imported, not defined here
                continue
            parameters = list(inspect.signature(handler).parameters)
            annotation = get_type_hints(handler)[parameters[1]]
            for event in _event_classes(annotation, handler):
                if len(parameters) == 3:
                    self.on_with_envelope(event, handler)
                else:
                    self.on(event, handler)

    @property
    def topics(self) -> list[str]:
        return sorted(self.handlers)

    def _add(self, event: type[EventData], handler: Handler) -> None:
        by_type = self.handlers.setdefault(topic_of(event), {})
        if event.event_type in by_type:
            raise ValueError(f"{event.event_type} already has a handler; use `also` to add a second one")
        by_type[event.event_type] = handler

    def _decorator(self, topic: str, events: tuple[type[EventData], ...]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for event in events:
                self.handlers.setdefault(topic, {})[event.event_type] = handler
            return handler

        return register


def _same(uow: UnitOfWork) -> UnitOfWork:
    return uow


def _event_classes(annotation: Any, handler: Callable[..., Any]) -> tuple[type[EventData], ...]:
    """The event classes an `event` parameter is annotated with: one class, or each member of a union."""
    members = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    if not all(isinstance(member, type) and issubclass(member, EventData) for member in members):
        raise TypeError(f"{handler.__qualname__}: its event parameter is not annotated with event classes")
    return members


def _typed(envelope: Envelope, event: type[E]) -> E:
    """The payload in the class the registry has for its (type, version); it must be the one registered."""
    payload = envelope.payload()
    if not isinstance(payload, event):
        raise TypeError(f"{envelope.type} v{envelope.version} is a {type(payload).__name__}, not a {event.__name__}")
    return payload
