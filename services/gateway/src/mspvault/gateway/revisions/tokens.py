"""Access tokens the gateway has accepted, by their string, until they expire: pure, no I/O.

Checking an RS256 signature costs more than the rest of a poll; a client polls with the same token for its whole
life, so its first poll is checked in full (signature, expiry, and the stamp by identity itself) and later polls
find it here. A rotated security stamp still ends it at once: every answer compares the stamp with the rotations
the feed has read (`StampMemory`). A token stays until it expires, even if the key that signed it is retired
meanwhile (at most one access-token lifetime).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

MAX_TOKENS = 200_000  # about 100 MB at worst; past it the oldest half goes (they are checked again when they poll)


@dataclass(frozen=True, slots=True)
class AcceptedToken:
    user_id: uuid.UUID
    security_stamp: str | None
    expires_at: float  # epoch seconds (the token's `exp`)


class AcceptedTokens:
    def __init__(self, *, limit: int = MAX_TOKENS, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.clock = clock
        self._by_token: dict[str, AcceptedToken] = {}

    def get(self, token: str) -> AcceptedToken | None:
        found = self._by_token.get(token)
        if found is None:
            return None
        if found.expires_at <= self.clock():
            del self._by_token[token]
            return None
        return found

    def keep(self, token: str, accepted: AcceptedToken) -> None:
        if len(self._by_token) >= self.limit:
            self._make_room()
        self._by_token[token] = accepted

    def forget(self) -> None:
        self._by_token.clear()

    def _make_room(self) -> None:
        now = self.clock()
        for token in [token for token, accepted in self._by_token.items() if accepted.expires_at <= now]:
            del self._by_token[token]
        if len(self._by_token) >= self.limit:  # still full: the oldest half (dicts keep insertion order)
            for token in list(self._by_token)[: self.limit // 2]:
                del self._by_token[token]

    def __len__(self) -> int:
        return len(self._by_token)
