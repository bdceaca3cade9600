"""Which statement objects an engine executes: a handler that builds its statements once runs the same objects for
every event of a kind, and one built per call shows up as new (its construction and cache key cost CPU per event)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# The background loops that share a service's engine (mail sender, relay, security-stamp watch) and the outbox rows
# a commit writes: not a handler's statements.
BACKGROUND = (
    "FROM mail_outbox",
    "UPDATE mail_outbox",
    "security_stamps",
    "INSERT INTO outbox",
    "FROM outbox",
    "UPDATE outbox",
    "NOTIFY",
    "advisory",
)


@contextlib.contextmanager
def executed(engine: AsyncEngine) -> Iterator[list[Any]]:
    """The statement objects `engine` executes meanwhile, in order."""
    statements: list[Any] = []

    def record(conn: Any, clauseelement: Any, *args: Any) -> None:
        statements.append(clauseelement)

    event.listen(engine.sync_engine, "before_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_execute", record)


def built_anew(before: Iterable[Any], after: Iterable[Any], ignore: tuple[str, ...] = BACKGROUND) -> list[str]:
    """The SQL of each statement in `after` that is not one of the objects in `before` (ignoring `ignore`)."""
    known = {id(statement) for statement in before}
    fresh = (str(statement) for statement in after if id(statement) not in known)
    return [sql for sql in fresh if not any(pattern in sql for pattern in ignore)]
