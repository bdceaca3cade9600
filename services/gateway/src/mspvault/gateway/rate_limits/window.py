"""The sliding-window counter, pure: two fixed windows, the previous one weighted by how much of it still overlaps
the sliding window (Cloudflare's approximation: exact at window edges, within a few percent in between, and only
two counters per key whatever the traffic). Hits refused are not counted, so `retry_after` holds if the caller
waits it out."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most `hits` per `seconds`, per key (an IP, an account, an organization)."""

    name: str
    hits: int
    seconds: int


@dataclass(frozen=True)
class Position:
    """Where `now` falls: the index of the current fixed window and how far into it."""

    window: int
    elapsed: float

    @classmethod
    def at(cls, now: float, seconds: int) -> Position:
        window = math.floor(now / seconds)
        return cls(window, now - window * seconds)


def previous_weight(position: Position, seconds: int) -> float:
    """The share of the previous window still inside the sliding window."""
    return (seconds - position.elapsed) / seconds


def allows(limit: Limit, position: Position, previous: int, current: int, cost: int) -> bool:
    return previous * previous_weight(position, limit.seconds) + current + cost <= limit.hits


def retry_after(limit: Limit, position: Position, previous: int, current: int, cost: int) -> int:
    """Whole seconds until `cost` more hits fit, if nothing else arrives (at least 1)."""
    room = limit.hits - cost
    if room < 0:
        return limit.seconds  # more than a whole window's worth: never fits; say so plainly
    if current <= room:
        # Fits within this window once enough of the previous one has slid out: previous * (1 - e/W) <= room - current
        needed = limit.seconds * (1 - (room - current) / previous) if previous else 0.0
        wait = needed - position.elapsed
    else:
        # Only in the next window, once enough of this one has slid out: current * (1 - e'/W) <= room
        wait = (limit.seconds - position.elapsed) + limit.seconds * (1 - room / current)
    return max(1, math.ceil(wait - 1e-9))
