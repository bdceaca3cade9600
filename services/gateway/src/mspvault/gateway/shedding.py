"""Graceful overload: past capacity the gateway refuses work early instead of queueing it without bound.

Every public request falls into a route class — heavy reads (the sync and whole-vault listings: megabytes each),
logins (argon2id-bound), small writes, other reads — and each class has its own lane: at most `in_flight` requests
of the class run at once, at most `queue` more wait for a place (first come, first served), and none waits longer
than `max_wait_seconds`. A request that finds the queue full, or waits too long, is answered at once with 503, a
`Retry-After` and the JSON error body, and never reaches a service. So the requests that are accepted keep their
latency (a bounded number ahead of each), and a flood of syncs cannot starve logins or writes: they queue in lanes
of their own. The place is held until the response has been sent, so a large body being written still counts.

Pure ASGI, outside routing and auth: a refusal costs almost nothing. Health checks, the portal's files and the
operators' pages are never shed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from starlette.types import ASGIApp, Receive, Scope, Send

from mspvault.shared.http.errors import error_body
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.settings import GatewaySettings, LaneLimit

log = get_logger(__name__)


class RouteClass(StrEnum):
    HEAVY = "heavy"
    LOGIN = "login"
    WRITE = "write"
    READ = "read"


# GETs that answer a whole vault (hundreds of KB to megabytes, and the CPU to make them).
HEAVY_READS = re.compile(r"^/api/(sync|ciphers|ciphers/organization-details|organizations/[^/]+/export)/?$")
LOGIN_PATHS = frozenset(
    {
        "/identity/connect/token",
        "/identity/accounts/prelogin",
        "/identity/accounts/prelogin/password",
        "/identity/accounts/register",
        "/api/accounts/prelogin",
        "/api/accounts/register",
    }
)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def classify(method: str, path: str) -> RouteClass | None:
    """The lane a request queues in; None for what is never shed (health, the portal, anything not an API)."""
    if not (path.startswith("/api/") or path.startswith("/identity/")):
        return None
    if path in LOGIN_PATHS:
        return RouteClass.LOGIN
    if method not in READ_METHODS:
        return RouteClass.WRITE
    if HEAVY_READS.match(path):
        return RouteClass.HEAVY
    return RouteClass.READ


@dataclass
class Lane:
    """A counting semaphore with a bounded, time-limited queue. Single event loop: no locks needed."""

    limit: LaneLimit
    running: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)
    accepted: int = 0
    shed: int = 0

    async def enter(self) -> bool:
        """True with a place held (call `leave` after), False when the request is to be shed."""
        if self.running < self.limit.in_flight and not self.waiting:
            self.running += 1
            self.accepted += 1
            return True
        if len(self.waiting) >= self.limit.queue:
            self.shed += 1
            return False
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await asyncio.wait({turn}, timeout=self.limit.max_wait_seconds)
        except BaseException:  # cancelled while waiting (the caller went away)
            self._give_up(turn)
            raise
        if turn.done():  # `leave` handed its place over (possibly just as the time ran out)
            self.accepted += 1
            return True
        self._give_up(turn)
        self.shed += 1
        return False

    def leave(self) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the place passes on: `running` stays the same
                return
        self.running -= 1

    def _give_up(self, turn: asyncio.Future[None]) -> None:
        if turn.done() and not turn.cancelled():
            self.leave()  # a place was handed over that will not be used
            return
        turn.cancel()
        with contextlib.suppress(ValueError):  # already taken off by `leave`
            self.waiting.remove(turn)


@dataclass
class LoadShedder:
    lanes: Mapping[RouteClass, Lane]
    retry_after_seconds: int

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> LoadShedder:
        limits = {
            RouteClass.HEAVY: settings.shed_heavy,
            RouteClass.LOGIN: settings.shed_login,
            RouteClass.WRITE: settings.shed_write,
            RouteClass.READ: settings.shed_read,
        }
        return cls({name: Lane(limit) for name, limit in limits.items()}, settings.shed_retry_after_seconds)

    def stats(self) -> dict[str, dict[str, int]]:
        return {
            name.value: {
                "running": lane.running,
                "waiting": len(lane.waiting),
                "accepted": lane.accepted,
                "shed": lane.shed,
            }
            for name, lane in self.lanes.items()
        }

    def refusal(self) -> tuple[list[tuple[bytes, bytes]], bytes]:
        body = json.dumps(error_body(f"The server is busy. Try again in {self.retry_after_seconds} seconds.")).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(self.retry_after_seconds).encode()),
        ]
        return headers, body


class LoadSheddingMiddleware:
    def __init__(self, app: ASGIApp, *, shedder: LoadShedder) -> None:
        self.app = app
        self.shedder = shedder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = classify(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if route is None:
            await self.app(scope, receive, send)
            return
        shedder = self.shedder
        lane = shedder.lanes[route]
        if not await lane.enter():
            log.debug("shed", route_class=route.value, path=scope["path"])
            headers, body = shedder.refusal()
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        try:
            await self.app(scope, receive, send)
        finally:
            lane.leave()
