"""The correlation id of the work in progress, and the event that caused it, carried in context variables.

The gateway assigns the correlation id to each request; services read it from the `X-Correlation-Id` header, and
consumers from the envelope, so events published while handling carry it on.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar

from starlette.types import Message, Receive, Scope, Send

from mspvault.shared.observability.asgi import HttpMiddleware

CORRELATION_HEADER = "X-Correlation-Id"

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[uuid.UUID | None] = ContextVar("causation_id", default=None)


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def _valid(candidate: str) -> bool:
    # Only ids we could have made ourselves pass through, so a header cannot inject text into logs.
    return 8 <= len(candidate) <= 64 and all(ch.isalnum() or ch == "-" for ch in candidate)


class CorrelationIdMiddleware(HttpMiddleware):
    """Adopt a well-formed incoming id or mint one, and echo it on the response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = dict(scope["headers"]).get(CORRELATION_HEADER.lower().encode(), b"").decode("latin-1")
        value = incoming if _valid(incoming) else new_correlation_id()
        token = correlation_id.set(value)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-correlation-id"]
                headers.append((CORRELATION_HEADER.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            correlation_id.reset(token)
