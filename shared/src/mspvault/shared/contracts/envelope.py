"""The event envelope and the base class of every versioned event.

Every event type is a frozen pydantic model with a class-level `event_type` and `version`; the registry maps
(type, version) to the model so consumers parse `data` into the right class, and a breaking change is a new
version rather than an edit.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class ContractModel(BaseModel):
    """Base of every model that travels in an event: frozen, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _AggregateKey:
    """Marks the one field of an event whose value orders it: the Kafka key, so one aggregate's events stay in
    order on one partition."""

    def __repr__(self) -> str:
        return "AGGREGATE_KEY"


AGGREGATE_KEY = _AggregateKey()
# The usual key, an id: `organization_id: AggregateId`. Another type marks itself: `Annotated[str, AGGREGATE_KEY]`.
AggregateId = Annotated[uuid.UUID, AGGREGATE_KEY]


class EventData(ContractModel):
    """Base of every event payload. Subclasses set `event_type` and `version`, and mark their key field."""

    event_type: ClassVar[str]
    version: ClassVar[int] = 1
    # The name of the field marked AGGREGATE_KEY (an organization id, a provider id, a user id), found when the
    # class is made: the key is declared on the field itself, never restated as a string.
    aggregate_field: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            _registry[(cls.event_type, cls.version)] = cls

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        keys = [name for name, field in cls.model_fields.items() if AGGREGATE_KEY in field.metadata]
        if len(keys) > 1:
            raise TypeError(f"{cls.__name__} marks {keys} as its key: an event has one")
        if keys:
            cls.aggregate_field = keys[0]

    @property
    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate_field))


_registry: dict[tuple[str, int], type[EventData]] = {}


def event_registry() -> dict[tuple[str, int], type[EventData]]:
    return dict(_registry)


class Actor(BaseModel):
    """Who caused an event: a user (or operator), and the provider they acted for, if any."""

    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID | None = None
    provider_id: uuid.UUID | None = None
    device_type: int | None = None
    ip: str | None = None


E = TypeVar("E", bound=EventData)


class Envelope(BaseModel):
    """What travels on the bus. `data` stays a dict here; `payload()` parses it into its versioned model."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    producer: str
    key: str
    correlation_id: str | None = None
    causation_id: uuid.UUID | None = None
    actor: Actor = Field(default_factory=Actor)
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        event: EventData,
        *,
        producer: str,
        correlation_id: str | None,
        causation_id: uuid.UUID | None = None,
        actor: Actor | None = None,
    ) -> Envelope:
        return cls(
            type=event.event_type,
            version=event.version,
            producer=producer,
            key=event.aggregate_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor=actor or Actor(),
            data=event.model_dump(mode="json"),
        )

    def payload(self) -> EventData:
        model = _registry.get((self.type, self.version))
        if model is None:
            raise UnknownEventError(f"no contract for {self.type} v{self.version}")
        return model.model_validate(self.data)

    def payload_as(self, model: builtins.type[E]) -> E:
        return model.model_validate(self.data)


class UnknownEventError(LookupError):
    pass
