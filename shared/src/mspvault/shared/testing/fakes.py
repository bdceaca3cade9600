"""Fakes shared by every service's handler unit tests (service-specific fakes live in tests/unit/<svc>/fakes.py).

`FakeUnitOfWork` stands in for `UnitOfWork`: it records what a handler published, with which actor, and how often
it committed, and has no session (a handler that reaches for SQL in a unit test is a handler that needs a port).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self, TypeVar, overload

from mspvault.shared.contracts.envelope import Actor, Envelope, EventData

E = TypeVar("E", bound=EventData)


@dataclass
class FakeUnitOfWork:
    published: list[tuple[EventData, Actor]] = field(default_factory=list)
    revisions: dict[uuid.UUID, datetime] = field(default_factory=dict)  # announced without a row (`revised`)
    commits: int = 0
    rollbacks: int = 0
    first_moment: datetime | None = None  # `moment`: the transaction's date, read once

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.rollbacks += 1  # the real one rolls back whatever was not committed

    def revised(self, user_ids: Iterable[uuid.UUID], at: datetime) -> None:
        for user_id in user_ids:
            self.revisions[user_id] = max(at, self.revisions.get(user_id, at))

    def publish(self, event: EventData, *, actor: Actor | None = None) -> Envelope:
        self.published.append((event, actor or Actor()))
        return Envelope.wrap(event, producer="test", correlation_id=None, actor=actor)

    async def commit(self) -> None:
        self.commits += 1

    def moment(self, clock: Callable[[], datetime]) -> datetime:
        if self.first_moment is None:
            self.first_moment = clock()
        return self.first_moment

    @property
    def session(self) -> Any:
        raise AssertionError("a unit test's handler reached for the database session; give it a port instead")

    @overload
    def events(self) -> list[EventData]: ...

    @overload
    def events(self, kind: type[E]) -> list[E]: ...

    def events(self, kind: type[EventData] = EventData) -> list[Any]:
        """The published events, of one class if given."""
        return [event for event, _ in self.published if isinstance(event, kind)]
