"""Is the caller a platform operator *now*? A token's `operator` claim is only the first check: before an
operator route the gateway asks identity (`GET /internal/operator`, as the caller) and keeps the answer per user
for at most `ttl` seconds, so a removed operator loses access within that, not when their token expires.

A claim-less token never costs identity a call; an unanswered question is a no (not kept, asked again next time).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException
from starlette.requests import Request

from mspvault.gateway.clients import ServiceClient, UpstreamError
from mspvault.gateway.forwarding import internal_headers
from mspvault.shared.auth.principal import Principal
from mspvault.shared.http.deps import operator_only
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

MAX_REMEMBERED = 10_000  # operators are few; this only bounds what forged-but-signed claims could add


class OperatorCheck:
    def __init__(self, identity: ServiceClient, *, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.identity = identity
        self.ttl = ttl
        self.clock = clock
        self._answers: dict[uuid.UUID, tuple[bool, float]] = {}

    async def confirm(self, request: Request, principal: Principal) -> bool:
        if not principal.operator:
            return False
        now = self.clock()
        kept = self._answers.get(principal.user_id)
        if kept is not None and now < kept[1]:
            return kept[0]
        try:
            body = await self.identity.internal_json("/internal/operator", internal_headers(request), missing_ok=False)
        except UpstreamError as error:
            log.warning("operator.unconfirmed", status=error.status)
            return False
        answer = isinstance(body, dict) and body.get("operator") is True
        self._remember(principal.user_id, answer, now)
        return answer

    def _remember(self, user_id: uuid.UUID, answer: bool, now: float) -> None:
        if len(self._answers) >= MAX_REMEMBERED:
            self._answers = {user: kept for user, kept in self._answers.items() if now < kept[1]}
            if len(self._answers) >= MAX_REMEMBERED:
                self._answers.clear()
        self._answers[user_id] = (answer, now + self.ttl)


async def confirmed_operator(request: Request, principal: Annotated[Principal, Depends(operator_only)]) -> Principal:
    """The gateway's operator dependency: the claim (404 without it), then identity's current answer (404 if no)."""
    check: OperatorCheck = request.app.state.gateway.operators
    if not await check.confirm(request, principal):
        raise HTTPException(404, "Not found")
    return principal
