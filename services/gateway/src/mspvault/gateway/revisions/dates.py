"""Each user's revision date as the gateway knows it: pure, no I/O."""

from __future__ import annotations

import uuid
from collections.abc import Iterable


class RevisionDates:
    """The last change each user can see, in epoch milliseconds: the maximum over the services.

    A user's date is known once it is *seeded* (one read of every service as that user, `polling.py`) and the
    announcements (`RevisionsBumpedV1`) read since the feed was positioned, before that read began, have been
    applied on top: a bump committed before the read is in it, one committed after it is announced after it. Every
    announcement is kept, seeded or not, so one that arrives while a seed is in flight is not lost. Dates only move
    forward, so a replayed or reordered announcement changes nothing.
    """

    def __init__(self) -> None:
        self._dates: dict[uuid.UUID, int] = {}
        self._seeded: set[uuid.UUID] = set()

    def bumped(self, user_ids: Iterable[uuid.UUID], at_ms: int) -> None:
        dates = self._dates
        for user_id in user_ids:
            if dates.get(user_id, 0) < at_ms:
                dates[user_id] = at_ms

    def seed(self, user_id: uuid.UUID, at_ms: int) -> int:
        """What the services answered for this user, now; returns the date to answer."""
        date = self._dates[user_id] = max(self._dates.get(user_id, 0), at_ms)
        self._seeded.add(user_id)
        return date

    def known(self, user_id: uuid.UUID) -> int | None:
        """The user's date, or None until it is seeded."""
        return self._dates[user_id] if user_id in self._seeded else None

    def forget(self) -> None:
        """Everything: announcements may have been missed (the feed starts again from the end)."""
        self._dates.clear()
        self._seeded.clear()

    def __len__(self) -> int:
        return len(self._seeded)
