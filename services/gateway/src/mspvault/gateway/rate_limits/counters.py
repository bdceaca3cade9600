"""Where the sliding windows' counters live. `MemoryCounters` serves one gateway process (tests, a single replica);
`PostgresCounters` is shared by every replica: one row per (key, fixed window), a conditional upsert so that two
replicas racing for the last slot cannot both take it. Why PostgreSQL and not Redis: docs/security.md."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from mspvault.gateway.rate_limits.window import Limit, Position, allows, previous_weight, retry_after

PRUNE_EVERY_SECONDS = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0


def key_of(limit: Limit, subject: str) -> str:
    """The counter's key: the limit's name and a digest of the subject. Subjects come from anonymous forms (an email
    with a NUL byte, a lone surrogate, 16 kB of name); a digest is always a short ASCII key that PostgreSQL stores
    and indexes, and the counters never hold the emails themselves."""
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{limit.name}:{digest}"


class Counters(Protocol):
    async def hit(self, limit: Limit, subject: str, *, cost: int = 1) -> Decision:
        """Count `cost` hits of `subject` against `limit` if they fit; otherwise count nothing and say when."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class MemoryCounters:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._hits: dict[tuple[str, int], tuple[int, float]] = {}  # (key, window) -> (hits, expires at)
        self._pruned_at = 0.0

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def hit(self, limit: Limit, subject: str, *, cost: int = 1) -> Decision:
        # No await between reading and writing: atomic on the event loop.
        now = self.clock()
        self._prune(now)
        key = key_of(limit, subject)
        position = Position.at(now, limit.seconds)
        previous = self._hits.get((key, position.window - 1), (0, 0.0))[0]
        current = self._hits.get((key, position.window), (0, 0.0))[0]
        if not allows(limit, position, previous, current, cost):
            return Decision(False, retry_after(limit, position, previous, current, cost))
        self._hits[(key, position.window)] = (current + cost, (position.window + 2) * limit.seconds)
        return Decision(True)

    def _prune(self, now: float) -> None:
        if now - self._pruned_at >= PRUNE_EVERY_SECONDS:
            self._pruned_at = now
            self._hits = {k: v for k, v in self._hits.items() if v[1] > now}


CREATE = text(
    """
    CREATE TABLE IF NOT EXISTS gateway_rate_windows (
        key text NOT NULL,
        window_index bigint NOT NULL,
        hits integer NOT NULL,
        expires_at double precision NOT NULL,
        PRIMARY KEY (key, window_index)
    )
    """
)
READ = text(
    "SELECT window_index, hits FROM gateway_rate_windows WHERE key = :key AND window_index IN (:window - 1, :window)"
)
# Takes the slot only if it still fits when the row is locked: a racing replica's hits are seen here.
TAKE = text(
    """
    INSERT INTO gateway_rate_windows AS w (key, window_index, hits, expires_at)
    VALUES (:key, :window, :cost, :expires)
    ON CONFLICT (key, window_index) DO UPDATE SET hits = w.hits + :cost WHERE w.hits + :cost <= :cap
    RETURNING hits
    """
)
PRUNE = text("DELETE FROM gateway_rate_windows WHERE expires_at < :now")


class PostgresCounters:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock
        self._pruned_at = 0.0

    async def start(self) -> None:
        # The gateway's only table, so it needs no migration tool: created if missing, never altered.
        async with self.engine.begin() as conn:
            await conn.execute(CREATE)

    async def close(self) -> None:
        await self.engine.dispose()

    async def hit(self, limit: Limit, subject: str, *, cost: int = 1) -> Decision:
        now = self.clock()
        key = key_of(limit, subject)
        position = Position.at(now, limit.seconds)
        async with self.engine.begin() as conn:
            if now - self._pruned_at >= PRUNE_EVERY_SECONDS:
                self._pruned_at = now
                await conn.execute(PRUNE, {"now": now})
            result = await conn.execute(READ, {"key": key, "window": position.window})
            rows: dict[int, int] = {window: hits for window, hits in result.all()}
            previous, current = rows.get(position.window - 1, 0), rows.get(position.window, 0)
            if not allows(limit, position, previous, current, cost):
                return Decision(False, retry_after(limit, position, previous, current, cost))
            cap = math.floor(limit.hits - previous * previous_weight(position, limit.seconds) + 1e-9)
            params = {
                "key": key,
                "window": position.window,
                "cost": cost,
                "cap": cap,
                "expires": (position.window + 2) * limit.seconds,
            }
            taken = (await conn.execute(TAKE, params)).first()
        if taken is None:  # another replica took the last slot between our read and our write
            return Decision(False, retry_after(limit, position, previous, cap, cost))
        return Decision(True)
