"""Answering a revision-date poll: from memory when it can (`RevisionDateShortcut`), else from the services.

The short path is pure ASGI, outermost in the gateway: a known token (its string), a fresh feed, a stamp that has
not rotated and a seeded user are all it needs, and it answers without FastAPI, logging or a correlation id
(nothing leaves the process, so there is nothing to correlate). Anything else goes on to the route, which verifies
the token as every route does and asks the services: all four when the user is not seeded yet (the seed), identity
alone when only the token is new (identity checks its stamp against its own table, as of now, so a session that
ended before this gateway started is refused). What the route learns is kept for the next polls.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import jwt
from starlette.types import ASGIApp, Receive, Scope, Send

from mspvault.gateway.clients.base import ServiceClient
from mspvault.gateway.revisions.feed import RevisionFeed
from mspvault.gateway.revisions.tokens import AcceptedToken
from mspvault.gateway.sync import SyncComposer
from mspvault.shared.auth.principal import Principal

PATH = "/api/accounts/revision-date"
JSON_HEADERS = [(b"content-type", b"application/json")]


@dataclass
class RevisionDatePolls:
    composer: SyncComposer  # the services' answers, as the caller (`SyncComposer.revision_date`)
    identity: ServiceClient
    feed: RevisionFeed | None = None  # None: no broker configured, every poll asks the services

    def from_memory(self, token: str) -> int | None:
        feed = self.feed
        if feed is None or time.time() >= feed.fresh_until:
            return None
        accepted = feed.tokens.get(token)
        if accepted is None or feed.stamps.refuses_stamp(accepted.user_id, accepted.security_stamp):
            return None  # the route answers it: 401 for a rotated stamp, as every route does
        return feed.dates.known(accepted.user_id)

    async def answer(self, token: str, caller: Principal, headers: Mapping[str, str]) -> int:
        """A poll memory could not answer; `caller` is the verified token's (stamp checked against rotations)."""
        feed = self.feed
        if feed is None or not feed.fresh():
            return await self.composer.revision_date(headers)
        generation = feed.generation
        known = feed.dates.known(caller.user_id)
        if known is None:
            date = await self.composer.revision_date(headers)
        else:  # the token is new to memory: identity checks its stamp as of now (401 if the session ended)
            date = max(known, await self.identity.revision_date(headers) or 0)
        if feed.generation != generation:  # the feed started again meanwhile: what it missed may be newer
            return await self.composer.revision_date(headers)
        date = feed.dates.seed(caller.user_id, date)
        feed.tokens.keep(token, AcceptedToken(caller.user_id, caller.security_stamp, _expiry(token)))
        return date


def _expiry(token: str) -> float:
    """The `exp` of a token whose signature was verified already."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return float(claims["exp"])


def bearer_token(headers: Mapping[str, str]) -> str:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" else ""


class RevisionDateShortcut:
    """Pure ASGI: `GET /api/accounts/revision-date` answered from memory when it can; everything else passes."""

    def __init__(self, app: ASGIApp, polls: RevisionDatePolls) -> None:
        self.app = app
        self.polls = polls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "GET":
            date = self.polls.from_memory(_scope_token(scope))
            if date is not None:
                body = b"%d" % date
                headers = [*JSON_HEADERS, (b"content-length", b"%d" % len(body))]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _scope_token(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token if scheme.lower() == "bearer" else ""
    return ""
