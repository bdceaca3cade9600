"""Cap every request body at the gateway: 413 with the JSON error body, before a service sees the request.

A declared Content-Length over the cap is refused before a byte is read. A body without one (chunked) is counted
as it arrives, whether a route reads it whole or the forwarder streams it on: past the cap the reading stops, the
upstream request (if any) is abandoned, and the caller gets the 413. Pure ASGI, so it sits under every route.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mspvault.shared.http.errors import error_body


class RequestBodyTooLarge(Exception):
    pass


def too_large_message(limit: int) -> str:
    return f"The request body is too large (at most {limit} bytes)."


class BodyLimitMiddleware:
    """`larger`: exact paths allowed a bigger cap (the vault imports, whose bodies are thousands of items)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope.get("path", ""), self.max_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestBodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except RequestBodyTooLarge:
            if started:
                raise  # too late to answer 413; the server closes the connection
            await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = json.dumps(error_body(too_large_message(limit))).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the rest of the body is never read
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the forwarder answers 400 for a malformed length
    return None
