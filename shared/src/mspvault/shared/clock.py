"""The one clock: every handler asks `work.clock()` (routes: the `Now` or `AppClock` dependency), never `datetime.now`
inline.

A service's clock is `ServiceParts.clock` (UTC wall time by default); tests pass a `FixedClock` to see exact dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that says the same moment until told to move (tests)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now
